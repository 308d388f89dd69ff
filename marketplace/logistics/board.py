"""What a station sees: today's inbound and outbound runs, parcels waiting, parcels to hand
over, parcels still at the cooperatives; and one run's manifest with each parcel's next stop."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import selectinload

from ..clock import local_date
from ..extensions import db
from ..orders.models import Fulfilment, Order
from ..orders.queries import parcels_to_hand_over_at
from .consolidation import next_link_id
from .itinerary import next_scan
from .models import Link, Manifest, ManifestParcel, ManifestStatus, Parcel, ParcelStatus, Station


@dataclass
class Waiting:
    """A parcel at the station, the run it is planned on and where that run goes."""

    parcel: Parcel
    run: Manifest | None  # the run it is planned on
    next_station: Station | None  # None: the express carrier


@dataclass
class Board:
    """One station's day."""

    station: Station
    day: date
    outbound: list[Manifest]
    inbound: list[Manifest]
    waiting: list[Waiting]
    ready: list[Parcel]
    expected: list[Parcel]


def _manifests(*where) -> list[Manifest]:
    stmt = (
        db.select(Manifest)
        .join(Link, Link.id == Manifest.link_id)
        .where(*where)
        .order_by(Manifest.departs_at, Manifest.id)
    )
    return list(db.session.scalars(stmt))


def _planned_run(parcel: Parcel) -> Manifest | None:
    return db.session.scalar(
        db.select(Manifest)
        .join(ManifestParcel, ManifestParcel.manifest_id == Manifest.id)
        .where(ManifestParcel.parcel_id == parcel.id, Manifest.link_id == next_link_id(parcel))
    )


def _planned_runs(parcels) -> dict[int, Manifest]:
    """{parcel id: the run it is planned on from here} (`_planned_run` for many, one query)."""
    wanted = {p.id: next_link_id(p) for p in parcels}
    if not wanted:
        return {}
    rows = db.session.execute(
        db.select(ManifestParcel.parcel_id, Manifest)
        .join(Manifest, ManifestParcel.manifest_id == Manifest.id)
        .where(ManifestParcel.parcel_id.in_(wanted))
    )
    return {pid: run for pid, run in rows if run.link_id == wanted[pid]}


def station_board(station: Station, now: datetime) -> Board:
    """Everything an operator at `station` needs today (Beijing day of `now`)."""
    today = local_date(now)
    # Today's and tomorrow's: in the afternoon, parcels received wait for tomorrow's run.
    outbound = _manifests(
        Link.from_station_id == station.id,
        Manifest.service_date.between(today, today + timedelta(days=1)),
    )
    inbound = _manifests(
        Link.to_station_id == station.id,
        db.or_(Manifest.service_date == today, Manifest.status == ManifestStatus.departed),
    )
    # What the page shows of each parcel, loaded with it (a county centre holds thousands).
    here = db.session.scalars(
        db.select(Parcel)
        .where(Parcel.current_station_id == station.id)
        .order_by(Parcel.created_at, Parcel.id)
        .options(
            selectinload(Parcel.fulfilment).options(
                selectinload(Fulfilment.order).selectinload(Order.buyer),
                selectinload(Fulfilment.cooperative),
            )
        )
    ).all()
    at_station = [p for p in here if p.status == ParcelStatus.at_station]
    runs = _planned_runs(at_station)
    link_ids = {next_link_id(p) for p in at_station} - {None}
    links = {
        link.id: link
        for link in db.session.scalars(
            db.select(Link).where(Link.id.in_(link_ids)).options(selectinload(Link.to_station))
        )
    }
    waiting = []
    for parcel in at_station:
        link = links.get(next_link_id(parcel))
        waiting.append(Waiting(parcel, runs.get(parcel.id), link.to_station if link else None))
    ready = [p for p in here if p.status == ParcelStatus.ready_for_pickup]
    expected = parcels_to_hand_over_at(station)
    return Board(
        station=station,
        day=today,
        outbound=outbound,
        inbound=inbound,
        waiting=waiting,
        ready=ready,
        expected=[p for p in expected if p.route and p.route[0] == station.id],
    )


@dataclass
class ManifestRow:
    """One parcel of a run, with where it goes next and where it ends."""

    entry: ManifestParcel
    onward: Station | None  # where it goes after this run's destination; None: ends there
    destination: Station
    express: bool


def manifest_rows(manifest: Manifest) -> list[ManifestRow]:
    """The parcels of one run, each with its next stop after this run and its destination."""
    entries = sorted(manifest.entries, key=lambda e: e.parcel.code)
    ids = {i for e in entries for i in e.parcel.route}
    stations = {s.id: s for s in db.session.scalars(db.select(Station).where(Station.id.in_(ids)))}
    rows = []
    for entry in entries:
        route = entry.parcel.route
        position = entry.parcel.route_links.index(manifest.link_id)
        after = position + 2
        onward = stations[route[after]] if after < len(route) else None
        express = len(entry.parcel.route_links) == len(route)
        rows.append(ManifestRow(entry, onward, stations[route[-1]], express))
    return rows


def parcel_weight_g(manifest: Manifest) -> int:
    """Total weight of a run's parcels."""
    return sum(entry.parcel.weight_g for entry in manifest.entries)


def suggested_action(today: Board, code: str | None = None) -> str | None:
    """The scan the form starts on: the one next step the server would allow for the
    typed parcel (`itinerary.next_scan`) if it happens here, else the step most parcels on
    this board wait for (handed in, arriving, leaving)."""
    station_id = today.station.id
    from .services import find_parcel  # services is above board

    parcel = find_parcel(code) if code else None
    step = next_scan(parcel) if parcel is not None else None
    if step is not None and step.station_id == station_id:
        return step.action.value
    counts = {
        "received": len(today.expected),
        "arrived": sum(
            1
            for run in today.inbound
            for entry in run.entries
            if entry.parcel.is_in_transit
            and entry.parcel.route[entry.parcel.leg_index + 1] == station_id
        ),
        "departed": sum(1 for w in today.waiting if w.next_station is not None),
        "handed_to_carrier": sum(1 for w in today.waiting if w.next_station is None),
    }
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None
