"""Building a new order: the requested quantities and products checked, one fulfilment per
cooperative with its lines and the lots their units came from, a parcel planned for each.

`orders.actions.place_order` is the verb; this module is its parts and flushes only.
"""

from collections import defaultdict
from datetime import datetime
from uuid import uuid4

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..accounts import addresses
from ..catalog import freight, stock
from ..catalog.models import Cooperative, Product, ProductStatus
from ..clock import local_date
from ..errors import Conflict, DomainError
from ..extensions import db
from ..logistics import network
from ..logistics import services as logistics
from ..logistics.models import StationKind
from ..status import record_initial_statuses
from .labels import shown_name
from .models import (
    Delivery,
    Fulfilment,
    FulfilmentStatus,
    LineAllocation,
    OrderLine,
    PaymentMethod,
)

# Refusals name the argument at fault in `details["field"]` (payment_method, items,
# pickup_station) so the API can say which request field was wrong.


class InsufficientStock(Conflict):
    """Some lines are short; `.shortages` = [{product_id, name, requested, available}]."""

    code = "insufficient_stock"

    def __init__(self, shortages: list[dict]):
        super().__init__(_l("Insufficient stock: not enough left for some items."))
        self.shortages = shortages
        self.details = {"shortages": shortages}


def provisional_reference() -> str:
    """A unique placeholder reference, replaced by `order_reference` once the id is known."""
    return f"new-{uuid4().hex[:24]}"


def order_reference(order_id: int, now: datetime) -> str:
    """'LX-20261129-000123': the order's date in China (where buyers and stations are) and
    its (unique) id."""
    return f"LX-{local_date(now):%Y%m%d}-{order_id:06d}"


def payment_method(value) -> PaymentMethod:
    """The payment method asked for (DomainError naming the field if it is not one)."""
    try:
        return PaymentMethod(value)
    except ValueError:
        raise DomainError(_l("Choose a way to pay."), field="payment_method") from None


def delivery_choice(value, method: PaymentMethod) -> Delivery:
    """Pickup or express (DomainError naming the field); express is paid online only."""
    try:
        delivery = Delivery(value or Delivery.pickup)
    except ValueError:
        raise DomainError(_l("Choose pickup or delivery."), field="delivery") from None
    if delivery == Delivery.express and method == PaymentMethod.cash_at_pickup:
        raise DomainError(
            _l("Delivery to an address is paid online; cash is only for pickup."),
            field="payment_method",
        )
    return delivery


def ship_to(address) -> dict:
    """The snapshot of the delivery address (an Address or an already made snapshot)."""
    if address is None:
        raise DomainError(_l("Choose an address to deliver to."), field="address")
    if isinstance(address, dict):
        return address
    return addresses.snapshot(address)


def shipping_by_cooperative(products, requested, ship: dict) -> dict[int, int]:
    """{cooperative_id: shipping fen} to the address's province, or NotDelivered (409)."""
    lines = [(products[pid], quantity) for pid, quantity in requested.items()]
    quotes = freight.quote_lines(lines, ship["province_code"])
    freight.shipping_or_refuse(quotes)
    return {q.cooperative_id: q.shipping_fen for q in quotes}


def requested_quantities(items) -> dict[int, int]:
    """{product_id: units} from [(product_id, quantity)], each at least 1 and at most the cap."""
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


def check_pickup_point(station) -> None:
    """Refuse anything but an open village point as the place to pick the order up."""
    if station is None or station.kind != StationKind.village_point or not station.active:
        raise DomainError(
            _l("Choose a village point to pick the order up."), field="pickup_station"
        )


class ProductsForSale(dict):
    """{product_id: Product}, and the id reserved for the new order (PostgreSQL) if any."""

    order_id: int | None = None


def products_for_sale(requested: dict[int, int]) -> ProductsForSale:
    """The requested products, each existing and on sale (DomainError naming the field).

    One statement reads the products with their cooperatives, the station network's stamp
    (the planner's cache key) and, on PostgreSQL, the new order's id from its sequence, so
    the order row is written once with its reference (see `write_order`).
    """
    extra = [network.stamp_column()]
    if db.session.get_bind().dialect.name == "postgresql":
        next_id = sa.select(sa.func.nextval(sa.func.pg_get_serial_sequence("orders", "id")))
        extra.append(next_id.scalar_subquery())
    stmt = (
        db.select(Product, *extra)
        .where(Product.id.in_(requested))
        .options(joinedload(Product.cooperative).lazyload(Cooperative.managers))
    )
    rows = db.session.execute(stmt).all()
    products = ProductsForSale((row[0].id, row[0]) for row in rows)
    if rows:
        network.note_stamp(rows[0][1])
        products.order_id = rows[0][2] if len(extra) > 1 else None
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


def shortages(products, requested, available) -> list[dict]:
    """The short lines of a refused checkout, as InsufficientStock reports them."""
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


def write_order(order, products, requested, taken, pickup_station, actor, shipping=None) -> None:
    """Write the order's fulfilments (one per cooperative), lines, allocations and parcels.

    `shipping` = {cooperative_id: fen} for an express order; its parcels are planned to the
    express hand-over at a county centre. Everything is built in memory and written by one
    flush (one multi-row INSERT per table on PostgreSQL), then the initial status events in
    one INSERT: checkout's statement budget is tested (tests/api/test_checkout_statements.py).
    """
    shipping = shipping or {}
    cash = order.payment_method == PaymentMethod.cash_at_pickup
    reserved = getattr(products, "order_id", None)
    if reserved is not None:
        order.id = reserved
        order.reference = order_reference(reserved, order.created_at)

    by_cooperative = defaultdict(list)
    for product_id in requested:
        by_cooperative[products[product_id].cooperative_id].append(products[product_id])
    fulfilments, lines = [], []
    for cooperative_id in sorted(by_cooperative):
        fulfilment = Fulfilment(
            order=order,
            cooperative=by_cooperative[cooperative_id][0].cooperative,
            status=FulfilmentStatus.to_pack if cash else FulfilmentStatus.pending_payment,
        )
        for product in by_cooperative[cooperative_id]:
            quantity = requested[product.id]
            line = OrderLine(
                order=order,
                fulfilment=fulfilment,
                product=product,
                product_name=product.name_zh,
                product_name_en=product.name_en,
                unit=product.unit,
                unit_weight_g=product.unit_weight_g,
                quantity=quantity,
                unit_price_fen=product.price_fen,
                line_fen=quantity * product.price_fen,
            )
            lines.append(line)
        fulfilment.goods_fen = sum(line.line_fen for line in fulfilment.lines)
        fulfilment.shipping_fen = shipping.get(cooperative_id, 0)
        # Owed until paid: in cash at pickup, or online (mark_paid sets it to 0).
        fulfilment.amount_due_fen = fulfilment.goods_fen + fulfilment.shipping_fen
        fulfilments.append(fulfilment)
    order.goods_fen = sum(f.goods_fen for f in fulfilments)
    order.shipping_fen = sum(f.shipping_fen for f in fulfilments)
    order.total_fen = order.goods_fen + order.shipping_fen
    parcels = logistics.plan_parcels(
        fulfilments,
        pickup_station,
        now=order.created_at,
        express=order.delivery == Delivery.express,
    )
    db.session.add(order)
    db.session.flush()
    if reserved is None:  # SQLite: the reference needs the id the INSERT gave
        order.reference = order_reference(order.id, order.created_at)
        db.session.flush()
    # Allocations: one executemany, whatever the dialect (nothing reads their ids back).
    db.session.execute(
        LineAllocation.__table__.insert(),
        [
            {"order_line_id": line.id, "lot_id": lot_id, "quantity": units, "released_at": None}
            for line in lines
            for lot_id, units in taken[line.product_id]
        ],
    )
    record_initial_statuses(
        [(order, "order", actor)]
        + [(f, "fulfilment", actor) for f in fulfilments]
        + [(p, "parcel", None) for p in parcels]
    )
