"""Static files: fingerprinted URLs cached for a year, sent gzip- or brotli-compressed.

`url_for('static', filename=...)` (and Bootstrap-Flask's `bootstrap.static`) gets `?v=` and
the first 10 hex digits of the file's SHA-256, so a changed file has a new URL and a
browser may keep each URL forever (`Cache-Control: public, max-age=31536000, immutable`).
CSS, JavaScript and SVG are compressed once per process (brotli quality 11, gzip 9) and
sent to clients that accept it (`Vary: Accept-Encoding`). A reverse proxy in front may
serve `static/` itself; it should then keep these headers (README, Production).
"""

import gzip
import hashlib
import importlib.metadata
import mimetypes
import os
from functools import cache

import brotli
from flask import Flask, Response, current_app, request, send_from_directory
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
COMPRESSIBLE = {".css", ".js", ".svg", ".map", ".json"}
ENDPOINTS = ("static", "bootstrap.static")


def init_app(app: Flask) -> None:
    app.url_defaults(_fingerprint)
    for endpoint in ENDPOINTS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = _static_view(endpoint)


def _folder(endpoint: str) -> str | None:
    app = current_app
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.split(".")[0])
    return blueprint.static_folder if blueprint else None


@cache
def _digest(path: str, mtime: float) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:10]


def _fingerprint(endpoint: str, values: dict) -> None:
    if endpoint not in ENDPOINTS or "v" in values or "filename" not in values:
        return
    folder = _folder(endpoint)
    path = safe_join(folder, values["filename"]) if folder else None
    if not path:
        return
    if current_app.debug or current_app.testing:
        if os.path.isfile(path):  # files change under a development server: look each time
            values["v"] = _digest(path, os.path.getmtime(path))
        return
    digest = _released(path)
    if digest:
        values["v"] = digest


@cache
def _released(path: str) -> str | None:
    """A deployed file's digest, computed once per process (files change with a release)."""
    return _digest(path, os.path.getmtime(path)) if os.path.isfile(path) else None


@cache
def _compressed(path: str, mtime: float, encoding: str) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read()
    if encoding == "br":
        return brotli.compress(data, quality=11)
    return gzip.compress(data, compresslevel=9, mtime=0)


def _static_view(endpoint: str):
    def serve(filename: str):
        folder = _folder(endpoint)
        path = safe_join(folder, filename)
        fingerprinted = bool(request.args.get("v"))
        accepts = request.accept_encodings
        encoding = "br" if accepts["br"] else "gzip" if accepts["gzip"] else None
        ext = os.path.splitext(filename)[1].lower()
        if path and os.path.isfile(path) and encoding and ext in COMPRESSIBLE:
            body = _compressed(path, os.path.getmtime(path), encoding)
            response = Response(body, mimetype=mimetypes.guess_type(filename)[0])
            response.headers["Content-Encoding"] = encoding
            response.add_etag(hashlib.sha1(body).hexdigest())
            response = response.make_conditional(request)
        else:
            response = send_from_directory(folder, filename)
        response.vary.add("Accept-Encoding")
        if fingerprinted:
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        return response

    return serve


def version() -> str:
    """A digest of every static file's name and modification time: cached pages carry it in
    their keys, so a release with new assets never serves a page linking the old URLs
    (computed once per process; on each call under a development server or in tests)."""
    if current_app.debug or current_app.testing:
        return _version(_folders())
    return _released_version(_folders())


def _folders() -> tuple[str, ...]:
    # The app's own files; Bootstrap-Flask's change only with its version (a new process).
    return (current_app.static_folder,)


@cache
def _released_version(folders: tuple[str, ...]) -> str:
    return _version(folders)


def _version(folders) -> str:
    stamp = hashlib.sha256(importlib.metadata.version("bootstrap-flask").encode())
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in sorted(files):
                path = os.path.join(root, name)
                stamp.update(f"{path}:{os.path.getmtime(path)}".encode())
    return stamp.hexdigest()[:10]
