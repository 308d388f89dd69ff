"""Tracking events pushed by express carriers: checked, stored once per event id, shown on
the order page; a `delivered` event tells `orders.actions` the parcel reached its buyer.

The view (`api/carrier_events.py`) verifies the signature (`carrier_gateway`) first; an
event whose tracking number belongs to no parcel is stored, acknowledged and ignored. A
second delivery of an id finds its row (or, racing, fails on the unique `event_id`) and
changes nothing.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..extensions import db
from ..orders import actions as sale
from ..transaction import verb
from .carriers import normalise_tracking_no
from .models import CarrierEvent, CarrierEventStatus, Parcel

log = logging.getLogger(__name__)
FIELDS = ("id", "carrier", "tracking_no", "status", "at", "location")


def _bad(field: str) -> DomainError:
    return DomainError(_l("The event's %(field)s is missing or invalid.", field=field), field=field)


@dataclass(frozen=True)
class IncomingEvent:
    event_id: str
    carrier: str
    tracking_no: str
    status: CarrierEventStatus
    at: datetime  # naive UTC
    location: str | None


def _text(event: dict, name: str, limit: int, required: bool = True) -> str | None:
    value = event.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _bad(name)
    return value.strip()


def _timestamp(value) -> datetime:
    """An ISO 8601 time with its offset (or Z) as naive UTC."""
    if not isinstance(value, str):
        raise _bad("at")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _bad("at") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # documented as UTC when no offset is given
    return parsed.astimezone(UTC).replace(tzinfo=None)


def parse_event(event: dict) -> IncomingEvent:
    """The event's fields, checked (DomainError naming the field otherwise)."""
    status = _text(event, "status", 30)
    try:
        status = CarrierEventStatus(status)
    except ValueError:
        raise _bad("status") from None
    return IncomingEvent(
        event_id=_text(event, "id", 100),
        carrier=_text(event, "carrier", 20),
        tracking_no=normalise_tracking_no(_text(event, "tracking_no", 40)),
        status=status,
        at=_timestamp(event.get("at")),
        location=(_text(event, "location", 200, required=False) or None),
    )


def already_processed(event_id: str) -> bool:
    return (
        db.session.scalar(db.select(CarrierEvent.id).where(CarrierEvent.event_id == event_id))
        is not None
    )


@verb
def process_carrier_event(incoming: IncomingEvent) -> str:
    """Store one verified event, once, and act on it; returns what happened."""
    if already_processed(incoming.event_id):
        return "already processed"
    parcel = db.session.scalar(
        db.select(Parcel).where(
            Parcel.carrier == incoming.carrier, Parcel.tracking_no == incoming.tracking_no
        )
    )
    if parcel is not None:
        # The sale's lock first, as every path that changes a sale.
        sale.lock_sale(parcel.fulfilment.order_id)
    record = CarrierEvent(
        event_id=incoming.event_id,
        carrier=incoming.carrier,
        tracking_no=incoming.tracking_no,
        status=incoming.status,
        at=incoming.at,
        location=incoming.location,
        parcel_id=parcel.id if parcel else None,
    )
    db.session.add(record)
    db.session.flush()
    if parcel is None:
        outcome = "ignored: unknown tracking number"
    elif incoming.status == CarrierEventStatus.delivered:
        delivered = sale.carrier_delivered(parcel.fulfilment, at=incoming.at)
        outcome = "delivered" if delivered else "recorded; already delivered"
    else:
        outcome = "recorded"
    record.outcome = outcome
    db.session.flush()
    log.info("Carrier event %s (%s %s): %s", incoming.event_id, incoming.carrier,
             incoming.tracking_no, outcome)  # fmt: skip
    return outcome


def events_of(parcel_ids) -> dict[int, list[CarrierEvent]]:
    """parcel id -> its carrier events, oldest first."""
    ids = [i for i in parcel_ids if i is not None]
    found: dict[int, list[CarrierEvent]] = {i: [] for i in ids}
    if not ids:
        return found
    for event in db.session.scalars(
        db.select(CarrierEvent)
        .where(CarrierEvent.parcel_id.in_(ids))
        .order_by(CarrierEvent.at, CarrierEvent.id)
    ):
        found[event.parcel_id].append(event)
    return found
