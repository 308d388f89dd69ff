"""Report 3, monthly trend for one area: household income, households reached and sales
value per local month, with a server-rendered bar chart."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ...catalog.models import Cooperative
from ...clock import local_month
from ...extensions import db
from ...households.models import IncomeEntry
from ...orders.models import Fulfilment, OrderLine
from ...regions.models import Region
from ..charts import bar_chart
from ..services import Column, Filters, Table
from ..sql import in_period, positive, total, under_area
from .areas import totals_for

COLUMNS = [
    Column("month", _l("Month")),
    Column("households", _l("Households reached"), "int"),
    Column("income", _l("Household income"), "fen"),
    Column("sales", _l("Sales value"), "fen"),
]


def months_between(start, end) -> list[str]:
    """'YYYY-MM' for every month from `start` to `end` (dates), both included."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def income_by_month(filters: Filters) -> dict[str, tuple[int, int]]:
    """month -> (households reached, household income), from the ledger."""
    village = aliased(Region)
    month = local_month(IncomeEntry.recognised_at).label("month")
    per_household = (
        select(month, IncomeEntry.household_id, total(IncomeEntry.amount_fen).label("income"))
        .join(village, village.id == IncomeEntry.village_id)
        .where(
            IncomeEntry.household_id.is_not(None),
            in_period(IncomeEntry.recognised_at, filters),
            under_area(village.code, filters),
        )
        .group_by(month, IncomeEntry.household_id)
        .subquery()
    )
    stmt = select(
        per_household.c.month,
        total(positive(per_household.c.income)),
        total(per_household.c.income),
    ).group_by(per_household.c.month)
    return {m: (h, i) for m, h, i in db.session.execute(stmt)}


def sales_by_month(filters: Filters) -> dict[str, int]:
    """month -> goods value of sales recognised that month, by the cooperatives' area."""
    village = aliased(Region)
    month = local_month(Fulfilment.income_recognised_at).label("month")
    stmt = (
        select(month, total(OrderLine.line_fen))
        .select_from(OrderLine)
        .join(Fulfilment, Fulfilment.id == OrderLine.fulfilment_id)
        .join(Cooperative, Cooperative.id == Fulfilment.cooperative_id)
        .join(village, village.id == Cooperative.village_id)
        .where(
            in_period(Fulfilment.income_recognised_at, filters), under_area(village.code, filters)
        )
        .group_by(month)
    )
    return dict(db.session.execute(stmt).all())


def build(filters: Filters) -> Table:
    """The monthly trend for the chosen area and period (a few dozen rows at most)."""
    months = months_between(filters.start, filters.end)
    income = income_by_month(filters)
    sales = sales_by_month(filters)
    rows = [
        {
            "month": m,
            "households": income.get(m, (0, 0))[0],
            "income": income.get(m, (0, 0))[1],
            "sales": sales.get(m, 0),
        }
        for m in months
    ]

    def read_rows(limit, offset):
        end = None if limit is None else offset + limit
        yield from rows[offset:end]

    totals = totals_for(filters)
    totals["month"] = _l("Total")
    chart = bar_chart(
        [r["month"] for r in rows],
        [
            ("sales", _l("Sales value"), [r["sales"] for r in rows]),
            ("income", _l("Household income"), [r["income"] for r in rows]),
        ],
        filters.locale,
    )
    notes = [_l("The total of households reached counts each household once over the period.")]
    return Table(COLUMNS, read_rows, totals, len(rows), notes, chart)
