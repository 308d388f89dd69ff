"""The sale's verbs: the only code that moves an order's or a fulfilment's status, and the
only caller of income recognition and reversal (Saleor's `order/actions.py` is the model).

Buyers and operators call `place_order`, `cancel_order`, `mark_packed`; `logistics` reports
what happened to a parcel (`parcel_received`, `parcel_departed`, `parcel_ready`,
`fulfilment_handed_over`); `payments` reports money (`payment_settled`, `payment_expired`,
`refund_recorded`). Entry-point verbs run in a savepoint (`transaction.verb`): a refusal
leaves nothing behind. Nothing here commits.

Every verb that changes an existing sale starts by locking it (`locks.lock_sale`, one
order for every path).
"""

from flask_babel import lazy_gettext as _l

from ..catalog import stock
from ..catalog.services import can_manage
from ..clock import utcnow
from ..errors import Conflict, DomainError, Forbidden
from ..extensions import db
from ..households import income
from ..logistics import services as logistics
from ..payments import cash, refunds
from ..transaction import verb
from . import checkout, status
from .cart import AccountCart
from .checkout import InsufficientStock  # noqa: F401  (public: views and the API catch it)
from .locks import lock_sale
from .models import (
    CancelReason,
    Fulfilment,
    FulfilmentStatus,
    LineAllocation,
    Order,
    OrderStatus,
    PaymentMethod,
)

F = FulfilmentStatus
# A buyer may cancel while every fulfilment is still at its cooperative or origin point.
# The note on a fulfilment's `packed` event when the station, not the cooperative, marked it.
PACKED_AT_HAND_IN = "packed_at_hand_in"
CANCELLABLE = {F.pending_payment, F.to_pack, F.packed}


# --- placing and cancelling -------------------------------------------------------------


@verb
def place_order(
    buyer,
    items: list[tuple[int, int]],
    pickup_station,
    payment_method,
    *,
    placed_by=None,
    recipient_name=None,
    recipient_phone=None,
    now=None,
) -> Order:
    """Place one order for [(product_id, quantity)], picked up at a village point.

    Stock is taken FIFO from lots; on InsufficientStock (or a pickup point the network
    cannot reach) nothing of this call remains. Cash orders start confirmed, online ones
    pending_payment.
    """
    now = now or utcnow()
    method = checkout.payment_method(payment_method)
    requested = checkout.requested_quantities(items)
    checkout.check_pickup_point(pickup_station)
    products = checkout.products_for_sale(requested)
    try:
        taken = stock.take_stock(requested)
    except stock.StockShort as short:
        raise InsufficientStock(checkout.shortages(products, requested, short.available)) from None
    order = Order(
        reference=checkout.provisional_reference(),
        buyer_id=buyer.id,
        placed_by_id=placed_by.id if placed_by else None,
        recipient_name=recipient_name,
        recipient_phone=recipient_phone,
        pickup_station_id=pickup_station.id,
        payment_method=method,
        status=(
            OrderStatus.confirmed
            if method == PaymentMethod.cash_at_pickup
            else OrderStatus.pending_payment
        ),
        created_at=now,
    )
    checkout.write_order(order, products, requested, taken, pickup_station, placed_by or buyer)
    return order


@verb
def checkout_cart(buyer, pickup_station, payment_method, now=None) -> Order:
    """Place an order for everything in the buyer's cart and empty the cart."""
    cart = AccountCart(buyer)
    items = sorted(cart.quantities().items())
    if not items:
        raise DomainError(_l("Your cart is empty."))
    order = place_order(buyer, items, pickup_station, payment_method, now=now)
    cart.clear()
    return order


def can_cancel(order: Order) -> bool:
    """True while no parcel of the order has left its origin village point."""
    live = [f for f in order.fulfilments if f.status != F.cancelled]
    return order.status in {OrderStatus.pending_payment, OrderStatus.confirmed} and all(
        f.status in CANCELLABLE for f in live
    )


@verb
def cancel_order(order: Order, by, reason: str | None = None, now=None) -> Order:
    """The buyer cancels an order whose parcels have not left: stock back to the same lots,
    parcels off their runs, a paid online payment refunded in full, an open Checkout
    Session expired at Stripe (after the commit)."""
    order = lock_sale(order.id, stations=True)
    if not can_cancel(order):
        raise Conflict(_l("This order can no longer be cancelled: a parcel is on its way."))
    _cancel(order, CancelReason.buyer, by=by, note=reason, at=now or utcnow())
    refunds.settle_cancelled_order(order, by=by)
    return order


@verb
def payment_expired(order: Order, reason=CancelReason.payment_expired, now=None) -> bool:
    """The time to pay online ran out (or the payment failed): cancel and release the stock.

    Returns False (and changes nothing) if the order is not waiting for payment, e.g. it
    is already cancelled or was paid meanwhile.
    """
    order = lock_sale(order.id, stations=True)
    if order.status != OrderStatus.pending_payment:
        return False
    _cancel(order, CancelReason(reason), by=None, note=None, at=now or utcnow())
    return True


def _cancel(order: Order, reason: CancelReason, by, note, at) -> None:
    returned = []
    for line in order.lines:
        for allocation in line.allocations:
            if allocation.released_at is None:
                returned.append((allocation.lot_id, allocation.quantity))
                allocation.released_at = at
    stock.give_back(returned)
    for fulfilment in order.fulfilments:
        if fulfilment.status == F.cancelled:
            continue
        if fulfilment.parcel is not None:
            logistics.cancel_parcel(fulfilment.parcel, by=by, note=note, at=at)
        status.move_fulfilment(fulfilment, F.cancelled, by=by, note=note)
    status.move_order(order, OrderStatus.cancelled, by=by, note=note)
    order.cancel_reason = reason
    db.session.flush()


# --- what payments report ---------------------------------------------------------------


@verb
def payment_settled(order: Order, at=None) -> bool:
    """An online payment of the order arrived: confirm it, taking its stock again if it had
    expired meanwhile. False (nothing changed) if the order cannot use the money: payments
    then gives it back."""
    order = lock_sale(order.id)
    if order.status == OrderStatus.cancelled and not _revive(order):
        return False
    if order.status != OrderStatus.pending_payment:
        return False
    at = at or utcnow()
    status.move_order(order, OrderStatus.confirmed)
    live = [f for f in order.fulfilments if f.status != F.cancelled]
    for fulfilment in live:
        status.move_fulfilment(fulfilment, F.to_pack)
        status.mark_paid(fulfilment, at=at)
    db.session.flush()
    for fulfilment in live:
        recognise_income_if_due(fulfilment)
    return True


def _revive(order: Order) -> bool:
    """Take stock again for an order cancelled by payment expiry (a late payment arrived).

    All lines must be available again, taken FIFO as at checkout; the order then waits for
    payment again. Returns False and changes nothing otherwise.
    """
    if not status.was_cancelled_by_expiry(order):
        return False
    requested = {line.product_id: line.quantity for line in order.lines}
    note = "stock taken again for a late payment"
    try:
        with db.session.begin_nested():
            taken = stock.take_stock(requested)
            for line in order.lines:
                for lot_id, units in taken[line.product_id]:
                    line.allocations.append(LineAllocation(lot_id=lot_id, quantity=units))
            status.revive(order, note=note)
            for fulfilment in order.fulfilments:
                if fulfilment.parcel is not None:
                    logistics.restore_parcel(fulfilment.parcel, note=note)
            db.session.flush()
    except stock.StockShort:
        return False
    return True


def refund_recorded(refund, at=None) -> list:
    """A refund has been paid back (Stripe confirmed it, or cash left the till): reverse the
    income of the refunded goods if the sale was recognised. Idempotent."""
    if refund.fulfilment_id is None:
        return []
    fulfilment = db.session.get(Fulfilment, refund.fulfilment_id)
    if fulfilment.income_recognised_at is None:
        return []  # recognition will reverse it (see recognise_income_if_due)
    return income.write_reversal(
        fulfilment.id,
        refund.id,
        refunds.succeeded_fen(fulfilment, up_to=refund),
        fulfilment.goods_fen,
        at=at,
    )


# --- what logistics reports -------------------------------------------------------------


@verb
def mark_packed(fulfilment: Fulfilment, by) -> None:
    """A manager of the fulfilment's cooperative has packed it (Forbidden for anyone else)."""
    if not can_manage(by, fulfilment.cooperative):
        raise Forbidden(_l("Only a manager of this cooperative can pack its orders."))
    lock_sale(fulfilment.order_id)
    status.move_fulfilment(fulfilment, F.packed, by=by)
    db.session.flush()


def parcel_received(fulfilment: Fulfilment, by, at) -> None:
    """The parcel was handed in at its first station: the fulfilment is packed. A parcel
    handed in before its cooperative marked it packed is packed now, by the operator who
    holds it, and the event says so (packing is implicit, never skipped)."""
    if fulfilment.status == F.to_pack:
        status.move_fulfilment(fulfilment, F.packed, by=by, at=at, note=PACKED_AT_HAND_IN)


def parcel_departed(fulfilment: Fulfilment, by, at) -> None:
    """The parcel left its origin: the fulfilment is on its way (and can no longer be
    cancelled)."""
    if fulfilment.status == F.packed:
        status.move_fulfilment(fulfilment, F.in_transit, by=by, at=at)


def parcel_ready(fulfilment: Fulfilment, by, at) -> None:
    """The parcel is at its pickup point."""
    if fulfilment.status in (F.packed, F.in_transit):
        status.move_fulfilment(fulfilment, F.ready_for_pickup, by=by, at=at)


def fulfilment_handed_over(fulfilment: Fulfilment, by, at, cash_ref: str | None = None) -> None:
    """The buyer took the parcel, paying the cash due if any (`cash_ref` names the till's
    movement): the fulfilment is paid and delivered and its income recognised."""
    if fulfilment.amount_due_fen > 0:
        cash.record_cash_payment(fulfilment, by=by, at=at, provider_ref=cash_ref)
        status.mark_paid(fulfilment, at=at)
    status.move_fulfilment(fulfilment, F.delivered, by=by, at=at)
    db.session.flush()
    recognise_income_if_due(fulfilment, at=at)


# --- income -----------------------------------------------------------------------------


def _claim_income(fulfilment: Fulfilment, at) -> bool:
    """Mark the fulfilment recognised if it is due and not yet recognised; True if we won.

    A conditional UPDATE checked by rowcount: of two concurrent calls only one can change
    the row (the other blocks on the row lock, then sees the column set), so the entries
    are written exactly once.
    """
    result = db.session.execute(
        db.update(Fulfilment)
        .where(
            Fulfilment.id == fulfilment.id,
            Fulfilment.status == F.delivered,
            Fulfilment.paid_at.is_not(None),
            Fulfilment.income_recognised_at.is_(None),
        )
        .values(income_recognised_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def recognise_income_if_due(fulfilment: Fulfilment, at=None) -> list:
    """Write the income entries of a delivered and paid fulfilment, exactly once.

    Returns the new entries (empty if not yet due or already recognised). Refunds that
    succeeded before recognition are reversed straight away.
    """
    db.session.flush()
    at = at or utcnow()
    won = _claim_income(fulfilment, at)
    db.session.refresh(fulfilment)
    if not won:
        return []
    entries = income.write_sale_entries(fulfilment, at)
    for refund in refunds.succeeded_refunds(fulfilment):
        entries.extend(refund_recorded(refund, at=at))
    return entries
