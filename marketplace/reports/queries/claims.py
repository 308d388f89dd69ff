"""Report 8, claims: per cooperative, product, reason or route (origin county -> the
village point the parcel was handed over at; a carrier once home delivery lands): claims
opened in the period, claims per 100 delivered fulfilments, fen refunded by accepted
claims, and the median hours the cooperative took to answer.

Claims are few next to sales, so the claims of the period are read once and grouped here;
the delivered fulfilments they are set against are counted in SQL.
"""

from collections import defaultdict
from statistics import median

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ...catalog.models import Cooperative, Product
from ...claims.labels import REASON_LABELS
from ...claims.models import Claim, ClaimReason
from ...extensions import db
from ...logistics.models import Station
from ...orders.models import Fulfilment, FulfilmentStatus, Order, OrderLine
from ...payments.models import Refund, RefundStatus
from ...regions.models import Region, RegionLevel
from ..services import Column, Filters, Table
from ..sql import area_key, in_period, under_area

BREAKDOWNS = ("cooperative", "product", "reason", "route")
COLUMNS = [
    Column("claims", _l("Claims"), "int", sort="claims"),
    Column("rate", _l("Claims per 100 parcels"), "decimal", sort="rate"),
    Column("refunded", _l("Refunded by claims"), "fen", sort="refunded"),
    Column("answer_hours", _l("Median hours to answer"), "decimal", sort="answer_hours"),
]
KEY_LABELS = {
    "cooperative": _l("Cooperative"),
    "product": _l("Product"),
    "reason": _l("Reason"),
    "route": _l("Route"),
}


def _county_of(code: str) -> str:
    return code[:6]


def _claims(filters: Filters):
    village = aliased(Region)
    stmt = (
        select(Claim, Refund.amount_fen, Refund.status)
        .join(Cooperative, Cooperative.id == Claim.cooperative_id)
        .join(village, village.id == Cooperative.village_id)
        .outerjoin(Refund, Refund.id == Claim.refund_id)
        .where(in_period(Claim.opened_at, filters), under_area(village.code, filters))
        .order_by(Claim.id)
    )
    return db.session.execute(stmt).all()


def _delivered(filters: Filters, by: str) -> dict:
    """key -> fulfilments delivered in the period (what the claims are set against)."""
    village = aliased(Region)
    base = (
        select()
        .select_from(Fulfilment)
        .join(Cooperative, Cooperative.id == Fulfilment.cooperative_id)
        .join(village, village.id == Cooperative.village_id)
        .where(
            Fulfilment.status == FulfilmentStatus.delivered,
            in_period(Fulfilment.delivered_at, filters),
            under_area(village.code, filters),
        )
    )
    if by == "cooperative":
        stmt = base.add_columns(Fulfilment.cooperative_id, func.count(Fulfilment.id)).group_by(
            Fulfilment.cooperative_id
        )
    elif by == "product":
        stmt = (
            base.join(OrderLine, OrderLine.fulfilment_id == Fulfilment.id)
            .add_columns(OrderLine.product_id, func.count(func.distinct(Fulfilment.id)))
            .group_by(OrderLine.product_id)
        )
    elif by == "route":
        county = area_key(village.code, RegionLevel.county)
        stmt = (
            base.join(Order, Order.id == Fulfilment.order_id)
            .add_columns(county, Order.pickup_station_id, func.count(Fulfilment.id))
            .group_by(county, Order.pickup_station_id)
        )
        return {(county, station): n for county, station, n in db.session.execute(stmt)}
    else:
        total = db.session.scalar(base.add_columns(func.count(Fulfilment.id)))
        return {None: int(total or 0)}
    return {key: n for key, n in db.session.execute(stmt)}


def _names(by: str, keys, filters: Filters) -> dict:
    if by == "cooperative":
        rows = db.session.execute(
            select(Cooperative.id, Cooperative.name_zh, Cooperative.name_en).where(
                Cooperative.id.in_(keys)
            )
        )
        return {i: filters.name(zh, en) for i, zh, en in rows}
    if by == "product":
        rows = db.session.execute(
            select(Product.id, Product.name_zh, Product.name_en).where(Product.id.in_(keys))
        )
        return {i: filters.name(zh, en) for i, zh, en in rows}
    if by == "reason":
        return {k: str(REASON_LABELS[ClaimReason(k)]) for k in keys}
    counties = {c for c, _ in keys}
    stations = {s for _, s in keys}
    county_names = {
        code: filters.name(zh, en)
        for code, zh, en in db.session.execute(
            select(Region.code, Region.name_zh, Region.name_en).where(Region.code.in_(counties))
        )
    }
    station_names = {
        s.id: s.display_name(filters.locale)
        for s in db.session.scalars(select(Station).where(Station.id.in_(stations)))
    }
    return {(c, s): f"{county_names.get(c, c)} → {station_names.get(s, s)}" for c, s in keys}


def build(filters: Filters) -> Table:
    by = filters.by if filters.by in BREAKDOWNS else "cooperative"
    groups = defaultdict(lambda: {"claims": 0, "refunded": 0, "hours": []})
    village_codes = dict(
        db.session.execute(
            select(Cooperative.id, Region.code).join(Region, Region.id == Cooperative.village_id)
        ).all()
    )
    found = _claims(filters)
    for claim, refund_fen, refund_status in found:
        if by == "cooperative":
            keys = [claim.cooperative_id]
        elif by == "product":
            keys = sorted({cl.order_line.product_id for cl in claim.lines})
        elif by == "reason":
            keys = [str(claim.reason)]
        else:
            county = _county_of(village_codes.get(claim.cooperative_id, ""))
            keys = [(county, claim.order.pickup_station_id)]
        for key in keys:
            group = groups[key]
            group["claims"] += 1
            if refund_status == RefundStatus.succeeded and key == keys[0]:
                group["refunded"] += int(refund_fen or 0)
            if claim.answered_at is not None:
                seconds = (claim.answered_at - claim.opened_at).total_seconds()
                group["hours"].append(seconds / 3600)
    delivered = _delivered(filters, by)
    names = _names(by, list(groups), filters)
    rows = []
    for key, group in groups.items():
        base = delivered.get(None if by == "reason" else key, 0)
        rows.append(
            {
                "key": names.get(key, str(key)),
                "claims": group["claims"],
                "rate": round(group["claims"] * 100 / base, 1) if base else None,
                "refunded": group["refunded"],
                "answer_hours": round(median(group["hours"]), 1) if group["hours"] else None,
            }
        )
    sort = filters.sort if filters.sort in {c.sort for c in COLUMNS} else "claims"
    descending = filters.descending if filters.descending is not None else True
    present = sorted(
        (r for r in rows if r[sort] is not None), key=lambda r: r[sort], reverse=descending
    )
    rows = present + [r for r in rows if r[sort] is None]
    all_hours = [h for g in groups.values() for h in g["hours"]]
    claim_count = len(found)
    total_delivered = sum(_delivered(filters, "reason").values())
    totals = {
        "key": _l("Total"),
        "claims": claim_count,
        "rate": round(claim_count * 100 / total_delivered, 1) if total_delivered else None,
        "refunded": sum(g["refunded"] for g in groups.values()),
        "answer_hours": round(median(all_hours), 1) if all_hours else None,
    }
    columns = [Column("key", KEY_LABELS[by]), *COLUMNS]

    def read_rows(limit, offset):
        end = None if limit is None else offset + limit
        yield from rows[offset:end]

    notes = [
        _l(
            "Claims opened in the period; the rate sets them against the parcels delivered "
            "in the period. A claim about several products counts for each; its refund "
            "once, under the first."
        )
    ]
    return Table(columns, read_rows, totals, len(rows), notes)
