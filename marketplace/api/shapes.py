"""JSON shapes shared by several API resources: places, users, dates and pages."""

from datetime import date, datetime

from flask_babel import get_locale

from ..accounts.models import User
from ..regions.models import Region


def locale() -> str:
    """The language names are given in ("zh" or "en")."""
    return str(get_locale() or "zh")


def iso_datetime(value: datetime | None) -> str | None:
    """A naive-UTC timestamp as RFC 3339 ('2026-09-01T08:00:00Z')."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def iso_date(value: date | None) -> str | None:
    """A date as '2026-09-01'."""
    return value.isoformat() if value else None


def region_json(region: Region) -> dict:
    """{"id", "name", "code"} of a village (or any region)."""
    return {"id": region.id, "name": region.display_name(locale()), "code": region.code}


def county_json(village: Region) -> dict | None:
    """{"code", "name"} of the county a village lies in."""
    county = village.parent.parent if village.parent else None
    if county is None:
        return None
    return {"code": county.code, "name": county.display_name(locale())}


def user_json(user: User) -> dict:
    """{"id", "name", "roles"}; every account is a buyer, other roles are added to it."""
    return {
        "id": user.id,
        "name": user.name,
        "roles": ["buyer", *sorted(str(role) for role in user.roles)],
    }


def page_json(items: list, page: int, per_page: int, total: int) -> dict:
    """The envelope of a paged list."""
    return {"items": items, "page": page, "per_page": per_page, "total": total}
