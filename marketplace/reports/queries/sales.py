"""Report 6, sales: recognised sales (delivered and paid) by product, cooperative or county,
and "one village, one product" sales against the rest; with the household income each
brought."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ...catalog.models import Cooperative, Product
from ...extensions import db
from ...households.models import IncomeEntry
from ...orders.models import Fulfilment, OrderLine
from ...regions.models import Region, RegionLevel
from ..services import Column, Filters, Table, order_by, stream
from ..sql import area_key, in_period, total, under_area

BREAKDOWNS = ("product", "cooperative", "county", "ovop")
MEASURES = [
    Column("orders", _l("Orders"), "int", sort="orders"),
    Column("units", _l("Units"), "int", sort="units"),
    Column("sales", _l("Sales value"), "fen", sort="sales"),
    Column("income", _l("Household income"), "fen", sort="income"),
]


def _keys(by: str, village):
    """The GROUP BY columns of one breakdown (the first is the join key)."""
    if by == "product":
        return [Product.id.label("key")]
    if by == "cooperative":
        return [Cooperative.id.label("key")]
    if by == "county":
        return [area_key(village.code, RegionLevel.county).label("key")]
    return [Product.ovop.label("key")]


def _joined(stmt, village):
    return (
        stmt.join(Product, Product.id == OrderLine.product_id)
        .join(Fulfilment, Fulfilment.id == OrderLine.fulfilment_id)
        .join(Cooperative, Cooperative.id == Fulfilment.cooperative_id)
        .join(village, village.id == Cooperative.village_id)
    )


def sales_by(filters: Filters, by: str):
    """key -> orders, units and goods value of lines recognised in the period."""
    village = aliased(Region)
    keys = _keys(by, village)
    stmt = _joined(
        select(
            *keys,
            func.count(func.distinct(OrderLine.order_id)).label("orders"),
            total(OrderLine.quantity).label("units"),
            total(OrderLine.line_fen).label("sales"),
        ).select_from(OrderLine),
        village,
    ).where(in_period(Fulfilment.income_recognised_at, filters), under_area(village.code, filters))
    return stmt.group_by(*keys).subquery()


def income_by(filters: Filters, by: str):
    """key -> household ledger income in the period from those products' lines."""
    village = aliased(Region)
    keys = _keys(by, village)
    stmt = _joined(
        select(*keys, total(IncomeEntry.amount_fen).label("income"))
        .select_from(IncomeEntry)
        .join(OrderLine, OrderLine.id == IncomeEntry.order_line_id),
        village,
    ).where(
        IncomeEntry.household_id.is_not(None),
        in_period(IncomeEntry.recognised_at, filters),
        under_area(village.code, filters),
    )
    return stmt.group_by(*keys).subquery()


def _describe(by: str, sales, income):
    """The SELECT naming each row, joined to the measures."""
    measures = [
        sales.c.orders,
        sales.c.units,
        sales.c.sales,
        func.coalesce(income.c.income, 0).label("income"),
    ]
    key = sales.c.key
    if by == "product":
        owner = aliased(Cooperative)
        return (
            select(
                Product.name_zh,
                Product.name_en,
                owner.name_zh.label("co_zh"),
                owner.name_en.label("co_en"),
                *measures,
            )
            .select_from(sales)
            .join(Product, Product.id == key)
            .join(owner, owner.id == Product.cooperative_id)
        ), Product.name_zh
    if by == "cooperative":
        return (
            select(Cooperative.name_zh, Cooperative.name_en, *measures)
            .select_from(sales)
            .join(Cooperative, Cooperative.id == key)
        ), Cooperative.name_zh
    if by == "county":
        return (
            select(Region.name_zh, Region.name_en, *measures)
            .select_from(sales)
            .join(Region, Region.code == key)
        ), Region.code
    return select(key.label("ovop"), *measures).select_from(sales), key


def build(filters: Filters) -> Table:
    """Sales by ?by= product (default), cooperative, county or ovop."""
    by = filters.by if filters.by in BREAKDOWNS else "product"
    sales, income = sales_by(filters, by), income_by(filters, by)
    stmt, name_sort = _describe(by, sales, income)
    stmt = stmt.outerjoin(income, income.c.key == sales.c.key)
    sorts = {
        "name": name_sort,
        "orders": sales.c.orders,
        "units": sales.c.units,
        "sales": sales.c.sales,
        "income": func.coalesce(income.c.income, 0),
    }
    ordered = order_by(stmt, sorts, filters, "sales", sales.c.key, ("name",))
    columns = [Column("name", BY_LABELS[by], sort="name")]
    if by == "product":
        columns.append(Column("cooperative", _l("Cooperative")))
    columns += MEASURES

    def read_rows(limit, offset):
        for row in stream(ordered, limit, offset):
            if by == "ovop":
                name = _l("One village, one product") if row.ovop else _l("Other products")
            else:
                name = filters.name(row.name_zh, row.name_en)
            out = {
                "name": name,
                "orders": row.orders,
                "units": row.units,
                "sales": row.sales,
                "income": row.income,
            }
            if by == "product":
                out["cooperative"] = filters.name(row.co_zh, row.co_en)
            yield out

    whole = sales_by(filters, "county")
    orders = _distinct_orders(filters)
    totals_row = db.session.execute(
        select(total(whole.c.units), total(whole.c.sales), func.count())
    ).one()
    income_total = db.session.scalar(select(total(income_by(filters, "county").c.income)))
    totals = {
        "name": _l("Total"),
        "orders": orders,
        "units": totals_row[0] or 0,
        "sales": totals_row[1] or 0,
        "income": income_total or 0,
    }
    count = db.session.scalar(select(func.count()).select_from(sales))
    notes = [_l("Sales delivered and paid in the period, at the price the buyer paid.")]
    return Table(columns, read_rows, totals, count, notes)


def _distinct_orders(filters: Filters) -> int:
    village = aliased(Region)
    stmt = _joined(
        select(func.count(func.distinct(OrderLine.order_id))).select_from(OrderLine), village
    ).where(in_period(Fulfilment.income_recognised_at, filters), under_area(village.code, filters))
    return db.session.scalar(stmt) or 0


BY_LABELS = {
    "product": _l("Product"),
    "cooperative": _l("Cooperative"),
    "county": _l("County"),
    "ovop": _l("Kind of product"),
}
