"""Report 7, cooperative statements: what each cooperative is owed for its recognised sales
(goods value less the platform fee, PLATFORM_FEE_BP basis points of each line rounded down,
less refunds) and, under it, how the producers' share was split over households.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, case, cast, func, select
from sqlalchemy.orm import aliased

from ...catalog.models import Cooperative
from ...claims.models import Claim
from ...extensions import db
from ...households.models import Household, IncomeEntry
from ...households.services import mask_name
from ...orders.models import Fulfilment, OrderLine
from ...payments.models import Refund, RefundStatus
from ...regions.models import Region
from ..services import Column, Filters, Table, order_by, stream
from ..sql import in_period, total, under_area

MONEY_KEYS = (
    "goods",
    "fee",
    "owed",
    "refunded",
    "claims_refunded",
    "payable",
    "households",
    "others",
)
COLUMNS = [
    Column("cooperative", _l("Cooperative"), sort="name"),
    Column("fulfilments", _l("Parcels sold"), "int", sort="fulfilments"),
    Column("goods", _l("Goods value"), "fen", sort="goods"),
    Column("fee", _l("Platform fee"), "fen"),
    Column("owed", _l("Owed"), "fen", sort="owed"),
    Column("refunded", _l("Refunded"), "fen"),
    Column("claims_refunded", _l("of which for claims"), "fen"),
    Column("payable", _l("Payable after refunds"), "fen"),
    Column("households", _l("To registered households"), "fen", sort="households"),
    Column("others", _l("To other suppliers"), "fen"),
]


def _sales(filters: Filters):
    # 64-bit before multiplying: a large line x the fee rate overflows a 32-bit integer.
    fee = cast(OrderLine.line_fen, BigInteger) * filters.platform_fee_bp // 10000
    return (
        select(
            Fulfilment.cooperative_id.label("key"),
            func.count(func.distinct(Fulfilment.id)).label("fulfilments"),
            total(OrderLine.line_fen).label("goods"),
            total(fee).label("fee"),
        )
        .join(Fulfilment, Fulfilment.id == OrderLine.fulfilment_id)
        .where(in_period(Fulfilment.income_recognised_at, filters))
        .group_by(Fulfilment.cooperative_id)
        .subquery()
    )


def _refunds(filters: Filters):
    """Refunds made in the period on recognised sales; each counts at most the goods value."""
    goods = (
        select(OrderLine.fulfilment_id, total(OrderLine.line_fen).label("goods"))
        .group_by(OrderLine.fulfilment_id)
        .subquery()
    )
    capped = case((Refund.amount_fen > goods.c.goods, goods.c.goods), else_=Refund.amount_fen)
    return (
        select(Fulfilment.cooperative_id.label("key"), total(capped).label("refunded"))
        .select_from(Refund)
        .join(Fulfilment, Fulfilment.id == Refund.fulfilment_id)
        .join(goods, goods.c.fulfilment_id == Fulfilment.id)
        .where(
            Refund.status == RefundStatus.succeeded,
            Fulfilment.income_recognised_at.is_not(None),
            in_period(Refund.created_at, filters),
        )
        .group_by(Fulfilment.cooperative_id)
        .subquery()
    )


def _claim_refunds(filters: Filters):
    """The part of those refunds paid for buyers' claims (after-sales)."""
    return (
        select(Claim.cooperative_id.label("key"), total(Refund.amount_fen).label("claims"))
        .select_from(Claim)
        .join(Refund, Refund.id == Claim.refund_id)
        .where(Refund.status == RefundStatus.succeeded, in_period(Refund.created_at, filters))
        .group_by(Claim.cooperative_id)
        .subquery()
    )


def _split(filters: Filters):
    """Ledger income in the period per cooperative: to households and to other suppliers."""
    registered = IncomeEntry.household_id.is_not(None)
    return (
        select(
            Fulfilment.cooperative_id.label("key"),
            total(case((registered, IncomeEntry.amount_fen), else_=0)).label("households"),
            total(case((registered, 0), else_=IncomeEntry.amount_fen)).label("others"),
        )
        .join(Fulfilment, Fulfilment.id == IncomeEntry.fulfilment_id)
        .where(in_period(IncomeEntry.recognised_at, filters))
        .group_by(Fulfilment.cooperative_id)
        .subquery()
    )


def build(filters: Filters) -> Table:
    """One line per cooperative in the area with sales, refunds or income in the period."""
    sales, refunds, split = _sales(filters), _refunds(filters), _split(filters)
    claimed = _claim_refunds(filters)
    village = aliased(Region)
    stmt = (
        select(
            Cooperative.id,
            Cooperative.name_zh,
            Cooperative.name_en,
            sales.c.fulfilments,
            sales.c.goods,
            sales.c.fee,
            refunds.c.refunded,
            claimed.c.claims.label("claims_refunded"),
            split.c.households,
            split.c.others,
        )
        .outerjoin(sales, sales.c.key == Cooperative.id)
        .outerjoin(refunds, refunds.c.key == Cooperative.id)
        .outerjoin(claimed, claimed.c.key == Cooperative.id)
        .outerjoin(split, split.c.key == Cooperative.id)
        .join(village, village.id == Cooperative.village_id)
        .where(
            under_area(village.code, filters),
            sales.c.goods.is_not(None) | refunds.c.refunded.is_not(None) | split.c.key.is_not(None),
        )
    )
    sorts = {
        "name": Cooperative.name_zh,
        "fulfilments": func.coalesce(sales.c.fulfilments, 0),
        "goods": func.coalesce(sales.c.goods, 0),
        "owed": func.coalesce(sales.c.goods, 0) - func.coalesce(sales.c.fee, 0),
        "households": func.coalesce(split.c.households, 0),
    }
    ordered = order_by(stmt, sorts, filters, "goods", Cooperative.id, ("name",))

    def read_rows(limit, offset):
        for row in stream(ordered, limit, offset):
            out = _money(row)
            out["cooperative"] = filters.name(row.name_zh, row.name_en)
            out["fulfilments"] = row.fulfilments or 0
            out["_cooperative_id"] = row.id
            yield out

    summary = stmt.subquery()
    totals_row = db.session.execute(
        select(
            func.count().label("count"),
            total(summary.c.fulfilments).label("fulfilments"),
            total(summary.c.goods).label("goods"),
            total(summary.c.fee).label("fee"),
            total(summary.c.refunded).label("refunded"),
            total(summary.c.claims_refunded).label("claims_refunded"),
            total(summary.c.households).label("households"),
            total(summary.c.others).label("others"),
        )
    ).one()
    totals = _money(totals_row)
    totals["cooperative"] = _l("Total")
    totals["fulfilments"] = totals_row.fulfilments or 0
    bp = filters.platform_fee_bp
    rate = f"{bp // 100}.{bp % 100:02d}%"
    notes = [
        _l(
            "Owed = goods value of sales delivered and paid in the period less the platform "
            "fee of %(rate)s per line, rounded down to the fen. Refunds made in the period are "
            "taken off; household income is net of their reversing entries.",
            rate=rate,
        )
    ]
    return Table(COLUMNS, read_rows, totals, totals_row.count, notes)


def _money(row) -> dict:
    goods, fee, refunded = row.goods or 0, row.fee or 0, row.refunded or 0
    return {
        "goods": goods,
        "fee": fee,
        "owed": goods - fee,
        "refunded": refunded,
        "claims_refunded": row.claims_refunded or 0,
        "payable": goods - fee - refunded,
        "households": row.households or 0,
        "others": row.others or 0,
    }


SPLIT_COLUMNS = [
    Column("supplier", _l("Supplier")),
    Column("household_no", _l("Household no.")),
    Column("village", _l("Village")),
    Column("income", _l("Income"), "fen"),
]


def build_split(filters: Filters, cooperative: Cooperative) -> Table:
    """The household (and other supplier) split under one cooperative's statement."""
    village = aliased(Region)
    stmt = (
        select(
            Household.household_no,
            Household.head_name,
            IncomeEntry.supplier_name,
            village.name_zh,
            village.name_en,
            total(IncomeEntry.amount_fen).label("income"),
        )
        .select_from(IncomeEntry)
        .join(Fulfilment, Fulfilment.id == IncomeEntry.fulfilment_id)
        .outerjoin(Household, Household.id == IncomeEntry.household_id)
        .outerjoin(village, village.id == Household.village_id)
        .where(
            Fulfilment.cooperative_id == cooperative.id,
            in_period(IncomeEntry.recognised_at, filters),
        )
        .group_by(
            Household.household_no,
            Household.head_name,
            IncomeEntry.supplier_name,
            village.name_zh,
            village.name_en,
        )
        .order_by(
            Household.household_no.is_(None), Household.household_no, IncomeEntry.supplier_name
        )
    )

    def read_rows(limit, offset):
        for row in stream(stmt, limit, offset):
            registered = row.household_no is not None
            yield {
                "supplier": mask_name(row.head_name) if registered else row.supplier_name,
                "household_no": row.household_no or "",
                "village": filters.name(row.name_zh, row.name_en) if registered else "",
                "income": row.income,
            }

    count, income = db.session.execute(select(func.count(), total(stmt.subquery().c.income))).one()
    totals = {"supplier": _l("Total"), "income": income or 0}
    notes = [_l("The producers' share of this cooperative's sales in the period, by supplier.")]
    return Table(SPLIT_COLUMNS, read_rows, totals, count, notes)
