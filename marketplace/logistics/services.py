"""Logistics services other packages call: a parcel for each fulfilment (planned on the
station graph), the next scan a parcel expects, its tracking timeline, cancellation."""

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from ..clock import utcnow
from ..errors import Conflict
from ..extensions import db
from ..orders.models import FulfilmentStatus
from ..orders.queries import is_buyer_side
from ..status import record_initial_status
from . import estimate
from .consolidation import consolidate, lock_stations, next_link_id, reprice  # noqa: F401
from .itinerary import NextScan, is_express, next_scan  # noqa: F401  (public here too)
from .models import (
    Link,
    Manifest,
    ManifestParcel,
    Parcel,
    ParcelScan,
    ParcelStatus,
    ScanAction,
    Station,
)
from .network import load_network, operates, station_label
from .planner import NoColdChainRoute, NoRoute, plan_route
from .status import move_parcel, revive_parcel

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: typed on phones


def new_parcel_code() -> str:
    """A unique, human-typable parcel code, e.g. 'PX7K3M9Q2A'."""
    while True:
        code = "P" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(9))
        if db.session.scalar(db.select(Parcel.id).where(Parcel.code == code)) is None:
            return code


def new_pickup_code() -> str:
    """A random 6-digit pickup code."""
    return f"{secrets.randbelow(1_000_000):06d}"


def normalise_code(text: str) -> str:
    """What an operator typed or pasted ('p x7k3 m9q2a ') as a parcel code ('PX7K3M9Q2A')."""
    return "".join((text or "").split()).upper()


def find_parcel(code: str) -> Parcel | None:
    """The parcel with this code, however the operator typed it."""
    return db.session.scalar(db.select(Parcel).where(Parcel.code == normalise_code(code)))


def _destination_label(pickup_station):
    """The pickup point's name, or (express, no pickup point) the county's express carrier."""
    if pickup_station is None:
        return _l("the express carrier at the county centre")
    return station_label(pickup_station)


def _shown(thing) -> LazyString:
    """A cooperative's (or station's) name in the language of the page the message ends
    up on (the message is lazy; the names are read now)."""
    name_zh, name_en = thing.name_zh, getattr(thing, "name_en", None)
    return LazyString(lambda: name_en if name_en and str(get_locale()) == "en" else name_zh)


def plan_parcel(fulfilment, pickup_station, now=None, *, express=False) -> Parcel:
    """Create the parcel of a fulfilment: the cheapest route from the cooperative's home
    station to the pickup point (or, with `express`, to an express carrier hand-over), cold
    chain if any line is perishable, with codes, weight and ETA. Raises Conflict (NoRoute /
    NoColdChainRoute) with a message for the buyer when no route exists."""
    parcel = _new_parcel(fulfilment, pickup_station, now or utcnow(), express, load_network())
    with db.session.no_autoflush:  # the parcel is not complete until it has its code
        parcel.code = new_parcel_code()
    db.session.add(parcel)
    db.session.flush()
    record_initial_status(parcel, "parcel")
    return parcel


def plan_parcels(fulfilments, pickup_station, now=None, *, express=False) -> list[Parcel]:
    """`plan_parcel` for every fulfilment of a new order, written with the order's one
    flush: no flush and no query here (the network comes from the per-process cache). The
    caller records each parcel's initial status once flushed (`record_initial_statuses`).

    The parcel code is not looked up first: 31^9 codes make a clash with the unique
    constraint about one in 10^7 at a million parcels, and that checkout fails whole.
    """
    now = now or utcnow()
    network = load_network()
    parcels = [_new_parcel(f, pickup_station, now, express, network) for f in fulfilments]
    for parcel in parcels:
        parcel.code = "P" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(9))
    return parcels


def _new_parcel(fulfilment, pickup_station, now, express, network) -> Parcel:
    cooperative = fulfilment.cooperative
    if cooperative.home_station_id is None:
        raise Conflict(
            _l(
                "%(cooperative)s has no village point to hand parcels to yet.",
                cooperative=_shown(cooperative),
            )
        )
    cold = any(line.product.perishable for line in fulfilment.lines)
    weight = sum(line.unit_weight_g * line.quantity for line in fulfilment.lines)
    try:
        route = plan_route(
            network,
            cooperative.home_station_id,
            None if express else pickup_station.id,
            cold_chain=cold,
            depart_after=estimate.hand_in_after(now),
            weight_g=weight,
        )
    except NoColdChainRoute as exc:
        raise NoColdChainRoute(
            _l(
                "Perishable goods from %(cooperative)s cannot reach %(station)s by cold chain. "
                "Please choose another pickup point.",
                cooperative=_shown(cooperative),
                station=_destination_label(pickup_station),
            )
        ) from exc
    except NoRoute as exc:
        raise NoRoute(
            _l(
                "Parcels from %(cooperative)s cannot reach %(station)s. "
                "Please choose another pickup point.",
                cooperative=_shown(cooperative),
                station=_destination_label(pickup_station),
            )
        ) from exc
    return Parcel(
        pickup_code=new_pickup_code(),
        fulfilment=fulfilment,
        route=list(route.station_ids),
        route_links=list(route.link_ids),
        weight_g=weight,
        cold_chain=cold,
        status=ParcelStatus.awaiting_handover,
        leg_index=0,
        eta=estimate.ready_at(route.eta),
        promised_by=estimate.promised_by(route.eta),
        created_at=now,
    )


def cancel_parcel(parcel: Parcel, by=None, note=None, at=None) -> None:
    """Cancel a parcel that has not left its station (orders calls this when a fulfilment is
    cancelled): it leaves the run it was planned on, whose cost the others then share, and
    its place in the station's daily capacity goes to the next parcel in line.
    Raises IllegalTransition when the parcel is already on its way."""
    station_id = parcel.current_station_id
    at = at or utcnow()
    move_parcel(parcel, ParcelStatus.cancelled, by=by, note=note, at=at)
    link_id = next_link_id(parcel)
    entries = db.session.scalars(
        db.select(ManifestParcel)
        .join(Manifest, Manifest.id == ManifestParcel.manifest_id)
        .where(ManifestParcel.parcel_id == parcel.id, Manifest.link_id == link_id)
    ).all()
    manifests = [entry.manifest for entry in entries]
    for entry in entries:
        db.session.delete(entry)
    db.session.flush()
    for manifest in manifests:
        reprice(manifest)
    parcel.current_station_id = None
    parcel.eta = None
    db.session.flush()
    if station_id is not None:
        consolidate(
            db.session.get(Station, station_id), now=at
        )  # its place goes to the next in line


def restore_parcel(parcel: Parcel, by=None, note=None) -> None:
    """A cancelled parcel whose order came back waits again at its origin, not yet received."""
    revive_parcel(parcel, by=by, note=note)
    parcel.leg_index = 0
    parcel.current_station_id = None
    db.session.flush()


@dataclass
class Stop:
    """One station of a parcel's route as the buyer sees it."""

    station: Station
    state: str  # passed | here | next | ahead
    arrived_at: datetime | None
    departed_at: datetime | None


@dataclass
class Tracking:
    """A parcel's timeline: its route, its scans, the next scan expected."""

    parcel: Parcel
    stops: list[Stop]
    scans: list[ParcelScan]
    carrier: str | None
    next: NextScan | None
    cost_fen: int  # the parcel's shares of the runs it has been planned on so far


def tracking(parcel: Parcel) -> Tracking:
    """The route with station names, where the parcel is, each scan, the ETA."""
    stations = {
        s.id: s for s in db.session.scalars(db.select(Station).where(Station.id.in_(parcel.route)))
    }
    scans = list(
        db.session.scalars(
            db.select(ParcelScan)
            .where(ParcelScan.parcel_id == parcel.id)
            .order_by(ParcelScan.at, ParcelScan.id)
        )
    )
    expected = next_scan(parcel)
    stops = []
    for index, station_id in enumerate(parcel.route):
        here = [s for s in scans if s.station_id == station_id]
        arrived = next((s.at for s in here if s.action != ScanAction.departed), None)
        departed = next(
            (s.at for s in here if s.action in (ScanAction.departed, ScanAction.handed_to_carrier)),
            None,
        )
        stops.append(Stop(stations[station_id], _state(parcel, index), arrived, departed))
    carrier = None
    if is_express(parcel):
        carrier = db.session.get(Link, parcel.route_links[-1]).carrier
    cost = db.session.scalar(
        db.select(db.func.coalesce(db.func.sum(ManifestParcel.cost_share_fen), 0)).where(
            ManifestParcel.parcel_id == parcel.id
        )
    )
    return Tracking(parcel, stops, scans, carrier, expected, cost)


def _state(parcel: Parcel, index: int) -> str:
    done = parcel.status in (ParcelStatus.handed_over, ParcelStatus.handed_to_carrier)
    if parcel.status == ParcelStatus.cancelled:
        return "passed" if index < parcel.leg_index else "ahead"
    if parcel.status == ParcelStatus.awaiting_handover:
        return "next" if index == 0 else "ahead"
    if index < parcel.leg_index or (done and index == parcel.leg_index):
        return "passed"
    if index == parcel.leg_index:
        return "passed" if parcel.status == ParcelStatus.in_transit else "here"
    if index == parcel.leg_index + 1 and parcel.status == ParcelStatus.in_transit:
        return "next"
    return "ahead"


def pickup_code_visible(user, parcel: Parcel | None) -> bool:
    """The pickup code is shown only to the buyer (or the operator who ordered for them) and
    only while the parcel is still to be collected: once handed over or cancelled the code
    is spent, and showing it again would only help someone who should not have it."""
    if parcel is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    fulfilment = parcel.fulfilment
    if fulfilment.status in (FulfilmentStatus.cancelled, FulfilmentStatus.delivered):
        return False
    return parcel.is_under_way and is_buyer_side(user, fulfilment.order)


def phone_matches(parcel: Parcel, last4: str) -> bool:
    """Whether `last4` are the last 4 digits of the phone of the order's recipient (代买)
    or buyer; never with no phone on record."""
    order = parcel.fulfilment.order
    phone = order.recipient_phone or getattr(order.buyer, "phone", None) or ""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 4 or not last4:
        return False
    return hmac.compare_digest(digits[-4:], last4)


def can_track(user, parcel: Parcel) -> bool:
    """The buyer, the operator who placed the order, operators on the route, administrators."""
    if user is None or not user.is_authenticated:
        return False
    order = parcel.fulfilment.order
    if user.is_admin or user.id in (order.buyer_id, order.placed_by_id):
        return True
    stations = db.session.scalars(db.select(Station).where(Station.id.in_(parcel.route)))
    return any(operates(user, station) for station in stations)


def start_return(parcel: Parcel, by=None, at=None) -> None:
    """A parcel nobody collected goes back to its origin village point (orders calls this
    from `return_uncollected`): its route becomes the way back, planned like any other, and
    it waits at the pickup point for its first run, scanned like any other parcel; the scan
    at the origin that ends the way back tells orders (`return_received`)."""
    at = at or utcnow()
    origin, here = parcel.route[0], parcel.current_station_id or parcel.route[-1]
    route = plan_route(load_network(), here, origin, cold_chain=False, depart_after=at)
    move_parcel(parcel, ParcelStatus.at_station, by=by, note="not collected: going back", at=at)
    parcel.route = list(route.station_ids)
    parcel.route_links = list(route.link_ids)
    parcel.leg_index = 0
    parcel.current_station_id = here
    parcel.return_started_at = at
    parcel.eta = route.eta
    db.session.flush()
    consolidate(db.session.get(Station, here), now=at)


def parcels_to_return(station: Station) -> list[Parcel]:
    """Parcels going back to their origin that wait at `station` for their next scan."""
    return list(
        db.session.scalars(
            db.select(Parcel)
            .where(
                Parcel.current_station_id == station.id,
                Parcel.return_started_at.is_not(None),
                Parcel.status == ParcelStatus.at_station,
            )
            .order_by(Parcel.return_started_at, Parcel.id)
        )
    )
