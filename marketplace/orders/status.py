"""The order and fulfilment status machines: the one place their statuses change."""

from ..status import transition, utcnow
from .models import Fulfilment, FulfilmentStatus, Order, OrderStatus

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


def _complete_order_if_all_delivered(order: Order, by) -> None:
    live = [f for f in order.fulfilments if f.status != F.cancelled]
    if order.status == OS.confirmed and live and all(f.status == F.delivered for f in live):
        move_order(order, OS.completed, by=by)


def mark_paid(fulfilment: Fulfilment, at=None) -> None:
    """Record that this fulfilment's money has been received (online or cash)."""
    if fulfilment.paid_at is None:
        fulfilment.paid_at = at or utcnow()
        fulfilment.amount_due_fen = 0
