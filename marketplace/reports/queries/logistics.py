"""Report 5, logistics: per station or per link, parcels, runs (manifests), parcels per run,
cost per parcel, days in transit and late parcels (ready for pickup after the end of the
window promised at checkout).

A parcel's transit starts at its first scan (handed in at the origin village point) and
ends when its fulfilment is delivered.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...logistics.models import Link, Manifest, ManifestParcel, Parcel, ParcelScan, Station
from ...orders.models import Fulfilment
from ...regions.models import Region
from ..services import Column, Filters, Table, order_by, per, stream
from ..sql import days_between, in_period, total, under_area

BREAKDOWNS = ("station", "link")
RUN_COLUMNS = [
    Column("parcels", _l("Parcels"), "int", sort="parcels"),
    Column("runs", _l("Runs"), "int", sort="runs"),
    Column("per_run", _l("Parcels per run"), "decimal"),
    Column("cost_per_parcel", _l("Cost per parcel"), "fen"),
    Column("days", _l("Days in transit"), "decimal", sort="days"),
    Column("late", _l("Late parcels"), "int", sort="late"),
]


def parcel_facts():
    """Per parcel: when its transit started, when it was delivered, and whether it was late."""
    started = func.coalesce(func.min(ParcelScan.at), Parcel.created_at)
    return (
        select(
            Parcel.id.label("parcel_id"),
            days_between(Fulfilment.delivered_at, started).label("days"),
            # Late: ready for pickup (its eta becomes that moment) after the end of the
            # window promised at checkout. Picking it up later is the buyer's choice, and
            # a parcel from before the promise was kept counts as on time.
            case(
                (
                    Fulfilment.delivered_at.is_not(None)
                    & Parcel.promised_by.is_not(None)
                    & (Parcel.eta > Parcel.promised_by),
                    1,
                ),
                else_=0,
            ).label("late"),
        )
        .join(Fulfilment, Fulfilment.id == Parcel.fulfilment_id)
        .outerjoin(ParcelScan, ParcelScan.parcel_id == Parcel.id)
        .group_by(
            Parcel.id, Parcel.created_at, Parcel.eta, Parcel.promised_by, Fulfilment.delivered_at
        )
        .subquery("parcel_facts")
    )


def _in_service_period(filters: Filters):
    return (Manifest.service_date >= filters.start) & (Manifest.service_date <= filters.end)


def runs_by(key_column, filters: Filters):
    """key -> runs and their cost, for manifests in the period (grouped by `key_column`)."""
    return (
        select(
            key_column.label("key"),
            func.count(Manifest.id).label("runs"),
            total(Manifest.cost_fen).label("cost"),
        )
        .select_from(Manifest)
        .join(Link, Link.id == Manifest.link_id)
        .where(_in_service_period(filters))
        .group_by(key_column)
        .subquery()
    )


def carried_by(key_column, filters: Filters):
    """key -> parcels carried on those runs, their average days in transit and late count."""
    facts = parcel_facts()
    return (
        select(
            key_column.label("key"),
            func.count(ManifestParcel.parcel_id).label("parcels"),
            func.avg(facts.c.days).label("days"),
            total(facts.c.late).label("late"),
        )
        .select_from(ManifestParcel)
        .join(Manifest, Manifest.id == ManifestParcel.manifest_id)
        .join(Link, Link.id == Manifest.link_id)
        .join(facts, facts.c.parcel_id == ManifestParcel.parcel_id)
        .where(_in_service_period(filters))
        .group_by(key_column)
        .subquery()
    )


def handled_at_station(filters: Filters):
    """station -> parcels scanned there in the period, their average days and late count."""
    facts = parcel_facts()
    seen = (
        select(ParcelScan.station_id, ParcelScan.parcel_id)
        .where(in_period(ParcelScan.at, filters))
        .distinct()
        .subquery()
    )
    return (
        select(
            seen.c.station_id.label("key"),
            func.count(seen.c.parcel_id).label("parcels"),
            func.avg(facts.c.days).label("days"),
            total(facts.c.late).label("late"),
        )
        .join(facts, facts.c.parcel_id == seen.c.parcel_id)
        .group_by(seen.c.station_id)
        .subquery()
    )


def _row(row, name) -> dict:
    return {
        "name": name,
        "parcels": row.parcels or 0,
        "runs": row.runs or 0,
        "per_run": _ratio(row.carried, row.runs),
        "cost_per_parcel": per(row.cost, row.carried),
        "days": None if row.days is None else round(float(row.days), 1),
        "late": row.late or 0,
    }


def _ratio(a, b):
    return None if not b else round((a or 0) / b, 1)


def build(filters: Filters) -> Table:
    """Per station (?by=station, the default) or per link (?by=link)."""
    by_link = filters.by == "link"
    region = aliased(Region)
    if by_link:
        runs, carried = runs_by(Link.id, filters), carried_by(Link.id, filters)
        origin, destination = aliased(Station), aliased(Station)
        stmt = (
            select(
                Link.id,
                Link.carrier,
                origin.name_zh.label("from_zh"),
                origin.name_en.label("from_en"),
                destination.name_zh.label("to_zh"),
                destination.name_en.label("to_en"),
                carried.c.parcels,
                carried.c.parcels.label("carried"),
                runs.c.runs,
                runs.c.cost,
                carried.c.days,
                carried.c.late,
            )
            .join(runs, runs.c.key == Link.id)
            .outerjoin(carried, carried.c.key == Link.id)
            .join(origin, origin.id == Link.from_station_id)
            .outerjoin(destination, destination.id == Link.to_station_id)
            .join(region, region.id == origin.region_id)
            .where(under_area(region.code, filters))
        )
        tiebreak, name_sort = Link.id, origin.name_zh
    else:
        runs = runs_by(Link.from_station_id, filters)
        carried = carried_by(Link.from_station_id, filters)
        handled = handled_at_station(filters)
        stmt = (
            select(
                Station.id,
                Station.name_zh,
                Station.name_en,
                handled.c.parcels,
                carried.c.parcels.label("carried"),
                runs.c.runs,
                runs.c.cost,
                handled.c.days,
                handled.c.late,
            )
            .outerjoin(handled, handled.c.key == Station.id)
            .outerjoin(runs, runs.c.key == Station.id)
            .outerjoin(carried, carried.c.key == Station.id)
            .join(region, region.id == Station.region_id)
            .where(
                under_area(region.code, filters),
                (handled.c.parcels.is_not(None)) | (runs.c.runs.is_not(None)),
            )
        )
        tiebreak, name_sort = Station.code, Station.code
    sorts = {
        "name": name_sort,
        "parcels": func.coalesce(stmt.selected_columns.parcels, 0),
        "runs": func.coalesce(stmt.selected_columns.runs, 0),
        "days": func.coalesce(stmt.selected_columns.days, 0),
        "late": func.coalesce(stmt.selected_columns.late, 0),
    }
    ordered = order_by(stmt, sorts, filters, "name", tiebreak, ("name",))

    def read_rows(limit, offset):
        for row in stream(ordered, limit, offset):
            if by_link:
                to = filters.name(row.to_zh, row.to_en) if row.to_zh else (row.carrier or "")
                name = f"{filters.name(row.from_zh, row.from_en)} → {to}"
            else:
                name = filters.name(row.name_zh, row.name_en)
            yield _row(row, name)

    label = _l("Link") if by_link else _l("Station")
    columns = [Column("name", label, sort="name"), *RUN_COLUMNS]
    count = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    totals = _totals(filters, by_link)
    notes = [
        _l(
            "Runs are manifests departing in the period. Parcels per run and cost per parcel "
            "count the parcels carried on those runs; link costs in the demo are assumptions."
        ),
        _l(
            "Days in transit: from the parcel's first scan to delivery. Late: delivered after "
            "the promised time."
        ),
    ]
    if not by_link:
        notes.insert(0, _l("Parcels: parcels scanned at the station in the period."))
    return Table(columns, read_rows, totals, count, notes)


def _totals(filters: Filters, by_link: bool) -> dict:
    """Every run in the period departing from a station in the area, in one line."""
    origin, region = aliased(Station), aliased(Region)

    def in_area(stmt):
        return (
            stmt.join(Link, Link.id == Manifest.link_id)
            .join(origin, origin.id == Link.from_station_id)
            .join(region, region.id == origin.region_id)
            .where(_in_service_period(filters), under_area(region.code, filters))
        )

    runs, cost = db.session.execute(
        in_area(select(func.count(Manifest.id), total(Manifest.cost_fen)).select_from(Manifest))
    ).one()
    carried = db.session.scalar(
        in_area(
            select(func.count(ManifestParcel.parcel_id))
            .select_from(ManifestParcel)
            .join(Manifest, Manifest.id == ManifestParcel.manifest_id)
        )
    )
    return {
        "name": _l("All runs"),
        "runs": runs or 0,
        "parcels": (carried or 0) if by_link else None,
        "per_run": _ratio(carried, runs),
        "cost_per_parcel": per(cost, carried),
    }
