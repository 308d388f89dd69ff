"""Dates and times as people read them: one format per language on every page, always in
Beijing time (the moments are naive UTC; `clock` shifts them), written by Babel.

    zh  2026年12月3日 · 2026年12月3日 16:32 · 12月3日 16:32 · 16:32
    en  3 Dec 2026    · 3 Dec 2026, 16:32   · 3 Dec, 16:32   · 16:32

Forms (`<input type=date>`), exports and the API keep ISO 8601.
"""

from datetime import date, datetime

from babel.dates import format_datetime as _babel_datetime
from flask_babel import get_locale

from .clock import to_local

PATTERNS = {
    "zh": {
        "date": "y年M月d日",
        "full": "y年M月d日 HH:mm",
        "short": "M月d日 HH:mm",
        "day_month": "M月d日",
        "time": "HH:mm",
    },
    "en": {
        "date": "d MMM y",
        "full": "d MMM y, HH:mm",
        "short": "d MMM, HH:mm",
        "day_month": "d MMM",
        "time": "HH:mm",
    },
}
# The strftime formats the templates used, read as one of the styles above.
LEGACY = {"%H:%M": "time", "%m-%d %H:%M": "short", "%Y-%m-%d %H:%M": "full", "medium": "full"}


def _locale() -> str:
    try:
        code = str(get_locale() or "zh")
    except RuntimeError:  # outside a request
        code = "zh"
    return "en" if code.startswith("en") else "zh"


def _pattern(style: str) -> str:
    style = LEGACY.get(style, style)
    table = PATTERNS[_locale()]
    return table.get(style, table["full"])


def when(moment: datetime | None, style: str = "full") -> str:
    """A naive UTC moment in Beijing time ('' for None); style full, short, time."""
    if moment is None:
        return ""
    return _babel_datetime(to_local(moment), _pattern(style), locale=_locale())


def day(value: date | datetime | None, style: str = "date") -> str:
    """A calendar day ('' for None). A datetime is a naive UTC moment: its Beijing day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    moment = datetime(value.year, value.month, value.day)
    return _babel_datetime(moment, _pattern(style), locale=_locale())


def window(start: datetime | None, end: datetime | None) -> str:
    """A delivery window: '12月3日 08:00–12:00' (one day), else both ends in full."""
    if start is None:
        return ""
    if end is None or to_local(start).date() != to_local(end).date():
        return f"{when(start, 'short')} – {when(end, 'short')}" if end else when(start, "short")
    return f"{day(start, 'day_month')} {when(start, 'time')}–{when(end, 'time')}"


def register(app) -> None:
    """Every page's date filters (after Flask-Babel's, which these replace)."""
    app.jinja_env.filters["beijing"] = when
    app.jinja_env.filters["datetimeformat"] = when
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["dateformat"] = day
    app.jinja_env.filters["window"] = window
