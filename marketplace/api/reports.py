"""Reports: the income the platform brought each registered household in a calendar year,
read with the reports package's own query (so the API and the report pages agree)."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..accounts.models import Role
from ..clock import local_today
from ..extensions import db
from ..households.models import Household
from ..regions.models import Region
from ..regions.services import get_by_code
from ..reports.queries.households import household_income as household_income_query
from ..reports.services import Filters, per
from .auth import roles_required
from .params import int_arg, region_code_arg
from .serializers import region_json
from .views import bp


def _area(county_code: str | None, village_id: int | None) -> tuple[bool, Region | None]:
    """(any rows possible, the narrowest area asked for; None = the whole prefecture)."""
    county = get_by_code(county_code) if county_code else None
    village = db.session.get(Region, village_id) if village_id else None
    if (county_code and county is None) or (village_id and village is None):
        return False, None
    if village is not None and county is not None and not village.code.startswith(county.code):
        return False, None
    return True, village or county


@bp.get("/reports/household-income")
@roles_required(Role.admin)
def household_income():
    """Per household: income recognised in the year (sales minus reversals), and per person.

    A year is a calendar year in China; the area is where the household lived when each
    sale was recognised, as in the household income report.
    """
    year = int_arg("year", default=local_today().year, minimum=2000, maximum=2100)
    possible, area = _area(region_code_arg("county_code", 6), int_arg("village_id"))
    if not possible:
        return {"year": year, "rows": [], "total_fen": 0}
    grouped = household_income_query(
        Filters(area=area, start=date(year, 1, 1), end=date(year, 12, 31))
    )
    village = aliased(Region)
    rows = db.session.execute(
        select(Household, village, grouped.c.income)
        .join(Household, Household.id == grouped.c.household_id)
        .join(village, village.id == Household.village_id)
        .order_by(Household.household_no)
    ).all()
    out = [
        {
            "household_no": household.household_no,
            "village": region_json(place),
            "members": household.members,
            "income_fen": int(income),
            "income_per_person_fen": per(int(income), household.members),
        }
        for household, place, income in rows
    ]
    return {"year": year, "rows": out, "total_fen": sum(row["income_fen"] for row in out)}
