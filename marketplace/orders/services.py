"""Orders: cart, checkout, cancellation and the order and fulfilment status machines."""

from ..extensions import db
from .models import CartItem

SESSION_CART_KEY = "cart"


def merge_session_cart(user, session) -> None:
    """Move an anonymous visitor's cart (session: {product_id: qty}) into the user's cart."""
    cart = session.pop(SESSION_CART_KEY, None) or {}
    for product_id, quantity in cart.items():
        try:
            product_id, quantity = int(product_id), int(quantity)
        except (TypeError, ValueError):
            continue
        if quantity <= 0:
            continue
        item = db.session.scalar(
            db.select(CartItem).where(
                CartItem.user_id == user.id, CartItem.product_id == product_id
            )
        )
        if item is None:
            db.session.add(CartItem(user_id=user.id, product_id=product_id, quantity=quantity))
        else:
            item.quantity = max(item.quantity, quantity)
    db.session.flush()


# --- payment hooks (payments branch; the orders branch's versions win at merge) ---
# The payments package calls these three functions; they are written here so its branch
# works on its own. Stock goes back to, and is taken again from, the very lots recorded in
# LineAllocation, with conditional UPDATEs in lot id order (never oversold, no deadlocks).

from sqlalchemy import update  # noqa: E402
from sqlalchemy.orm.util import identity_key  # noqa: E402

from ..catalog.models import SupplyLot  # noqa: E402
from ..households.income import recognise_if_due  # noqa: E402
from ..status import transition, utcnow  # noqa: E402
from .models import FulfilmentStatus, Order, OrderStatus  # noqa: E402
from .status import mark_paid, move_fulfilment, move_order  # noqa: E402

# A cancelled order whose payment arrived after all: the one way back, used only by
# reallocate_order once the stock is held again.
_REVIVE_ORDER = {OrderStatus.cancelled: {OrderStatus.pending_payment}}
_REVIVE_FULFILMENT = {FulfilmentStatus.cancelled: {FulfilmentStatus.pending_payment}}


def _locked_order(order: Order) -> Order:
    stmt = db.select(Order).where(Order.id == order.id).with_for_update()
    return db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one()


def _allocations(order: Order, released: bool) -> list:
    rows = [
        allocation
        for line in order.lines
        for allocation in line.allocations
        if (allocation.released_at is not None) == released
    ]
    return sorted(rows, key=lambda a: (a.lot_id, a.id))


def _forget_remaining(lot_id: int) -> None:
    # The UPDATE ran in SQL; a lot already loaded must re-read its remaining quantity.
    lot = db.session.identity_map.get(identity_key(SupplyLot, lot_id))
    if lot is not None:
        db.session.expire(lot, ["remaining"])


def _give_back(lot_id: int, quantity: int) -> None:
    db.session.execute(
        update(SupplyLot)
        .where(SupplyLot.id == lot_id)
        .values(remaining=SupplyLot.remaining + quantity)
        .execution_options(synchronize_session=False)
    )
    _forget_remaining(lot_id)


def expire_order(order: Order, by=None) -> bool:
    """Cancel an unpaid online order and put its units back on their lots.

    Returns False (and changes nothing) unless the order is still waiting for payment.
    """
    order = _locked_order(order)
    if order.status != OrderStatus.pending_payment:
        return False
    now = utcnow()
    for allocation in _allocations(order, released=False):
        _give_back(allocation.lot_id, allocation.quantity)
        allocation.released_at = now
    for fulfilment in order.fulfilments:
        if fulfilment.status == FulfilmentStatus.pending_payment:
            move_fulfilment(fulfilment, FulfilmentStatus.cancelled, by=by, note="not paid in time")
    move_order(order, OrderStatus.cancelled, by=by, note="not paid in time")
    db.session.flush()
    return True


def reallocate_order(order: Order, by=None) -> bool:
    """Take an expired order's units again from the same lots, if every one is still there.

    On success the order (and its fulfilments) wait for payment again; otherwise returns
    False and nothing changes.
    """
    order = _locked_order(order)
    if order.status != OrderStatus.cancelled:
        return False
    released = _allocations(order, released=True)
    if not released:
        return False
    taken = []
    for allocation in released:
        result = db.session.execute(
            update(SupplyLot)
            .where(
                SupplyLot.id == allocation.lot_id,
                SupplyLot.remaining >= allocation.quantity,
                SupplyLot.void.is_(False),
            )
            .values(remaining=SupplyLot.remaining - allocation.quantity)
            .execution_options(synchronize_session=False)
        )
        _forget_remaining(allocation.lot_id)
        if result.rowcount != 1:
            for done in taken:
                _give_back(done.lot_id, done.quantity)
            return False
        taken.append(allocation)
    for allocation in released:
        allocation.released_at = None
    note = "paid after expiry; stock taken again"
    for fulfilment in order.fulfilments:
        if fulfilment.status == FulfilmentStatus.cancelled:
            transition(
                fulfilment,
                FulfilmentStatus.pending_payment,
                _REVIVE_FULFILMENT,
                "fulfilment",
                by=by,
                note=note,
            )
    transition(order, OrderStatus.pending_payment, _REVIVE_ORDER, "order", by=by, note=note)
    db.session.flush()
    return True


def confirm_payment(order: Order, by=None, at=None) -> None:
    """An online order's money has arrived: confirm it, send its fulfilments to packing."""
    order = _locked_order(order)
    at = at or utcnow()
    move_order(order, OrderStatus.confirmed, by=by)
    for fulfilment in order.fulfilments:
        if fulfilment.status == FulfilmentStatus.pending_payment:
            move_fulfilment(fulfilment, FulfilmentStatus.to_pack, by=by)
            mark_paid(fulfilment, at=at)
            recognise_if_due(fulfilment, at=at)
    db.session.flush()
