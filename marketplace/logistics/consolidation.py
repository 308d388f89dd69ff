"""Consolidation: the parcels waiting at a station are grouped into one manifest per
scheduled run of each outgoing link, and each run's cost is shared among its parcels by
weight (largest remainder, so the shares sum exactly to the run's cost).

Capacity: a station dispatches at most `capacity_per_day` parcels per (Beijing) day over
all its runs; the oldest parcels go first, the rest wait for a later day's run and their
ETA moves. A run stays open for late scans for `LATE_SCAN_GRACE` after its departure time.
"""

from datetime import datetime, time, timedelta

from ..clock import local_date, to_utc, utcnow
from ..extensions import db
from ..money import split_largest_remainder
from ..transaction import verb
from .estimate import ready_at
from .models import Link, Manifest, ManifestParcel, ManifestStatus, Parcel, ParcelStatus, Station
from .network import edge_of
from .planner import eta_along

LATE_SCAN_GRACE = timedelta(hours=3)
MAX_DAYS_AHEAD = 60  # a station closed longer than this leaves its parcels unplanned


def next_link_id(parcel: Parcel) -> int | None:
    """The link the parcel takes from where it is now, if any."""
    links = parcel.route_links or []
    return links[parcel.leg_index] if parcel.leg_index < len(links) else None


def _lock(station: Station) -> None:
    # Two operators scanning at one station re-plan its runs one after the other.
    lock_stations([station.id])


def lock_stations(station_ids) -> None:
    """Lock stations' rows in id order: whoever re-plans their runs goes one at a time.

    A station is locked before the sales of the parcels at it (`orders.actions.lock_sale`).
    """
    ids = sorted(set(station_ids))
    if ids:
        db.session.execute(
            db.select(Station.id).where(Station.id.in_(ids)).order_by(Station.id).with_for_update()
        ).all()


def _arrived_at(parcel: Parcel, station: Station, now: datetime) -> datetime:
    times = [s.at for s in parcel.scans if s.station_id == station.id]
    return max(times) if times else now


def _day_loads(station: Station) -> dict:
    """Parcels already on this station's runs, per service date."""
    stmt = (
        db.select(Manifest.service_date, db.func.count())
        .join(ManifestParcel, ManifestParcel.manifest_id == Manifest.id)
        .join(Link, Link.id == Manifest.link_id)
        .where(Link.from_station_id == station.id)
        .group_by(Manifest.service_date)
    )
    return dict(db.session.execute(stmt).all())


def _run_with_room(edge, ready: datetime, loads: dict, capacity: int) -> datetime | None:
    departure = edge.next_departure(ready)
    for _ in range(MAX_DAYS_AHEAD):
        if departure is None:
            return None
        day = local_date(departure)
        if loads.get(day, 0) < capacity:
            return departure
        # That day is full: try the first run of the following day.
        next_day = to_utc(datetime.combine(day + timedelta(days=1), time.min))
        departure = edge.next_departure(next_day)
    return None


def manifest_for(link: Link, departs_at: datetime) -> Manifest:
    """The manifest of one scheduled run (created when its first parcel joins)."""
    manifest = db.session.scalar(
        db.select(Manifest).where(Manifest.link_id == link.id, Manifest.departs_at == departs_at)
    )
    if manifest is None:
        manifest = Manifest(
            link_id=link.id,
            departs_at=departs_at,
            service_date=local_date(departs_at),
            cost_fen=0,
            status=ManifestStatus.planned,
        )
        db.session.add(manifest)
        db.session.flush()
    return manifest


def run_cost_fen(link: Link, total_weight_g: int) -> int:
    """Cost of one run: cost per run + cost per kg x total kg, in whole fen (half up)."""
    return edge_of(link).cost_fen(total_weight_g)


def reprice(manifest: Manifest) -> None:
    """Recompute a run's cost and each parcel's share by weight (shares sum exactly)."""
    entries = list(
        db.session.scalars(
            db.select(ManifestParcel)
            .where(ManifestParcel.manifest_id == manifest.id)
            .order_by(ManifestParcel.parcel_id)
        )
    )
    if not entries:
        if manifest.status == ManifestStatus.planned:
            db.session.delete(manifest)
        else:
            manifest.cost_fen = 0
        return
    weights = [entry.parcel.weight_g for entry in entries]
    if sum(weights) == 0:
        weights = [1] * len(entries)  # weightless parcels share equally
    manifest.cost_fen = run_cost_fen(manifest.link, sum(e.parcel.weight_g for e in entries))
    for entry, share in zip(
        entries, split_largest_remainder(manifest.cost_fen, weights), strict=True
    ):
        entry.cost_share_fen = share


def waiting_parcels(station: Station) -> list[Parcel]:
    """Parcels at the station waiting for a run, oldest first."""
    stmt = (
        db.select(Parcel)
        .where(Parcel.current_station_id == station.id, Parcel.status == ParcelStatus.at_station)
        .order_by(Parcel.created_at, Parcel.id)
    )
    return list(db.session.scalars(stmt))


def consolidate(station: Station, now: datetime | None = None) -> list[Manifest]:
    """Re-plan the runs leaving `station` for every parcel waiting there; returns the
    manifests those parcels are now on. Parcels keep their places oldest first."""
    now = now or utcnow()
    _lock(station)
    waiting = [p for p in waiting_parcels(station) if next_link_id(p) is not None]
    touched: dict[int, Manifest] = {}
    # A waiting parcel has not left on its next link, so its place on any run is provisional.
    for parcel in waiting:
        stmt = (
            db.select(ManifestParcel)
            .join(Manifest, Manifest.id == ManifestParcel.manifest_id)
            .where(ManifestParcel.parcel_id == parcel.id, Manifest.link_id == next_link_id(parcel))
        )
        for entry in db.session.scalars(stmt):
            touched[entry.manifest_id] = entry.manifest
            db.session.delete(entry)
    db.session.flush()
    loads = _day_loads(station)
    joined: dict[int, Manifest] = {}
    for parcel in waiting:
        link = db.session.get(Link, next_link_id(parcel))
        edge = edge_of(link)
        ready = max(_arrived_at(parcel, station, now), now - LATE_SCAN_GRACE)
        departure = _run_with_room(edge, ready, loads, station.capacity_per_day)
        if departure is None or not link.active:
            parcel.eta = None
            continue
        manifest = manifest_for(link, departure)
        db.session.add(ManifestParcel(manifest_id=manifest.id, parcel_id=parcel.id))
        loads[manifest.service_date] = loads.get(manifest.service_date, 0) + 1
        joined[manifest.id] = touched[manifest.id] = manifest
        parcel.eta = remaining_eta(parcel, edge.arrival(departure), from_leg=parcel.leg_index + 1)
    db.session.flush()
    for manifest in touched.values():
        reprice(manifest)
    db.session.flush()
    return list(joined.values())


@verb
def replan(station: Station) -> list[Manifest]:
    """An operator asks for the station's runs to be planned again (all or nothing)."""
    return consolidate(station)


def remaining_eta(parcel: Parcel, moment: datetime, from_leg: int) -> datetime | None:
    """ETA of a parcel that is at the start of link `from_leg` of its route at `moment`."""
    ids = (parcel.route_links or [])[from_leg:]
    links = {link.id: link for link in db.session.scalars(db.select(Link).where(Link.id.in_(ids)))}
    return ready_at(eta_along([edge_of(links[i]) for i in ids], moment))


def board(parcel: Parcel, link: Link, at: datetime) -> Manifest:
    """The manifest a departing parcel leaves on: its planned run of this link, or (when it
    had none) the run of the scan's time. The manifest is marked departed by the caller."""
    entry = db.session.scalar(
        db.select(ManifestParcel)
        .join(Manifest, Manifest.id == ManifestParcel.manifest_id)
        .where(ManifestParcel.parcel_id == parcel.id, Manifest.link_id == link.id)
    )
    if entry is not None:
        return entry.manifest
    departure = edge_of(link).next_departure(at - LATE_SCAN_GRACE) or at
    manifest = manifest_for(link, departure)
    db.session.add(ManifestParcel(manifest_id=manifest.id, parcel_id=parcel.id))
    db.session.flush()
    reprice(manifest)
    return manifest
