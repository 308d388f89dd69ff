"""JSON errors of the API: every failure is `{"error": code, "message": text}` with its status.

The blueprint's handlers are registered per status code so they win over the app's
HTML-or-JSON pages (Flask looks for a code-specific handler before a class-based one).
Routing failures (unknown path, wrong method) never reach the blueprint; web.py answers
those with the same JSON shape for every /api/ path.
"""

from flask import Blueprint, jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from .. import transaction
from ..errors import DomainError

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}

MESSAGES = {
    400: _l("The request is not valid."),
    401: _l("A valid access token is required."),
    403: _l("Your account may not do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("The request conflicts with the current state."),
    413: _l("The request is too large."),
    415: _l("Send the request body as JSON."),
    429: _l("Too many attempts. Please wait a minute and try again."),
}


class ApiError(Exception):
    """Stop the request with a JSON error; `extra` fields are added to the body."""

    def __init__(self, status: int, code: str | None = None, message=None, **extra):
        super().__init__(code or CODES.get(status, "error"))
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message if message is not None else MESSAGES.get(status, "")
        self.extra = extra


class Invalid(ApiError):
    """400 with the fields that failed: `{"error": "invalid", "fields": {name: reason}}`."""

    def __init__(self, fields: dict, message=None):
        super().__init__(
            400,
            "invalid",
            message if message is not None else _l("Some fields are not valid."),
            fields={name: str(reason) for name, reason in fields.items()},
        )


def error_response(status: int, code: str, message, **extra):
    """The JSON response for one error."""
    response = jsonify({"error": code, "message": str(message), **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if status == 429 and isinstance(extra.get("retry_after"), int):
        response.headers["Retry-After"] = str(extra["retry_after"])
    return response


def _is_json(value) -> bool:
    if value is None or isinstance(value, str | int | bool):
        return True
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False


def _json_safe(details: dict) -> dict:
    """Keep only the details a client can read as JSON (domain errors may carry models)."""
    return {
        key: value
        for key, value in details.items()
        if key not in ("error", "message") and _is_json(value)
    }


def _handle_api_error(exc: ApiError):
    # Nothing a refused request did may reach the next commit.
    transaction.rollback()
    return error_response(exc.status, exc.code, exc.message, **exc.extra)


def _handle_domain_error(exc: DomainError):
    transaction.rollback()
    return error_response(exc.status_code, exc.code, exc.message, **_json_safe(exc.details))


def _handle_http_error(exc: HTTPException):
    status = exc.code or 500
    if status >= 500:
        transaction.rollback()
    return error_response(status, CODES.get(status, "error"), MESSAGES.get(status, exc.name))


def init_blueprint(bp: Blueprint) -> None:
    """Register the JSON error handlers on the API blueprint."""
    bp.register_error_handler(ApiError, _handle_api_error)
    bp.register_error_handler(DomainError, _handle_domain_error)
    for status in CODES:
        bp.register_error_handler(status, _handle_http_error)
    bp.register_error_handler(HTTPException, _handle_http_error)
