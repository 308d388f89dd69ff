"""Demo orders for buyer@example.com: one across several cooperatives waiting to be packed,
one packed, one cancelled. Made only when products in stock and village points exist."""

from ..accounts.services import find_user_by_login
from ..catalog import stock
from ..catalog.models import Cooperative, Product, ProductStatus
from ..errors import DomainError
from ..extensions import db
from ..logistics.models import Station, StationKind
from . import actions
from .models import Delivery, Order, PaymentMethod

DEMO_BUYER = "buyer@example.com"
CASH = PaymentMethod.cash_at_pickup


def load(scale: str = "demo") -> str:
    """Place a few cash orders for the demo buyer, once (nothing if they already have orders)."""
    buyer = find_user_by_login(DEMO_BUYER)
    if buyer is None:
        return "skipped: no demo buyer"
    if db.session.scalar(db.select(db.func.count(Order.id)).where(Order.buyer_id == buyer.id)):
        return "demo orders already there"
    pickup = db.session.scalar(
        db.select(Station)
        .where(Station.kind == StationKind.village_point, Station.active.is_(True))
        .order_by(Station.code)
        .limit(1)
    )
    if pickup is None:
        return "skipped: no village points yet"
    products = _one_product_per_cooperative(limit=3)
    if not products:
        return "skipped: no products in stock yet"

    placed = []
    for items in ([(p.id, 2) for p in products], [(products[0].id, 1)], [(products[-1].id, 1)]):
        try:
            placed.append(actions.place_order(buyer, items, pickup, CASH))
        except DomainError:
            continue  # e.g. a pickup point the network cannot reach: skip that order
    if len(placed) >= 2:
        fulfilment = placed[1].fulfilments[0]
        manager = next(iter(fulfilment.cooperative.managers), None)
        if manager is not None:
            actions.mark_packed(fulfilment, by=manager)
    if len(placed) >= 3:
        actions.cancel_order(placed[2], by=buyer, reason="demo: ordered twice by mistake")
    return f"{len(placed)} demo orders for {DEMO_BUYER}"


def _one_product_per_cooperative(limit: int) -> list[Product]:
    """Active products with at least 4 units in stock, from different cooperatives."""
    candidates = db.session.scalars(
        db.select(Product)
        .join(Cooperative, Product.cooperative_id == Cooperative.id)
        .where(Product.status == ProductStatus.active, Cooperative.home_station_id.is_not(None))
        .order_by(Product.id)
    ).all()
    available = stock.available_quantities(p.id for p in candidates)
    chosen, cooperatives = [], set()
    for product in candidates:
        if available[product.id] >= 4 and product.cooperative_id not in cooperatives:
            chosen.append(product)
            cooperatives.add(product.cooperative_id)
        if len(chosen) == limit:
            break
    return chosen


def place_express_order(buyer, items, address, *, paid=False, now=None) -> Order:
    """Place an express order through the real verb, paid online (Stripe Checkout); with
    `paid`, settle it as Stripe's webhook would (a succeeded payment marked `demo-` in its
    reference, then `payment_settled`). Reusable by later demo stages (carrier, receipt)."""
    from ..payments.models import Payment, PaymentProvider, PaymentStatus

    order = actions.place_order(
        buyer, items, None, PaymentMethod.stripe, now=now, delivery=Delivery.express,
        address=address,
    )  # fmt: skip
    if paid:
        db.session.add(
            Payment(
                order_id=order.id,
                provider=PaymentProvider.stripe,
                status=PaymentStatus.succeeded,
                amount_fen=order.total_fen,
                currency="cny",
                provider_ref=f"demo-{order.reference}",
                created_at=order.created_at,
            )
        )
        db.session.flush()
        actions.payment_settled(order, at=order.created_at)
    return order
