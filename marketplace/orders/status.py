"""The order and fulfilment status machines. Only `orders.actions` calls these: the verbs
there are the one place a sale's statuses change."""

from ..clock import utcnow
from ..errors import IllegalTransition
from ..status import transition
from .models import CancelReason, Fulfilment, FulfilmentStatus, Order, OrderStatus

OS, F = OrderStatus, FulfilmentStatus

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
    # Not collected in time: the parcel goes back (orders.actions.return_uncollected).
    F.ready_for_pickup: {F.delivered, F.cancelled},
    F.delivered: set(),
    F.cancelled: set(),
}

# A cancelled order is final, with one exception: an online order cancelled only because its
# payment session expired comes back when the payment arrives late and all its stock can be
# taken again. Kept apart from ORDER_TRANSITIONS so no other path uses it.
REVIVAL_TRANSITIONS = {OS.cancelled: {OS.pending_payment}}
FULFILMENT_REVIVAL_TRANSITIONS = {F.cancelled: {F.pending_payment}}


def move_order(order: Order, to: OrderStatus, by=None, note=None):
    """Change an order's status (IllegalTransition if not allowed); records the event."""
    return transition(order, to, ORDER_TRANSITIONS, "order", by=by, note=note)


def move_fulfilment(fulfilment: Fulfilment, to: FulfilmentStatus, by=None, note=None, at=None):
    """Change a fulfilment's status (IllegalTransition if not allowed); records the event.

    The order is completed when its last live fulfilment is delivered.
    """
    event = transition(
        fulfilment, to, FULFILMENT_TRANSITIONS, "fulfilment", by=by, note=note, at=at
    )
    if to == F.delivered:
        fulfilment.delivered_at = event.at
        _complete_order_if_all_delivered(fulfilment.order, by)
    return event


# Cancelled because the online payment did not come in time (or Stripe reported it failed):
# money that still arrives may revive the order. A buyer's cancellation never comes back.
REVIVABLE = {CancelReason.payment_expired, CancelReason.payment_failed}


def was_cancelled_by_expiry(order: Order) -> bool:
    """True if the order is cancelled because its payment did not arrive in time."""
    return order.status == OS.cancelled and order.cancel_reason in REVIVABLE


def revive(order: Order, by=None, note=None) -> None:
    """Bring an order cancelled by payment expiry back to pending_payment, with its fulfilments
    (their parcels are the caller's: logistics restores them)."""
    if not was_cancelled_by_expiry(order):
        raise IllegalTransition(
            "only an order cancelled by payment expiry can come back",
            from_status=str(order.status),
            to_status=str(OS.pending_payment),
        )
    transition(order, OS.pending_payment, REVIVAL_TRANSITIONS, "order", by=by, note=note)
    order.cancel_reason = None
    for fulfilment in order.fulfilments:
        transition(
            fulfilment,
            F.pending_payment,
            FULFILMENT_REVIVAL_TRANSITIONS,
            "fulfilment",
            by=by,
            note=note,
        )


def _complete_order_if_all_delivered(order: Order, by) -> None:
    live = [f for f in order.fulfilments if f.status != F.cancelled]
    if order.status == OS.confirmed and live and all(f.status == F.delivered for f in live):
        move_order(order, OS.completed, by=by)


def mark_paid(fulfilment: Fulfilment, at=None) -> None:
    """Record that this fulfilment's money has been received (online or cash)."""
    if fulfilment.paid_at is None:
        fulfilment.paid_at = at or utcnow()
        fulfilment.amount_due_fen = 0
