"""Reading query parameters and JSON bodies; bad input is a 400 naming the field that failed."""

import re
from datetime import date

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


def only_fields(body: dict, allowed) -> None:
    """Refuse fields the endpoint does not know (a misspelt field would otherwise be ignored)."""
    for name in body:
        if name not in allowed:
            raise Invalid({str(name)[:100]: _l("Unknown field.")})


def text_field(body: dict, name: str, max_length: int = 254, required: bool = True):
    """A non-empty string field of a JSON body (None when optional and absent or null)."""
    value = body.get(name)
    if not required and (value is None or value == ""):
        return None
    if not isinstance(value, str) or not value.strip():
        raise Invalid({name: _l("This field is required.")})
    if "\x00" in value:
        raise Invalid({name: _l("Contains a character that is not allowed.")})
    if len(value) > max_length:
        raise Invalid({name: _l("At most %(count)s characters.", count=max_length)})
    return value


def int_field(body: dict, name: str, required=True, minimum: int = 0, maximum: int = MAX_INT):
    """A whole-number field within [minimum, maximum] (None when optional and absent)."""
    value = body.get(name)
    if value is None and not required:
        return None
    # JSON true/false arrive as Python bools, which are ints: refuse them too.
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid({name: _l("Must be a whole number.")})
    if not minimum <= value <= maximum:
        raise Invalid(
            {name: _l("Must be between %(low)s and %(high)s.", low=minimum, high=maximum)}
        )
    return value


def bool_field(body: dict, name: str, default: bool | None = False):
    """A true/false field, `default` when absent."""
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise Invalid({name: _l("Must be true or false.")})
    return value


def date_field(body: dict, name: str, required: bool = True) -> date | None:
    """A 'YYYY-MM-DD' field as a date (None when optional and absent)."""
    value = body.get(name)
    if value is None and not required:
        return None
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid({name: _l("Must be a date written YYYY-MM-DD.")})


def choice_field(body: dict, name: str, choices, required: bool = True) -> str | None:
    """One of `choices` (None when optional and absent)."""
    value = body.get(name)
    if value is None and not required:
        return None
    allowed = [str(c) for c in choices]
    if not isinstance(value, str) or value not in allowed:
        raise Invalid({name: _l("Must be one of: %(choices)s.", choices=", ".join(allowed))})
    return value


def list_field(body: dict, name: str, max_items: int) -> list[dict]:
    """A non-empty list of JSON objects with at most `max_items` entries."""
    value = body.get(name)
    if not isinstance(value, list) or not value:
        raise Invalid({name: _l("This field is required.")})
    if len(value) > max_items:
        raise Invalid({name: _l("At most %(count)s entries.", count=max_items)})
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise Invalid({f"{name}[{index}]": _l("Send a JSON object.")})
    return value
