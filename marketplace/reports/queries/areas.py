"""Report 2, area roll-up: per county, township or village, the households reached, their
income, and how much of the area's sales value reached registered poor households.

Income is placed by the household's village (IncomeEntry.village_id); sales value by the
selling cooperative's village, and "to poor households" is the ledger income from that
cooperative's sales, so the share is always the share of the same sales.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ...catalog.models import Cooperative
from ...extensions import db
from ...households.models import IncomeEntry
from ...orders.models import Fulfilment, OrderLine
from ...regions.models import Region, RegionLevel
from ..services import Column, Filters, Table, order_by, per, share_bp, stream
from ..sql import area_key, in_period, positive, total, under_area
from .households import household_income, income_source

LEVELS = (RegionLevel.county, RegionLevel.township, RegionLevel.village)
NEXT_LEVEL = {
    RegionLevel.prefecture: RegionLevel.county,
    RegionLevel.county: RegionLevel.township,
    RegionLevel.township: RegionLevel.village,
    RegionLevel.village: RegionLevel.village,
}
COLUMNS = [
    Column("area", _l("Area"), sort="code"),
    Column("households", _l("Households reached"), "int", sort="households"),
    Column("income", _l("Household income"), "fen", sort="income"),
    Column("per_household", _l("Income per household"), "fen"),
    Column("sales", _l("Sales value"), "fen", sort="sales"),
    Column("to_poor", _l("Of which to poor households"), "fen", sort="to_poor"),
    Column("share", _l("Share to poor households"), "share"),
]


def rollup_level(filters: Filters) -> RegionLevel:
    """The level the rows are at: ?by= if it lies below the chosen area, else one level down."""
    default = NEXT_LEVEL[filters.area_level]
    order = [RegionLevel.prefecture, *LEVELS]
    if filters.by in {level.value for level in LEVELS}:
        wanted = RegionLevel(filters.by)
        if order.index(wanted) >= order.index(default):
            return wanted
    return default


def sales_value(filters: Filters, level: RegionLevel | None = None):
    """Goods value of sales recognised in the period, per area at `level` (or in total)."""
    village = aliased(Region)
    cols = [total(OrderLine.line_fen).label("sales")]
    if level is not None:
        cols.insert(0, area_key(village.code, level).label("area"))
    stmt = (
        select(*cols)
        .select_from(OrderLine)
        .join(Fulfilment, Fulfilment.id == OrderLine.fulfilment_id)
        .join(Cooperative, Cooperative.id == Fulfilment.cooperative_id)
        .join(village, village.id == Cooperative.village_id)
        .where(
            in_period(Fulfilment.income_recognised_at, filters), under_area(village.code, filters)
        )
    )
    return stmt.group_by(cols[0]) if level is not None else stmt


def income_from_sales(filters: Filters, level: RegionLevel | None = None):
    """Household ledger income in the period, placed by the selling cooperative's village."""
    village = aliased(Region)
    cols = [total(IncomeEntry.amount_fen).label("to_poor")]
    if level is not None:
        cols.insert(0, area_key(village.code, level).label("area"))
    stmt = (
        select(*cols)
        .select_from(IncomeEntry)
        .join(Fulfilment, Fulfilment.id == IncomeEntry.fulfilment_id)
        .join(Cooperative, Cooperative.id == Fulfilment.cooperative_id)
        .join(village, village.id == Cooperative.village_id)
        .where(
            IncomeEntry.household_id.is_not(None),
            in_period(IncomeEntry.recognised_at, filters),
            under_area(village.code, filters),
        )
    )
    return stmt.group_by(cols[0]) if level is not None else stmt


def household_income_by_area(filters: Filters, level: RegionLevel):
    """Per area: households reached (net income > 0) and their income."""
    source = income_source(filters)
    village = aliased(Region)
    key = area_key(village.code, level).label("area")
    per_household = (
        select(key, source.c.household_id, total(source.c.amount_fen).label("income"))
        .join(village, village.id == source.c.village_id)
        .where(under_area(village.code, filters))
        .group_by(key, source.c.household_id)
        .subquery()
    )
    return select(
        per_household.c.area,
        total(positive(per_household.c.income)).label("households"),
        total(per_household.c.income).label("income"),
    ).group_by(per_household.c.area)


def totals_for(filters: Filters) -> dict:
    """The selected area's totals, each from one aggregate query over the ledger or lines."""
    grouped = household_income(filters)
    households, income = db.session.execute(
        select(
            func.coalesce(total(positive(grouped.c.income)), 0),
            func.coalesce(total(grouped.c.income), 0),
        )
    ).one()
    sales = db.session.scalar(sales_value(filters)) or 0
    to_poor = db.session.scalar(income_from_sales(filters)) or 0
    return {
        "households": households,
        "income": income,
        "per_household": per(income, households),
        "sales": sales,
        "to_poor": to_poor,
        "share": share_bp(to_poor, sales),
    }


def build(filters: Filters) -> Table:
    """The area roll-up for `filters`: rows one level below the chosen area (or ?by=)."""
    level = rollup_level(filters)
    income = household_income_by_area(filters, level).subquery()
    sales = sales_value(filters, level).subquery()
    to_poor = income_from_sales(filters, level).subquery()
    stmt = (
        select(
            Region.code,
            Region.name_zh,
            Region.name_en,
            income.c.households,
            income.c.income,
            sales.c.sales,
            to_poor.c.to_poor,
        )
        .outerjoin(income, income.c.area == Region.code)
        .outerjoin(sales, sales.c.area == Region.code)
        .outerjoin(to_poor, to_poor.c.area == Region.code)
        .where(Region.level == level, under_area(Region.code, filters))
    )
    if level == RegionLevel.village:
        # About 1,090 villages: list only those with income or sales in the period.
        stmt = stmt.where(or_(income.c.income.is_not(None), sales.c.sales.is_not(None)))
    sorts = {
        "code": Region.code,
        "households": func.coalesce(income.c.households, 0),
        "income": func.coalesce(income.c.income, 0),
        "sales": func.coalesce(sales.c.sales, 0),
        "to_poor": func.coalesce(to_poor.c.to_poor, 0),
    }
    ordered = order_by(stmt, sorts, filters, "code", Region.code, ("code",))

    def read_rows(limit, offset):
        for row in stream(ordered, limit, offset):
            households, amount = row.households or 0, row.income or 0
            yield {
                "area": filters.name(row.name_zh, row.name_en),
                "households": households,
                "income": amount,
                "per_household": per(amount, households),
                "sales": row.sales or 0,
                "to_poor": row.to_poor or 0,
                "share": share_bp(row.to_poor, row.sales),
                "_area": row.code if level != RegionLevel.village else None,
            }

    count = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    totals = totals_for(filters)
    totals["area"] = _l("Total")
    notes = [
        _l(
            "Household income is placed by the household's village; sales value by the "
            "selling cooperative's village. The share is the part of those sales' value "
            "that reached registered poor households."
        ),
        _l("Refunds reduce household income (reversing entries), not the sales value."),
    ]
    return Table(COLUMNS, read_rows, totals, count, notes)
