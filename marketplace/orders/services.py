"""Orders: checkout (stock taken FIFO, one fulfilment per cooperative), payment confirmation,
cancellation and expiry (stock back to the same lots), and packing.

Services flush and never commit: the view, webhook or command that calls them commits once.
"""

from collections import defaultdict
from datetime import UTC, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..catalog.models import Product, ProductStatus
from ..errors import Conflict, DomainError, Forbidden
from ..extensions import db
from ..households import income
from ..logistics import services as logistics
from ..logistics.models import ParcelStatus, StationKind
from ..status import record_initial_status, utcnow
from ..transaction import hold_write_lock
from . import status, stock
from .cart import AccountCart, merge_session_cart  # noqa: F401  (called at login)
from .labels import shown_name
from .models import (
    Fulfilment,
    FulfilmentStatus,
    LineAllocation,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)

# References carry the date in China, where the buyers and stations are.
REFERENCE_TZ = ZoneInfo("Asia/Shanghai")
# A buyer may cancel while every fulfilment is still at its cooperative or origin point.
CANCELLABLE = {FulfilmentStatus.pending_payment, FulfilmentStatus.to_pack, FulfilmentStatus.packed}


# Refusals of place_order name the argument at fault in `details["field"]` (payment_method,
# items, pickup_station) so the API can say which request field was wrong.


class InsufficientStock(Conflict):
    """Some lines are short; `.shortages` = [{product_id, name, requested, available}]."""

    code = "insufficient_stock"

    def __init__(self, shortages: list[dict]):
        super().__init__(_l("Insufficient stock: not enough left for some items."))
        self.shortages = shortages
        self.details = {"shortages": shortages}


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

    One transaction, no commit: stock is taken FIFO from lots inside a savepoint, so on
    InsufficientStock (or a pickup point the network cannot reach) nothing of this call
    remains in the session. Cash orders start confirmed, online ones pending_payment.
    """
    now = now or utcnow()
    method = _payment_method(payment_method)
    cash = method == PaymentMethod.cash_at_pickup
    requested = _requested_quantities(items)
    _check_pickup_point(pickup_station)
    products = _products_for_sale(requested)

    hold_write_lock()
    try:
        with db.session.begin_nested():
            taken = stock.take_stock(requested)
            order = Order(
                reference=f"new-{uuid4().hex[:24]}",  # replaced once the id is known
                buyer_id=buyer.id,
                placed_by_id=placed_by.id if placed_by else None,
                recipient_name=recipient_name,
                recipient_phone=recipient_phone,
                pickup_station_id=pickup_station.id,
                payment_method=method,
                status=OrderStatus.confirmed if cash else OrderStatus.pending_payment,
                created_at=now,
            )
            _write_order(order, products, requested, taken, pickup_station, placed_by or buyer)
    except stock.StockShort as short:
        raise InsufficientStock(_shortages(products, requested, short.available)) from None
    return order


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
    live = [f for f in order.fulfilments if f.status != FulfilmentStatus.cancelled]
    return order.status in {OrderStatus.pending_payment, OrderStatus.confirmed} and all(
        f.status in CANCELLABLE for f in live
    )


def cancel_order(order: Order, by, reason: str | None = None, now=None) -> None:
    """Cancel an order whose parcels have not left; its stock goes back to the same lots."""
    if not can_cancel(order):
        raise Conflict(_l("This order can no longer be cancelled: a parcel is on its way."))
    _cancel(order, by=by, note=reason, at=now or utcnow())


def expire_order(order: Order, by=None, now=None) -> bool:
    """Cancel an unpaid online order whose payment session expired and release its stock.

    Returns False (and changes nothing) if the order is not waiting for payment, e.g. it
    is already cancelled or was paid meanwhile.
    """
    if order.status != OrderStatus.pending_payment:
        return False
    _cancel(order, by=by, note=status.EXPIRED_NOTE, at=now or utcnow())
    return True


def reallocate_order(order: Order, by=None) -> bool:
    """Take stock again for an order cancelled by payment expiry (a late payment arrived).

    All lines must be available again, taken FIFO as at checkout; the order then waits for
    payment again (call confirm_payment next). Returns False and changes nothing otherwise.
    """
    if not status.was_cancelled_by_expiry(order):
        return False
    requested = {line.product_id: line.quantity for line in order.lines}
    hold_write_lock()
    try:
        with db.session.begin_nested():
            taken = stock.take_stock(requested)
            for line in order.lines:
                for lot_id, units in taken[line.product_id]:
                    line.allocations.append(LineAllocation(lot_id=lot_id, quantity=units))
            status.revive_order(order, by=by, note="stock taken again for a late payment")
            db.session.flush()
    except stock.StockShort:
        return False
    return True


def confirm_payment(order: Order, by=None, at=None) -> None:
    """An online payment arrived: the order is confirmed and its fulfilments go to packing."""
    at = at or utcnow()
    status.move_order(order, OrderStatus.confirmed, by=by)
    live = [f for f in order.fulfilments if f.status != FulfilmentStatus.cancelled]
    for fulfilment in live:
        status.move_fulfilment(fulfilment, FulfilmentStatus.to_pack, by=by)
        status.mark_paid(fulfilment, at=at)
    db.session.flush()
    for fulfilment in live:
        income.recognise_if_due(fulfilment)


def mark_packed(fulfilment: Fulfilment, by) -> None:
    """A manager of the fulfilment's cooperative has packed it (Forbidden for anyone else)."""
    if not manages(by, fulfilment.cooperative):
        raise Forbidden(_l("Only a manager of this cooperative can pack its orders."))
    status.move_fulfilment(fulfilment, FulfilmentStatus.packed, by=by)
    db.session.flush()


def manages(user, cooperative) -> bool:
    """True if `user` is one of the cooperative's managers."""
    return user is not None and any(m.id == user.id for m in cooperative.managers)


def order_reference(order_id: int, now: datetime) -> str:
    """'LX-20261129-000123': the local date of the order and its (unique) id."""
    local = now.replace(tzinfo=UTC).astimezone(REFERENCE_TZ)
    return f"LX-{local:%Y%m%d}-{order_id:06d}"


def _payment_method(value) -> PaymentMethod:
    try:
        return PaymentMethod(value)
    except ValueError:
        raise DomainError(_l("Choose a way to pay."), field="payment_method") from None


def _requested_quantities(items) -> dict[int, int]:
    requested: dict[int, int] = defaultdict(int)
    for product_id, quantity in items:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise DomainError(_l("The quantity must be at least 1."), field="items")
        requested[int(product_id)] += quantity
    if not requested:
        raise DomainError(_l("Your cart is empty."), field="items")
    if max(requested.values()) > stock.MAX_QUANTITY:
        raise DomainError(
            _l("At most %(max)d of one product can be ordered at a time.", max=stock.MAX_QUANTITY),
            field="items",
        )
    return dict(sorted(requested.items()))


def _check_pickup_point(station) -> None:
    if station is None or station.kind != StationKind.village_point or not station.active:
        raise DomainError(
            _l("Choose a village point to pick the order up."), field="pickup_station"
        )


def _products_for_sale(requested: dict[int, int]) -> dict[int, Product]:
    stmt = (
        db.select(Product)
        .where(Product.id.in_(requested))
        .options(selectinload(Product.cooperative))
    )
    products = {p.id: p for p in db.session.scalars(stmt)}
    for product_id in requested:
        product = products.get(product_id)
        if product is None:
            raise DomainError(_l("One of the products no longer exists."), field="items")
        if product.status != ProductStatus.active:
            raise DomainError(
                _l("%(name)s is not for sale at the moment.", name=shown_name(product)),
                field="items",
            )
    return products


def _shortages(products, requested, available) -> list[dict]:
    # None: unknown until the savepoint was rolled back; read it now.
    unknown = [pid for pid, units in available.items() if units is None]
    fresh = stock.available_quantities(unknown) if unknown else {}
    return [
        {
            "product_id": pid,
            "name": products[pid].name_zh,
            "requested": requested[pid],
            "available": fresh.get(pid, units) if units is None else units,
        }
        for pid, units in sorted(available.items())
    ]


def _write_order(order, products, requested, taken, pickup_station, actor) -> None:
    cash = order.payment_method == PaymentMethod.cash_at_pickup
    db.session.add(order)
    db.session.flush()
    order.reference = order_reference(order.id, order.created_at)

    by_cooperative = defaultdict(list)
    for product_id in requested:
        by_cooperative[products[product_id].cooperative_id].append(products[product_id])
    for cooperative_id in sorted(by_cooperative):
        fulfilment = Fulfilment(
            order=order,
            cooperative=by_cooperative[cooperative_id][0].cooperative,
            status=FulfilmentStatus.to_pack if cash else FulfilmentStatus.pending_payment,
        )
        db.session.add(fulfilment)
        for product in by_cooperative[cooperative_id]:
            quantity = requested[product.id]
            line = OrderLine(
                order=order,
                fulfilment=fulfilment,
                product=product,
                product_name=product.name_zh,
                unit=product.unit,
                unit_weight_g=product.unit_weight_g,
                quantity=quantity,
                unit_price_fen=product.price_fen,
                line_fen=quantity * product.price_fen,
            )
            db.session.add(line)
            for lot_id, units in taken[product.id]:
                line.allocations.append(LineAllocation(lot_id=lot_id, quantity=units))
        fulfilment.goods_fen = sum(line.line_fen for line in fulfilment.lines)
        fulfilment.shipping_fen = 0  # shipping is not charged yet
        # Owed until paid: in cash at pickup, or online (mark_paid sets it to 0).
        fulfilment.amount_due_fen = fulfilment.goods_fen + fulfilment.shipping_fen
    order.goods_fen = sum(f.goods_fen for f in order.fulfilments)
    order.shipping_fen = sum(f.shipping_fen for f in order.fulfilments)
    order.total_fen = order.goods_fen + order.shipping_fen
    db.session.flush()

    record_initial_status(order, "order", by=actor)
    for fulfilment in order.fulfilments:
        record_initial_status(fulfilment, "fulfilment", by=actor)
        logistics.plan_parcel(fulfilment, pickup_station, now=order.created_at)
    db.session.flush()


def _cancel(order: Order, by, note, at) -> None:
    returned = []
    for line in order.lines:
        for allocation in line.allocations:
            if allocation.released_at is None:
                returned.append((allocation.lot_id, allocation.quantity))
                allocation.released_at = at
    stock.give_back(returned)
    for fulfilment in order.fulfilments:
        if fulfilment.status == FulfilmentStatus.cancelled:
            continue
        if fulfilment.parcel is not None:
            status.move_parcel(fulfilment.parcel, ParcelStatus.cancelled, by=by, note=note)
        status.move_fulfilment(fulfilment, FulfilmentStatus.cancelled, by=by, note=note)
    status.move_order(order, OrderStatus.cancelled, by=by, note=note)
    db.session.flush()
