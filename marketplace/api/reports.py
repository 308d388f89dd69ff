"""Reports: income the platform brought each registered household, summed in the database."""

from datetime import datetime, timedelta

from sqlalchemy import func

from ..accounts.models import Role
from ..extensions import db
from ..households.models import Household, IncomeEntry
from ..regions.models import Region
from ..status import utcnow
from .auth import roles_required
from .params import int_arg, region_code_arg
from .shapes import region_json
from .views import bp

# Years are China's calendar years (UTC+8, no daylight saving); timestamps are naive UTC.
CHINA_OFFSET = timedelta(hours=8)


def china_year_bounds(year: int) -> tuple[datetime, datetime]:
    """[start, end) of a calendar year in China, as naive UTC timestamps."""
    return datetime(year, 1, 1) - CHINA_OFFSET, datetime(year + 1, 1, 1) - CHINA_OFFSET


@bp.get("/reports/household-income")
@roles_required(Role.admin)
def household_income():
    """Per household: income recognised in the year (sales minus reversals), and per person."""
    year = int_arg("year", default=(utcnow() + CHINA_OFFSET).year, minimum=2000, maximum=2100)
    county_code = region_code_arg("county_code", 6)
    village_id = int_arg("village_id")
    start, end = china_year_bounds(year)

    income = func.sum(IncomeEntry.amount_fen)
    stmt = (
        db.select(Household.household_no, Household.members, Household.village_id, income)
        .select_from(IncomeEntry)
        .join(Household, Household.id == IncomeEntry.household_id)
        .where(IncomeEntry.recognised_at >= start, IncomeEntry.recognised_at < end)
        .group_by(Household.id, Household.household_no, Household.members, Household.village_id)
        .order_by(Household.household_no)
    )
    if county_code:
        stmt = stmt.join(Region, Region.id == Household.village_id).where(
            Region.code.startswith(county_code)
        )
    if village_id:
        stmt = stmt.where(Household.village_id == village_id)
    rows = db.session.execute(stmt).all()

    village_ids = {row.village_id for row in rows}
    villages = {
        v.id: v for v in db.session.scalars(db.select(Region).where(Region.id.in_(village_ids)))
    }
    out = [
        {
            "household_no": household_no,
            "village": region_json(villages[village]),
            "members": members,
            "income_fen": int(income_fen),
            "income_per_person_fen": int(income_fen) // members,
        }
        for household_no, members, village, income_fen in rows
    ]
    return {
        "year": year,
        "rows": out,
        "total_fen": sum(row["income_fen"] for row in out),
    }
