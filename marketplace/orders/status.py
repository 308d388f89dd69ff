"""The order and fulfilment status machines: the one place their statuses change."""

from ..errors import IllegalTransition
from ..logistics.models import Parcel, ParcelStatus
from ..status import events_for, transition, utcnow
from .models import Fulfilment, FulfilmentStatus, Order, OrderStatus

OS, F, P = OrderStatus, FulfilmentStatus, ParcelStatus

# The note on the cancellation of an online order whose payment session expired: the one
# kind of cancelled order that may come back (see revive_order).
EXPIRED_NOTE = "payment session expired"

ORDER_TRANSITIONS = {
    OS.pending_payment: {OS.confirmed, OS.cancelled},
    OS.confirmed: {OS.completed, OS.cancelled},
    OS.completed: set(),
    OS.cancelled: set(),
}

FULFILMENT_TRANSITIONS = {
    F.pending_payment: {F.to_pack, F.cancelled},
    F.to_pack: {F.packed, F.cancelled},
    F.packed: {F.in_transit, F.ready_for_pickup, F.cancelled},
    F.in_transit: {F.ready_for_pickup, F.delivered},
    F.ready_for_pickup: {F.delivered},
    F.delivered: set(),
    F.cancelled: set(),
}


def move_order(order: Order, to: OrderStatus, by=None, note=None):
    """Change an order's status (IllegalTransition if not allowed); records the event."""
    return transition(order, to, ORDER_TRANSITIONS, "order", by=by, note=note)


def move_fulfilment(fulfilment: Fulfilment, to: FulfilmentStatus, by=None, note=None):
    """Change a fulfilment's status (IllegalTransition if not allowed); records the event."""
    event = transition(fulfilment, to, FULFILMENT_TRANSITIONS, "fulfilment", by=by, note=note)
    if to == F.delivered:
        fulfilment.delivered_at = event.at
        _complete_order_if_all_delivered(fulfilment.order, by)
    return event


# A cancelled order is final, with one exception: an online order cancelled only because its
# payment session expired comes back when the payment arrives late and all its stock can be
# taken again (payments issue). Kept apart from ORDER_TRANSITIONS so no other path uses it.
REVIVAL_TRANSITIONS = {OS.cancelled: {OS.pending_payment}}
FULFILMENT_REVIVAL_TRANSITIONS = {F.cancelled: {F.pending_payment}}

# The parcel moves this package makes (logistics makes all others): a cancelled order's
# parcel, which has not left its origin, is cancelled; a revived order's parcel comes back.
PARCEL_TRANSITIONS_BY_ORDERS = {
    P.awaiting_handover: {P.cancelled},
    P.at_station: {P.cancelled},
    P.cancelled: {P.awaiting_handover},
}


def was_cancelled_by_expiry(order: Order) -> bool:
    """True if the order's latest status change was the cancellation of an expired payment."""
    events = events_for("order", order.id)
    return (
        order.status == OS.cancelled
        and bool(events)
        and events[-1].to_status == OS.cancelled
        and events[-1].note == EXPIRED_NOTE
    )


def revive_order(order: Order, by=None, note=None) -> None:
    """Bring an order cancelled by payment expiry back to pending_payment, with its fulfilments."""
    if not was_cancelled_by_expiry(order):
        raise IllegalTransition(
            "only an order cancelled by payment expiry can come back",
            from_status=str(order.status),
            to_status=str(OS.pending_payment),
        )
    transition(order, OS.pending_payment, REVIVAL_TRANSITIONS, "order", by=by, note=note)
    for fulfilment in order.fulfilments:
        transition(
            fulfilment,
            F.pending_payment,
            FULFILMENT_REVIVAL_TRANSITIONS,
            "fulfilment",
            by=by,
            note=note,
        )
        if fulfilment.parcel is not None:
            move_parcel(fulfilment.parcel, P.awaiting_handover, by=by, note=note)


def move_parcel(parcel: Parcel, to: ParcelStatus, by=None, note=None):
    """Cancel (or, on revival, restore) the parcel of an order; records the event."""
    return transition(parcel, to, PARCEL_TRANSITIONS_BY_ORDERS, "parcel", by=by, note=note)


def _complete_order_if_all_delivered(order: Order, by) -> None:
    live = [f for f in order.fulfilments if f.status != F.cancelled]
    if order.status == OS.confirmed and live and all(f.status == F.delivered for f in live):
        move_order(order, OS.completed, by=by)


def mark_paid(fulfilment: Fulfilment, at=None) -> None:
    """Record that this fulfilment's money has been received (online or cash)."""
    if fulfilment.paid_at is None:
        fulfilment.paid_at = at or utcnow()
        fulfilment.amount_due_fen = 0
