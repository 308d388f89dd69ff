"""The station app's two questions: which parcels a station expects (synced to the phone for
working without a signal) and applying the scans the phone recorded offline, each once.

Applying a batch goes through the scan verbs (`scans.record_scan`), one savepoint per scan,
so one refusal leaves the others applied; the request commits once (transaction.py). The
phone's UUID for a scan is stored with it (`ClientScan`, unique), so the same scan sent
twice, even by two concurrent batches, is applied once: the batch first locks the stations
and then the sales of its parcels (the lock order of every scan, cancel and payment), then
looks the id up; the unique constraint catches what slips past. Scans of one parcel apply
in the order they were scanned (device time), whatever order they arrive in.

The pickup check sent to the phone (`pickup_check`) is a salted PBKDF2 of the pickup code
cut to `PICKUP_CHECK_BITS` bits: enough to catch a mistyped code on the phone (a wrong code
passes 1 time in 4,096), too few for a stolen phone to reveal the code, since every one of
the million six-digit codes is tried in seconds offline and about 244 match. The server
still checks the real code, with its five-tries lock, when the scan arrives.
"""

import base64
import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..clock import local_date, utcnow
from ..errors import Conflict, DomainError
from ..extensions import db
from ..orders import actions as sale
from ..orders.queries import parcels_to_hand_over_at
from ..transaction import atomic, hold_write_lock
from .consolidation import lock_stations
from .itinerary import is_express, next_scan
from .models import (
    Link,
    Manifest,
    ManifestParcel,
    ManifestStatus,
    Parcel,
    ParcelScan,
    ParcelStatus,
    ScanAction,
    Station,
)
from .network import operates
from .offline_models import ClientScan
from .scans import PickupRefused, record_scan
from .services import find_parcel

MAX_BATCH = 100
PICKUP_CHECK_ITERATIONS = 20_000
PICKUP_CHECK_BITS = 12
A = ScanAction

# What the operator should do about each refusal (shown under the server's reason).
ADVICE = {
    "order_cancelled": _l(
        "Do not hand the parcel over: keep it apart and send it back to the cooperative."
    ),
    "wrong_station": _l(
        "Check the code on the label. If the parcel is really here, call the county centre."
    ),
    "out_of_order": _l("Check which step the parcel needs now and scan it again."),
    "no_more_scans": _l("Nothing to do: this parcel needs no more scans."),
    "not_your_station": _l("Choose your own station in the app and scan again."),
    "wrong_pickup_code": _l(
        "Call the buyer: the parcel was handed over without the right pickup code."
    ),
    "pickup_code_locked": _l("Wait 15 minutes, then hand the parcel over again with the code."),
    "wrong_cash_amount": _l("Count the cash again and record the hand-over with the amount due."),
    "not_ready_to_send": _l("Keep the parcel at the cooperative until the order is paid."),
    "not_ready_for_pickup": _l("Keep the parcel and ask the county centre."),
    "unknown_parcel": _l("Check the code on the label and type it again."),
    "unknown_station": _l("Open the station app again from your station."),
}
DEFAULT_ADVICE = _l("Check the parcel and scan it again.")


@dataclass
class ScanRequest:
    """One scan as the phone recorded it (times naive UTC)."""

    client_id: str
    parcel_code: str
    station_id: int
    action: ScanAction
    scanned_at: datetime
    pickup_code: str | None = None
    cash_received_fen: int | None = None
    carrier: str | None = None
    tracking_no: str | None = None


@dataclass
class Outcome:
    """What became of one scan: applied, duplicate (applied before) or refused (why)."""

    client_id: str
    status: str
    parcel: Parcel | None = None
    reason: str | None = None
    message: str | None = None
    advice: str | None = None
    scan: ParcelScan | None = field(default=None, repr=False)


# -- what a station expects ---------------------------------------------------------------


@dataclass
class Expected:
    """A parcel the station will scan: its next scan here and the ones after it here."""

    parcel: Parcel
    actions: list[ScanAction]  # actions[0] is the next one at this station

    @property
    def pickup_here(self) -> bool:
        return ScanAction.handed_over in self.actions


def actions_at(parcel: Parcel, station_id: int) -> list[ScanAction]:
    """The scans a parcel's route has at one station, in order (empty if it passes not)."""
    route = parcel.route or []
    if station_id not in route:
        return []
    k, last = route.index(station_id), len(route) - 1
    end = A.handed_to_carrier if is_express(parcel) else A.handed_over
    if k == 0:
        return [A.received, A.departed if last > 0 else end]
    return [A.arrived, A.departed if k < last else end]


def actions_left_at(parcel: Parcel, station_id: int) -> list[ScanAction]:
    """The scans the parcel still needs at this station, the next one first."""
    here = actions_at(parcel, station_id)
    coming = next_scan(parcel)
    if not here or coming is None:
        return []
    position = parcel.route.index(station_id)
    if coming.station_id == station_id:
        return here[here.index(coming.action) :] if coming.action in here else []
    # Not there yet: where is its next scan on the route?
    return here if parcel.route.index(coming.station_id) < position else []


def expected_at(station: Station, now: datetime | None = None) -> list[Expected]:
    """The parcels `station` will scan today and tomorrow: handed in by its cooperatives,
    at the station, and on its inbound runs (today's and tomorrow's, and those under way)."""
    now = now or utcnow()
    today = local_date(now)
    found: dict[int, Parcel] = {}
    for parcel in parcels_to_hand_over_at(station):
        found[parcel.id] = parcel
    here = db.session.scalars(db.select(Parcel).where(Parcel.current_station_id == station.id))
    for parcel in here:
        found[parcel.id] = parcel
    inbound = db.session.scalars(
        db.select(Parcel)
        .join(ManifestParcel, ManifestParcel.parcel_id == Parcel.id)
        .join(Manifest, Manifest.id == ManifestParcel.manifest_id)
        .join(Link, Link.id == Manifest.link_id)
        .where(
            Link.to_station_id == station.id,
            Parcel.status.in_([ParcelStatus.at_station, ParcelStatus.in_transit]),
            db.or_(
                Manifest.service_date.between(today, today + timedelta(days=1)),
                Manifest.status == ManifestStatus.departed,
            ),
        )
    )
    for parcel in inbound:
        found[parcel.id] = parcel
    expected = []
    for parcel in sorted(found.values(), key=lambda p: (p.created_at, p.id)):
        actions = actions_left_at(parcel, station.id)
        if actions:
            expected.append(Expected(parcel, actions))
    return expected


def pickup_check(pickup_code: str, salt: bytes | None = None) -> dict:
    """What the phone needs to check a pickup code without knowing it (see the module)."""
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pickup_code.encode(), salt, PICKUP_CHECK_ITERATIONS)
    return {
        "alg": "PBKDF2-SHA256",
        "iterations": PICKUP_CHECK_ITERATIONS,
        "salt": base64.b64encode(salt).decode(),
        "bits": PICKUP_CHECK_BITS,
        "prefix": _prefix(digest, PICKUP_CHECK_BITS),
    }


def _prefix(digest: bytes, bits: int) -> str:
    """The first `bits` bits of a digest as hex (bits a multiple of 4)."""
    return digest.hex()[: bits // 4]


# -- applying a batch ---------------------------------------------------------------------


def apply_batch(scans: list[ScanRequest], by, now: datetime | None = None) -> list[Outcome]:
    """Apply the phone's scans, each in its own savepoint, in the order they were scanned;
    answers one outcome per scan in the order sent. Flushes, never commits."""
    now = now or utcnow()
    hold_write_lock()
    parcels = {s.parcel_code: find_parcel(s.parcel_code) for s in scans}
    stations = {s.station_id: db.session.get(Station, s.station_id) for s in scans}
    # Every lock up front, in the one order (stations by id, then sales by order id), so
    # two batches over the same stations take turns instead of deadlocking.
    lock_stations([sid for sid, station in stations.items() if station is not None])
    for order_id in sorted({p.fulfilment.order_id for p in parcels.values() if p is not None}):
        sale.lock_sale(order_id)
    order = sorted(range(len(scans)), key=lambda i: (scans[i].scanned_at, i))
    outcomes: dict[int, Outcome] = {}
    for i in order:
        one = scans[i]
        outcomes[i] = _apply_one(one, parcels[one.parcel_code], stations[one.station_id], by, now)
    return [outcomes[i] for i in range(len(scans))]


def _refused(one: ScanRequest, error: DomainError, parcel=None) -> Outcome:
    reason = error.details.get("reason") or error.code
    return Outcome(
        one.client_id,
        "refused",
        parcel=parcel,
        reason=reason,
        message=str(error.message),
        advice=str(ADVICE.get(reason, DEFAULT_ADVICE)),
    )


def _already(client_id: str) -> ClientScan | None:
    return db.session.scalar(db.select(ClientScan).where(ClientScan.client_id == client_id))


def _apply_one(one: ScanRequest, parcel, station, by, now) -> Outcome:
    try:
        with atomic():
            earlier = _already(one.client_id)
            if earlier is not None:
                return Outcome(one.client_id, "duplicate", parcel=earlier.scan.parcel)
            if parcel is None:
                raise Conflict(
                    _l("No parcel has the code %(code)s.", code=one.parcel_code),
                    reason="unknown_parcel",
                )
            if station is None:
                raise Conflict(_l("There is no such station."), reason="unknown_station")
            if parcel.status == ParcelStatus.cancelled and operates(by, station):
                raise Conflict(
                    _l("The order of parcel %(code)s was cancelled.", code=parcel.code),
                    reason="order_cancelled",
                )
            try:
                scan = record_scan(
                    parcel,
                    station,
                    one.action,
                    by,
                    pickup_code=one.pickup_code,
                    cash_received_fen=one.cash_received_fen,
                    at=_event_time(parcel, one.scanned_at, now),
                    **carrier_fields(one),
                )
            except PickupRefused as refused:
                # The wrong try is counted in this savepoint; keep it (leave normally).
                return _refused(one, refused.refusal, parcel)
            db.session.add(
                ClientScan(
                    client_id=one.client_id,
                    scan_id=scan.id,
                    by_id=by.id,
                    scanned_at=one.scanned_at,
                    received_at=now,
                )
            )
            db.session.flush()
            return Outcome(one.client_id, "applied", parcel=parcel, scan=scan)
    except DomainError as error:
        return _refused(one, error, parcel)
    except IntegrityError:
        # A concurrent batch stored this client id first: its scan is the one applied.
        return Outcome(one.client_id, "duplicate", parcel=parcel)


def carrier_fields(one: ScanRequest) -> dict:
    """The express carrier and tracking number of a `handed_to_carrier` scan, for
    `record_scan` (which checks them: a carrier off the list or a malformed number is
    refused with its reason)."""
    if one.action != ScanAction.handed_to_carrier:
        return {}
    return {"carrier": one.carrier, "tracking_no": one.tracking_no}


def _event_time(parcel: Parcel, scanned_at: datetime, now: datetime) -> datetime:
    """When the scan happened: the phone's time, but never in the future (a phone's clock
    running ahead) nor before the parcel's last scan (its clock running behind)."""
    at = min(scanned_at, now)
    last = max((s.at for s in parcel.scans), default=None)
    return max(at, last) if last is not None else at
