"""Scanning a parcel along its route, and what each scan does to the parcel, its runs and
the station's till; what it means for the sale, logistics tells `orders.actions`.

Sequence: at the route's first station `received` then `departed`; at each station between
`arrived` then `departed`; at the last `arrived` then `handed_over` (with the pickup code,
and for cash orders exactly the amount due); a one-station route is `received` then
`handed_over`; an express route ends at its hub with `handed_to_carrier`. Anything else is
refused with a message and nothing is written; each refusal carries a machine-readable
`reason` in its details (wrong_station, out_of_order, wrong_pickup_code, ...).

Pickup codes are six digits, so guessing is cheap: after `PICKUP_TRIES` wrong codes within
`PICKUP_WINDOW`, the parcel refuses every code (429, `pickup_code_locked`) for
`PICKUP_LOCK`. Each wrong code is a `PickupCodeFailure` row, written under the sale's
lock and kept although the request answers with an error (see `record_scan`).
"""

import hmac
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from ..clock import format_local, utcnow
from ..errors import Conflict, DomainError, Forbidden
from ..extensions import db
from ..money import format_fen
from ..orders import actions as sale
from ..orders.models import FulfilmentStatus
from ..transaction import on_commit, verb
from ..urls import external_url
from . import carrier_gateway
from .carriers import CARRIERS, normalise_tracking_no, valid_tracking_no
from .consolidation import board, consolidate, lock_stations, remaining_eta
from .itinerary import is_express, next_scan
from .labels import SCAN_ACTION_LABELS
from .models import (
    CashKind,
    CashMovement,
    Link,
    Manifest,
    ManifestParcel,
    ManifestStatus,
    Parcel,
    ParcelScan,
    ParcelStatus,
    PickupCodeFailure,
    ScanAction,
    Station,
)
from .network import edge_of, operates, station_label
from .status import move_manifest, move_parcel

F = FulfilmentStatus
PICKUP_TRIES = 5
PICKUP_WINDOW = timedelta(minutes=15)
PICKUP_LOCK = timedelta(minutes=15)


class PickupCodeLocked(DomainError):
    """Too many wrong pickup codes for this parcel: no code is even checked for a while."""

    status_code = 429
    code = "rate_limited"


class PickupRefused(DomainError):
    """A hand-over refused for its pickup code (409 wrong, 429 locked), the wrong try
    already counted in the session: the caller answers it through
    `transaction.after_commit`, so the count is committed although the answer is an error
    (an error answer rolls back; uncaught, the answer is right but the try is not counted).
    """

    def __init__(self, refusal: DomainError):
        super().__init__(refusal.message, **refusal.details)
        self.status_code, self.code, self.refusal = refusal.status_code, refusal.code, refusal


def _locked(parcel: Parcel, station: Station) -> Parcel:
    """Lock the station, then the parcel's sale (order, fulfilments, parcels), and re-read
    them: the order every path that changes a sale follows, so a scan and a cancel of the
    same order take turns and the second sees what the first did."""
    lock_stations([station.id])
    sale.lock_sale(parcel.fulfilment.order_id)
    return parcel


def check_scan(parcel: Parcel, station: Station, action: ScanAction, by) -> None:
    """Refuse a scan by someone who does not work at `station`, at the wrong station, or out
    of order; and a hand-in for an order that is not ready to be sent."""
    if not operates(by, station):
        raise Forbidden(
            _l("You do not work at %(station)s.", station=station_label(station)),
            reason="not_your_station",
        )
    expected = next_scan(parcel)
    if expected is None:
        raise Conflict(
            _l("Parcel %(code)s needs no more scans.", code=parcel.code), reason="no_more_scans"
        )
    if expected.station_id != station.id:
        where = db.session.get(Station, expected.station_id)
        raise Conflict(
            _l(
                "Parcel %(code)s is not for this station now: its next scan is "
                "“%(action)s” at %(station)s.",
                code=parcel.code,
                action=SCAN_ACTION_LABELS[expected.action],
                station=station_label(where),
            ),
            reason="wrong_station",
        )
    if action != expected.action:
        raise Conflict(
            _l(
                "Parcel %(code)s cannot be marked “%(action)s” now; the next step is “%(next)s”.",
                code=parcel.code,
                action=SCAN_ACTION_LABELS[action],
                next=SCAN_ACTION_LABELS[expected.action],
            ),
            reason="out_of_order",
        )
    fulfilment = parcel.fulfilment
    if (
        action == ScanAction.received
        and parcel.return_started_at is None
        and fulfilment.status not in (F.to_pack, F.packed)
    ):
        raise Conflict(
            _l(
                "The order of parcel %(code)s is not paid or was cancelled: keep it at the "
                "cooperative.",
                code=parcel.code,
            ),
            reason="not_ready_to_send",
        )


def pickup_locked_until(parcel_id: int, now: datetime | None = None) -> datetime | None:
    """Until when the parcel refuses pickup codes: `PICKUP_LOCK` after the wrong code that
    made `PICKUP_TRIES` within `PICKUP_WINDOW`; None if it takes codes now."""
    now = now or utcnow()
    since = now - PICKUP_WINDOW - PICKUP_LOCK
    times = db.session.scalars(
        db.select(PickupCodeFailure.at)
        .where(PickupCodeFailure.parcel_id == parcel_id, PickupCodeFailure.at > since)
        .order_by(PickupCodeFailure.at)
    ).all()
    until = None
    for first, last in zip(times, times[PICKUP_TRIES - 1 :], strict=False):
        if last - first <= PICKUP_WINDOW:
            until = last + PICKUP_LOCK
    return until if until is not None and until > now else None


def locked_parcels(parcel_ids, now: datetime | None = None) -> dict[int, datetime]:
    """parcel id -> until when it refuses pickup codes, for the parcels that do now."""
    now = now or utcnow()
    found = {}
    for parcel_id in parcel_ids:
        until = pickup_locked_until(parcel_id, now)
        if until is not None:
            found[parcel_id] = until
    return found


def _locked_refusal(parcel: Parcel, until: datetime) -> PickupCodeLocked:
    return PickupCodeLocked(
        _l(
            "Too many wrong pickup codes for parcel %(code)s: it is locked for 15 minutes, "
            "until %(until)s.",
            code=parcel.code,
            until=format_local(until, "%H:%M"),
        ),
        reason="pickup_code_locked",
        locked_until=until.isoformat(timespec="seconds") + "Z",
        retry_after=max(1, int((until - utcnow()).total_seconds()) + 1),
    )


def _code_matches(parcel: Parcel, pickup_code) -> bool:
    typed = "".join((pickup_code or "").split())
    return hmac.compare_digest(typed.encode(), parcel.pickup_code.encode())


@verb
def _try_pickup_code(parcel: Parcel, station: Station, by, pickup_code) -> DomainError | None:
    """Check a hand-over's pickup code under the sale's lock, counting a wrong one; the
    refusal is returned, not raised, so the counted try stays in the transaction. The lock
    is held until the commit, so concurrent tries are counted one after another."""
    parcel = _locked(parcel, station)
    check_scan(parcel, station, ScanAction.handed_over, by)
    now = utcnow()
    until = pickup_locked_until(parcel.id, now)
    if until is not None:
        return _locked_refusal(parcel, until)
    if _code_matches(parcel, pickup_code):
        return None
    db.session.add(
        PickupCodeFailure(parcel_id=parcel.id, station_id=station.id, by_id=by.id, at=now)
    )
    db.session.flush()
    until = pickup_locked_until(parcel.id, now)
    if until is not None:
        return _locked_refusal(parcel, until)
    return Conflict(
        _l("The pickup code is wrong. Ask the buyer for the 6-digit code."),
        reason="wrong_pickup_code",
    )


def check_handover(parcel: Parcel, pickup_code, cash_received_fen) -> None:
    """Refuse a hand-over without the right pickup code or without exactly the cash due."""
    until = pickup_locked_until(parcel.id)
    if until is not None:
        raise _locked_refusal(parcel, until)
    if not _code_matches(parcel, pickup_code):
        raise Conflict(
            _l("The pickup code is wrong. Ask the buyer for the 6-digit code."),
            reason="wrong_pickup_code",
        )
    due = parcel.fulfilment.amount_due_fen
    if due > 0 and cash_received_fen != due:
        raise Conflict(
            _l(
                "Collect exactly %(due)s in cash before handing over (entered: %(got)s).",
                due=format_fen(due),
                got=format_fen(cash_received_fen or 0),
            ),
            reason="wrong_cash_amount",
        )
    if due == 0 and cash_received_fen:
        raise Conflict(
            _l("Nothing is due on this parcel: it is paid. Do not take cash."),
            reason="wrong_cash_amount",
        )
    if parcel.fulfilment.status != F.ready_for_pickup:
        raise Conflict(_l("This order cannot be handed over now."), reason="not_ready_for_pickup")


def record_scan(
    parcel: Parcel,
    station: Station,
    action,
    by,
    *,
    pickup_code: str | None = None,
    cash_received_fen: int | None = None,
    carrier: str | None = None,
    tracking_no: str | None = None,
    at: datetime | None = None,
) -> ParcelScan:
    """Record one scan of a parcel at a station by an operator, with its effects.

    A hand-over's pickup code is checked first, on its own (`_try_pickup_code`): a wrong or
    locked code raises `PickupRefused` with the wrong try counted in the session, which
    the caller must answer through `after_commit` to keep it.
    """
    action = ScanAction(action)
    at = at or utcnow()
    if action == ScanAction.handed_over:
        refusal = _try_pickup_code(parcel, station, by, pickup_code)
        if refusal is not None:
            raise PickupRefused(refusal)
    return _record_scan(
        parcel,
        station,
        action,
        by,
        pickup_code=pickup_code,
        cash_received_fen=cash_received_fen,
        carrier=carrier,
        tracking_no=tracking_no,
        at=at,
    )


def check_carrier_handover(parcel: Parcel, carrier, tracking_no) -> str:
    """Refuse a hand-over to a carrier without a carrier of the list or a tracking number
    of 8 to 32 letters and digits (400, naming the field), or with a number already
    recorded for another parcel (409). Returns the tracking number as it is stored."""
    if carrier not in CARRIERS:
        raise DomainError(_l("Choose the express carrier."), field="carrier")
    number = normalise_tracking_no(tracking_no)
    if not valid_tracking_no(number):
        raise DomainError(
            _l("A tracking number is 8 to 32 letters and digits."), field="tracking_no"
        )
    taken = db.session.scalar(
        db.select(Parcel.code).where(
            Parcel.carrier == carrier, Parcel.tracking_no == number, Parcel.id != parcel.id
        )
    )
    if taken is not None:
        raise Conflict(
            _l(
                "This tracking number is already recorded for parcel %(code)s.",
                code=taken,
            ),
            reason="tracking_no_taken",
            field="tracking_no",
        )
    return number


@verb
def _record_scan(
    parcel, station, action, by, *, pickup_code, cash_received_fen, carrier, tracking_no, at
) -> ParcelScan:
    parcel = _locked(parcel, station)
    check_scan(parcel, station, action, by)
    if action == ScanAction.handed_over:
        check_handover(parcel, pickup_code, cash_received_fen)
    if action == ScanAction.handed_to_carrier:
        number = check_carrier_handover(parcel, carrier, tracking_no)
        parcel.carrier, parcel.tracking_no, parcel.carrier_handed_at = carrier, number, at
        on_commit(lambda: _subscribe(carrier, number))
    scan = ParcelScan(parcel=parcel, station_id=station.id, action=action, by_id=by.id, at=at)
    db.session.add(scan)
    EFFECTS[action](parcel, station, by, at)
    db.session.flush()
    return scan


def _at_station(parcel: Parcel, station: Station, by, at: datetime) -> None:
    """The parcel is at `station`: ready for pickup at the end, else onto the next run."""
    last = parcel.leg_index == len(parcel.route) - 1
    parcel.current_station_id = station.id
    fulfilment = parcel.fulfilment
    if last and parcel.return_started_at is not None:
        # A parcel nobody collected is back at its origin point.
        move_parcel(parcel, ParcelStatus.returned, by=by, at=at)
        sale.return_received(fulfilment, by, at)
        parcel.eta = at
        return
    if last and not is_express(parcel):
        move_parcel(parcel, ParcelStatus.ready_for_pickup, by=by, at=at)
        sale.parcel_ready(fulfilment, by, at)
        parcel.eta = at
        return
    move_parcel(parcel, ParcelStatus.at_station, by=by, at=at)
    db.session.flush()
    consolidate(station, now=at)


def _received(parcel, station, by, at):
    sale.parcel_received(parcel.fulfilment, by, at)
    _at_station(parcel, station, by, at)


def _arrived(parcel, station, by, at):
    link_id = parcel.route_links[parcel.leg_index]
    parcel.leg_index += 1
    _at_station(parcel, station, by, at)
    _close_manifest_if_all_arrived(link_id, parcel, by, at)


def _leave(parcel: Parcel, by, at: datetime, to_status: ParcelStatus) -> None:
    link = db.session.get(Link, parcel.route_links[parcel.leg_index])
    manifest = board(parcel, link, at)
    if manifest.status == ManifestStatus.planned:
        move_manifest(manifest, ManifestStatus.departed, by=by, at=at)
    move_parcel(parcel, to_status, by=by, at=at)
    parcel.current_station_id = None
    sale.parcel_departed(parcel.fulfilment, by, at)
    if to_status == ParcelStatus.in_transit:
        arrival = edge_of(link).arrival(at)
        parcel.eta = remaining_eta(parcel, arrival, from_leg=parcel.leg_index + 1)


def _departed(parcel, station, by, at):
    _leave(parcel, by, at, ParcelStatus.in_transit)


def _handed_to_carrier(parcel, station, by, at):
    _leave(parcel, by, at, ParcelStatus.handed_to_carrier)


def _subscribe(carrier: str, tracking_no: str) -> None:
    """After the hand-over is committed: ask the carrier integration to push its events."""
    carrier_gateway.subscribe(carrier, tracking_no, external_url("api.carrier_events"))


def _handed_over(parcel, station, by, at):
    fulfilment = parcel.fulfilment
    cash_ref = None
    if fulfilment.amount_due_fen > 0:
        movement = CashMovement(
            station_id=station.id,
            order_id=fulfilment.order_id,
            fulfilment_id=fulfilment.id,
            amount_fen=fulfilment.amount_due_fen,
            kind=CashKind.collected,
            by_id=by.id,
            at=at,
            note=parcel.code,
        )
        db.session.add(movement)
        db.session.flush()
        cash_ref = f"cash-{station.code}-{movement.id}"
    move_parcel(parcel, ParcelStatus.handed_over, by=by, at=at)
    parcel.current_station_id = None
    sale.fulfilment_handed_over(fulfilment, by, at, cash_ref=cash_ref)


def _close_manifest_if_all_arrived(link_id: int, parcel: Parcel, by, at) -> None:
    manifest = db.session.scalar(
        db.select(Manifest)
        .join(ManifestParcel, ManifestParcel.manifest_id == Manifest.id)
        .where(ManifestParcel.parcel_id == parcel.id, Manifest.link_id == link_id)
    )
    if manifest is None or manifest.status != ManifestStatus.departed:
        return
    db.session.flush()
    # Parcels of this run still on this link (not those that already went on from there).
    still_travelling = [
        e.parcel
        for e in manifest.entries
        if e.parcel.status == ParcelStatus.in_transit
        and e.parcel.route_links[e.parcel.leg_index] == link_id
    ]
    if not still_travelling:
        move_manifest(manifest, ManifestStatus.arrived, by=by, at=at)


EFFECTS = {
    ScanAction.received: _received,
    ScanAction.departed: _departed,
    ScanAction.arrived: _arrived,
    ScanAction.handed_over: _handed_over,
    ScanAction.handed_to_carrier: _handed_to_carrier,
}
