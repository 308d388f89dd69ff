"""Absolute URLs the app hands out (trace pages, QR codes, Stripe's return addresses),
always on the configured `PUBLIC_BASE_URL`, never on the request's Host header: a forged
Host would otherwise reach printed QR codes and day-long caches."""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` (its full name, e.g. "catalog.trace") on the public
    base URL, whatever host the request came in on."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    values = {key: value for key, value in values.items() if value is not None}
    return adapter.build(endpoint, values, force_external=True)
