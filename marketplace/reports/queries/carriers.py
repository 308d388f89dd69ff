"""Report 8, express carriers: per carrier and county (of the county centre that handed the
parcels over), parcels handed to the carrier in the period, the shipping buyers were
charged for them, what carrying them cost and the difference.

Shipping charged is read in ONE place, `shipping_charged_fen()`: the fulfilment's
`shipping_fen` (0 until checkout charges freight; the buyer half of the nationwide-delivery
issue fills it). Carrier cost is an ASSUMPTION: each parcel's share of its express
hand-over run (`manifest_parcels.cost_share_fen` on the link with no destination, priced
from the link's `cost_per_run_fen` and `cost_per_kg_fen`); no carrier's tariff is known.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...extensions import db
from ...logistics.carriers import carrier_name
from ...logistics.models import Link, Manifest, ManifestParcel, Parcel, Station
from ...orders.models import Fulfilment
from ...regions.models import Region
from ..services import Column, Filters, Table, order_by, per, stream
from ..sql import in_period, total, under_area


def shipping_charged_fen():
    """What the buyer was charged to deliver a fulfilment's parcel (integer fen). Shipping is
    never household income; this report is the only place it is set against cost."""
    return Fulfilment.shipping_fen


def carrier_cost_per_parcel():
    """parcel id -> its share of the express hand-over run(s) it was carried on."""
    return (
        select(
            ManifestParcel.parcel_id.label("parcel_id"),
            total(ManifestParcel.cost_share_fen).label("cost"),
        )
        .join(Manifest, Manifest.id == ManifestParcel.manifest_id)
        .join(Link, Link.id == Manifest.link_id)
        .where(Link.to_station_id.is_(None))
        .group_by(ManifestParcel.parcel_id)
        .subquery("carrier_cost")
    )


def build(filters: Filters) -> Table:
    cost = carrier_cost_per_parcel()
    last_station = Station.__table__.alias("centre")
    handed = (
        select(
            Parcel.carrier.label("carrier"),
            Parcel.id.label("parcel_id"),
            shipping_charged_fen().label("charged"),
            func.coalesce(cost.c.cost, 0).label("cost"),
            Link.from_station_id.label("centre_id"),
        )
        .join(Fulfilment, Fulfilment.id == Parcel.fulfilment_id)
        .outerjoin(cost, cost.c.parcel_id == Parcel.id)
        # The express link is the route's last: the one leaving the county centre with no
        # destination; found through the parcel's express run.
        .join(ManifestParcel, ManifestParcel.parcel_id == Parcel.id)
        .join(Manifest, Manifest.id == ManifestParcel.manifest_id)
        .join(Link, (Link.id == Manifest.link_id) & Link.to_station_id.is_(None))
        .where(Parcel.carrier.is_not(None), in_period(Parcel.carrier_handed_at, filters))
        .subquery("handed")
    )
    stmt = (
        select(
            handed.c.carrier,
            Region.code.label("county_code"),
            Region.name_zh,
            Region.name_en,
            func.count(handed.c.parcel_id).label("parcels"),
            total(handed.c.charged).label("charged"),
            total(handed.c.cost).label("cost"),
        )
        .join(last_station, last_station.c.id == handed.c.centre_id)
        .join(Region, Region.id == last_station.c.region_id)
        .where(under_area(Region.code, filters))
        .group_by(handed.c.carrier, Region.code, Region.name_zh, Region.name_en)
    )
    sorts = {
        "name": handed.c.carrier,
        "parcels": func.count(handed.c.parcel_id),
        "charged": total(handed.c.charged),
        "cost": total(handed.c.cost),
    }
    ordered = order_by(stmt, sorts, filters, "name", Region.code, ("name",))

    def read_rows(limit, offset):
        for row in stream(ordered, limit, offset):
            charged, spent = row.charged or 0, row.cost or 0
            yield {
                "carrier": carrier_name(row.carrier, filters.locale),
                "county": filters.name(row.name_zh, row.name_en),
                "parcels": row.parcels,
                "charged": charged,
                "cost": spent,
                "margin": charged - spent,
                "cost_per_parcel": per(spent, row.parcels),
            }

    columns = [
        Column("carrier", _l("Express carrier"), sort="name"),
        Column("county", _l("County")),
        Column("parcels", _l("Parcels"), "int", sort="parcels"),
        Column("charged", _l("Shipping charged to buyers"), "fen", sort="charged"),
        Column("cost", _l("Carrier cost (assumed)"), "fen", sort="cost"),
        Column("margin", _l("Charged minus cost"), "fen"),
        Column("cost_per_parcel", _l("Cost per parcel"), "fen"),
    ]
    whole = (
        select(func.count(), total(handed.c.charged), total(handed.c.cost))
        .select_from(
            handed.join(last_station, last_station.c.id == handed.c.centre_id).join(
                Region, Region.id == last_station.c.region_id
            )
        )
        .where(under_area(Region.code, filters))
    )
    parcels, charged, spent = db.session.execute(whole).one()
    totals = {
        "carrier": _l("All carriers"),
        "parcels": parcels or 0,
        "charged": charged or 0,
        "cost": spent or 0,
        "margin": (charged or 0) - (spent or 0),
        "cost_per_parcel": per(spent, parcels),
    }
    count = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    notes = [
        _l(
            "Parcels handed to an express carrier in the period, by the county of the county "
            "centre that handed them over."
        ),  # fmt: skip
        _l("Shipping charged is what buyers paid for delivery: it is never household income."),
        _l(
            "Carrier cost is an assumption: each parcel's share of its county centre's express "
            "hand-over, priced from the link's cost per run and per kg."
        ),  # fmt: skip
    ]
    return Table(columns, read_rows, totals, count, notes)
