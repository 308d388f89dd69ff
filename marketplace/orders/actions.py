"""The sale's verbs: the only code that moves an order's or a fulfilment's status, and the
only caller of income recognition and reversal (Saleor's `order/actions.py` is the model).

Buyers and operators call `place_order`, `cancel_order`, `mark_packed`; `logistics` reports
what happened to a parcel (`parcel_received`, `parcel_departed`, `parcel_ready`,
`fulfilment_handed_over`, and for express parcels `carrier_delivered`); the buyer
`confirm_receipt`, and `auto_confirm_due` what nobody confirmed; `payments` reports money
(`payment_settled`, `payment_expired`, `refund_recorded`). Entry-point verbs run in a
savepoint (`transaction.verb`): a refusal leaves nothing behind. Nothing here commits.

Every verb that changes an existing sale starts by locking it (`locks.lock_sale`, one
order for every path).
"""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..catalog import stock, writeoffs
from ..catalog.services import can_manage
from ..clock import utcnow
from ..errors import Conflict, DomainError, Forbidden
from ..extensions import db
from ..households import income
from ..logistics import services as logistics
from ..logistics.models import Parcel, Station
from ..money import format_fen
from ..notifications import services as notifications
from ..payments import cash, refunds
from ..transaction import verb
from . import checkout, status
from .cart import AccountCart
from .checkout import InsufficientStock  # noqa: F401  (public: views and the API catch it)
from .locks import lock_sale
from .models import (
    CancelReason,
    Delivery,
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
    delivery=Delivery.pickup,
    address=None,
) -> Order:
    """Place one order for [(product_id, quantity)], picked up at a village point, or with
    `delivery="express"` sent to `address` (an address-book `Address` or its snapshot dict,
    `pickup_station` then None) and paid online, shipping per cooperative's freight template.

    Stock is taken FIFO from lots; on InsufficientStock (or a pickup point the network
    cannot reach, or NotDelivered) nothing of this call remains. Cash orders start
    confirmed, online ones pending_payment.
    """
    now = now or utcnow()
    method = checkout.payment_method(payment_method)
    delivery = checkout.delivery_choice(delivery, method)
    requested = checkout.requested_quantities(items)
    if delivery == Delivery.express:
        ship_to = checkout.ship_to(address)
    else:
        checkout.check_pickup_point(pickup_station)
    products = checkout.products_for_sale(requested)
    shipping = {}
    if delivery == Delivery.express:
        shipping = checkout.shipping_by_cooperative(products, requested, ship_to)
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
        pickup_station_id=pickup_station.id if delivery == Delivery.pickup else None,
        delivery=delivery,
        payment_method=method,
        status=(
            OrderStatus.confirmed
            if method == PaymentMethod.cash_at_pickup
            else OrderStatus.pending_payment
        ),
        created_at=now,
    )
    if delivery == Delivery.express:
        for key, value in ship_to.items():
            setattr(order, f"ship_{key}", value)
    checkout.write_order(
        order, products, requested, taken, pickup_station, placed_by or buyer, shipping=shipping
    )
    return order


@verb
def checkout_cart(
    buyer, pickup_station, payment_method, now=None, *, delivery=Delivery.pickup, address=None
) -> Order:
    """Place an order for everything in the buyer's cart and empty the cart."""
    cart = AccountCart(buyer)
    items = sorted(cart.quantities().items())
    if not items:
        raise DomainError(_l("Your cart is empty."))
    order = place_order(
        buyer, items, pickup_station, payment_method, now=now, delivery=delivery, address=address
    )
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
    income of the refunded goods if the sale was recognised, and tell the buyer. Idempotent."""
    _tell_refund(refund)
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
    """The parcel is at its pickup point: the buyer is told, with the pickup code by SMS
    (how a villager who ordered through 代买 without a smartphone learns it)."""
    if fulfilment.status in (F.packed, F.in_transit):
        status.move_fulfilment(fulfilment, F.ready_for_pickup, by=by, at=at)
        tell_buyer(fulfilment, "parcel_ready")


def tell_buyer(fulfilment: Fulfilment, kind: str, **extra) -> None:
    """Notify the order's buyer (inbox) and text the recipient's or buyer's mobile number
    about the fulfilment's parcel; sent after the commit, once per kind and parcel."""
    order, parcel = fulfilment.order, fulfilment.parcel
    station = parcel.current_station_id and db.session.get(Station, parcel.current_station_id)
    params = {
        "parcel": parcel.code,
        "station": station.name_zh if station else "",
        "pickup_code": parcel.pickup_code,
        "order": order.reference,
        **extra,
    }
    notifications.notify(
        kind,
        key=str(parcel.id),
        params=params,
        user=order.buyer,
        phone=order.recipient_phone or None,
        link=f"/orders/{order.id}#{kind}-{parcel.id}",
    )


# --- parcels nobody collects ------------------------------------------------------------


@verb
def return_uncollected(fulfilment: Fulfilment, at=None) -> bool:
    """Nobody collected the parcel in time: the fulfilment is cancelled, the parcel starts
    back to its cooperative's village point, money paid online is refunded in full (sent
    after the commit). The order is cancelled when nothing of it is left to deliver.
    False (nothing changed) if the parcel is no longer waiting for pickup."""
    at = at or utcnow()
    order = lock_sale(fulfilment.order_id, stations=True)
    fulfilment = db.session.get(Fulfilment, fulfilment.id)
    if fulfilment.status != F.ready_for_pickup:
        return False
    note = "not collected in time"
    status.move_fulfilment(fulfilment, F.cancelled, note=note, at=at)
    logistics.start_return(fulfilment.parcel, at=at)
    refunds.refund_uncollected(fulfilment)
    live = [f for f in order.fulfilments if f.status != F.cancelled]
    if not live and order.status == OrderStatus.confirmed:
        status.move_order(order, OrderStatus.cancelled, note=note)
        order.cancel_reason = CancelReason.not_collected
    elif live and all(f.status == F.delivered for f in live):
        status.move_order(order, OrderStatus.completed, note=note)
    db.session.flush()
    tell_buyer(fulfilment, "parcel_returned")
    return True


def return_received(fulfilment: Fulfilment, by, at) -> dict:
    """The parcel nobody collected is back at its origin point: shelf-stable units go back
    to the lots they came from; perishable ones are written off (a record each, the units
    stay counted as having left the lot)."""
    back, written_off = [], 0
    for line in fulfilment.lines:
        perishable = bool(line.product.perishable)
        for allocation in line.allocations:
            if allocation.released_at is not None:
                continue
            if perishable:
                writeoffs.write_off(
                    allocation.lot_id,
                    allocation.id,
                    allocation.quantity,
                    f"perishable, parcel {fulfilment.parcel.code} not collected",
                    at=at,
                )
                written_off += allocation.quantity
            else:
                allocation.released_at = at
                back.append((allocation.lot_id, allocation.quantity))
    stock.give_back(back)
    db.session.flush()
    return {"back": sum(q for _, q in back), "written_off": written_off}


def fulfilment_handed_over(fulfilment: Fulfilment, by, at, cash_ref: str | None = None) -> None:
    """The buyer took the parcel, paying the cash due if any (`cash_ref` names the till's
    movement): the fulfilment is paid and delivered and its income recognised."""
    if fulfilment.amount_due_fen > 0:
        cash.record_cash_payment(fulfilment, by=by, at=at, provider_ref=cash_ref)
        status.mark_paid(fulfilment, at=at)
    status.move_fulfilment(fulfilment, F.delivered, by=by, at=at)
    db.session.flush()
    recognise_income_if_due(fulfilment, at=at)


# --- express: the carrier's part ---------------------------------------------------------
# A parcel handed to a carrier (`handed_to_carrier` scan) leaves its fulfilment in_transit;
# it is delivered when the carrier reports it, when the buyer confirms receipt, or
# AUTO_CONFIRM_DAYS after the hand-over. Each then recognises the income, once.


def with_carrier(fulfilment: Fulfilment) -> bool:
    """True while the fulfilment's parcel is with an express carrier, not yet delivered."""
    parcel = fulfilment.parcel
    return (
        fulfilment.status == F.in_transit
        and parcel is not None
        and parcel.carrier_handed_at is not None
    )


def _deliver_by_carrier(fulfilment: Fulfilment, by, at, note: str) -> None:
    status.move_fulfilment(fulfilment, F.delivered, by=by, at=at, note=note)
    db.session.flush()
    recognise_income_if_due(fulfilment, at=at)


def carrier_delivered(fulfilment: Fulfilment, at=None) -> bool:
    """The carrier reported the parcel delivered (logistics calls this for a verified event,
    under the sale's lock): the fulfilment is delivered and its income recognised. False
    (nothing changed) if it was not with the carrier, e.g. the buyer confirmed first."""
    lock_sale(fulfilment.order_id)
    if not with_carrier(fulfilment):
        return False
    now = utcnow()
    # The carrier's clock: never in the future, never before the hand-over.
    at = max(min(at or now, now), fulfilment.parcel.carrier_handed_at)
    _deliver_by_carrier(fulfilment, None, at, "carrier reported delivered")
    return True


def can_confirm_receipt(order: Order) -> bool:
    """True while a parcel of the order is with a carrier and not yet delivered."""
    return order.status == OrderStatus.confirmed and any(with_carrier(f) for f in order.fulfilments)


@verb
def confirm_receipt(order: Order, by, now=None) -> list[Fulfilment]:
    """The buyer confirms they received the order (确认收货): every fulfilment handed to a
    carrier and not yet delivered becomes delivered, its income recognised. Confirming
    again once all are delivered changes nothing; 409 if no parcel has reached a carrier."""
    order = lock_sale(order.id)
    due = [f for f in order.fulfilments if with_carrier(f)]
    if not due:
        if any(
            f.status == F.delivered and f.parcel is not None and f.parcel.carrier_handed_at
            for f in order.fulfilments
        ):
            return []
        raise Conflict(
            _l("None of this order's parcels is with an express carrier yet."),
            reason="not_with_carrier",
        )
    at = now or utcnow()
    for fulfilment in due:
        _deliver_by_carrier(fulfilment, by, at, "buyer confirmed receipt")
    return due


def auto_confirm_days() -> int:
    """AUTO_CONFIRM_DAYS: days after the hand-over to a carrier a parcel counts as received
    (the Taobao convention, 10 by default; 0 confirms at once)."""
    return max(0, int(current_app.config.get("AUTO_CONFIRM_DAYS", 10)))


@verb
def auto_confirm(fulfilment: Fulfilment, now=None) -> bool:
    """Confirm receipt of one parcel whose time ran out; False if it no longer needs it."""
    lock_sale(fulfilment.order_id)
    if not with_carrier(fulfilment):
        return False
    days = auto_confirm_days()
    now = now or utcnow()
    if fulfilment.parcel.carrier_handed_at > now - timedelta(days=days):
        return False
    _deliver_by_carrier(fulfilment, None, now, f"confirmed automatically after {days} days")
    return True


def auto_confirm_due(now=None) -> list[Fulfilment]:
    """Confirm every express parcel handed to its carrier AUTO_CONFIRM_DAYS or more ago and
    not yet delivered; returns the fulfilments confirmed. A plain function for the CLI
    (`flask --app wsgi orders auto-confirm`) or a job runner; the caller commits."""
    now = now or utcnow()
    cutoff = now - timedelta(days=auto_confirm_days())
    due = db.session.scalars(
        db.select(Fulfilment)
        .join(Parcel, Parcel.fulfilment_id == Fulfilment.id)
        .where(
            Fulfilment.status == F.in_transit,
            Parcel.carrier_handed_at.is_not(None),
            Parcel.carrier_handed_at <= cutoff,
        )
        .order_by(Fulfilment.id)
    ).all()
    return [fulfilment for fulfilment in due if auto_confirm(fulfilment, now=now)]


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


def _tell_refund(refund) -> None:
    order = refund.payment.order
    notifications.notify(
        "refund",
        key=str(refund.id),
        params={"order": order.reference, "amount": format_fen(refund.amount_fen)},
        user=order.buyer,
        phone=order.recipient_phone or None,
        link=f"/orders/{order.id}#refund-{refund.id}",
    )


# --- after the sale ---------------------------------------------------------------------


@verb
def resend_lines(fulfilment: Fulfilment, items: list, by=None, note=None, now=None) -> Fulfilment:
    """Send again [(order_line, units)] of a delivered fulfilment at no charge (a claim's
    resend): a new zero-price fulfilment of the same cooperative, stock taken FIFO, its
    parcel planned to the order's pickup point like any other. Conflict if stock is short.
    """
    from ..status import record_initial_status
    from .models import OrderLine

    now = now or utcnow()
    order = lock_sale(fulfilment.order_id)
    requested: dict[int, int] = {}
    for line, units in items:
        requested[line.product_id] = requested.get(line.product_id, 0) + units
    try:
        taken = stock.take_stock(requested)
    except stock.StockShort:
        raise Conflict(_l("Not enough stock is left to send these goods again.")) from None
    resent = Fulfilment(
        order=order,
        cooperative=fulfilment.cooperative,
        status=F.to_pack,
        goods_fen=0,
        shipping_fen=0,
        amount_due_fen=0,
        paid_at=now,
    )
    db.session.add(resent)
    for line, units in items:
        copy = OrderLine(
            order=order,
            fulfilment=resent,
            product_id=line.product_id,
            product_name=line.product_name,
            product_name_en=line.product_name_en,
            unit=line.unit,
            unit_weight_g=line.unit_weight_g,
            quantity=units,
            unit_price_fen=0,
            line_fen=0,
        )
        db.session.add(copy)
        takes = taken[line.product_id]
        while units and takes:
            lot_id, available = takes[0]
            used = min(units, available)
            copy.allocations.append(LineAllocation(lot_id=lot_id, quantity=used))
            units -= used
            takes[0] = (lot_id, available - used)
            if takes[0][1] == 0:
                takes.pop(0)
    db.session.flush()
    record_initial_status(resent, "fulfilment", by=by, note=note, at=now)
    if order.delivery == Delivery.express:  # sent again to the buyer's address
        logistics.plan_parcel(resent, None, now=now, express=True)
    else:
        logistics.plan_parcel(resent, order.pickup_station, now=now)
    db.session.flush()
    return resent
