"""Reading query parameters and JSON bodies; bad input is a 400 naming the field that failed."""

import re

from flask import request
from flask_babel import lazy_gettext as _l

from .errors import ApiError, Invalid

# Ids and counts fit PostgreSQL's 4-byte integer; larger numbers would fail in the database.
MAX_INT = 2**31 - 1
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def _raw(name: str) -> str | None:
    value = request.args.get(name)
    if value is None or value.strip() == "":
        return None
    if "\x00" in value:
        # PostgreSQL cannot store or compare text containing NUL.
        raise Invalid({name: _l("Contains a character that is not allowed.")})
    return value.strip()


def int_arg(name: str, default: int | None = None, minimum: int = 1, maximum: int = MAX_INT):
    """An integer query parameter within [minimum, maximum], or `default` when absent."""
    value = _raw(name)
    if value is None:
        return default
    if not re.fullmatch(r"[+-]?[0-9]{1,12}", value):
        raise Invalid({name: _l("Must be a whole number.")})
    number = int(value)
    if not minimum <= number <= maximum:
        raise Invalid(
            {name: _l("Must be between %(low)s and %(high)s.", low=minimum, high=maximum)}
        )
    return number


def text_arg(name: str, max_length: int = 100) -> str | None:
    """A free-text query parameter (trimmed), or None when absent or empty."""
    value = _raw(name)
    if value is not None and len(value) > max_length:
        raise Invalid({name: _l("At most %(count)s characters.", count=max_length)})
    return value


def region_code_arg(name: str, digits: int) -> str | None:
    """A region code of exactly `digits` digits (6: county, 9: township), or None."""
    value = _raw(name)
    if value is not None and not re.fullmatch(rf"[0-9]{{{digits}}}", value):
        raise Invalid({name: _l("Must be a code of %(count)s digits.", count=digits)})
    return value


def choice_arg(name: str, choices) -> str | None:
    """One of `choices`, or None when absent."""
    value = _raw(name)
    allowed = [str(c) for c in choices]
    if value is not None and value not in allowed:
        raise Invalid({name: _l("Must be one of: %(choices)s.", choices=", ".join(allowed))})
    return value


def page_args() -> tuple[int, int]:
    """(page, per_page) from the query; per_page is capped so one request stays cheap."""
    page = int_arg("page", default=1)
    per_page = int_arg("per_page", default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
    return page, per_page


def json_body() -> dict:
    """The request's JSON object; anything else is a 400 (or 415 when it is not JSON)."""
    if not request.is_json:
        raise ApiError(415)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid({"body": _l("Send a JSON object.")})
    return body


def text_field(body: dict, name: str, max_length: int = 254) -> str:
    """A required, non-empty string field of a JSON body."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise Invalid({name: _l("This field is required.")})
    if "\x00" in value:
        raise Invalid({name: _l("Contains a character that is not allowed.")})
    if len(value) > max_length:
        raise Invalid({name: _l("At most %(count)s characters.", count=max_length)})
    return value
