"""Orders: placing one (cash at the pickup point, or Stripe Checkout), the buyer's orders,
one order with its parcels' routes and timeline, and cancelling it."""

from flask import request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import lazyload

from ..catalog.freight import NotDelivered
from ..errors import DomainError
from ..extensions import db
from ..logistics.models import Station
from ..orders import actions as orders
from ..orders import queries
from ..orders.models import Delivery, Order, OrderStatus, PaymentMethod
from ..payments import services as payments
from ..status import StatusEvent
from ..transaction import after_commit
from ..urls import external_url
from .auth import current_api_user, token_required
from .delivery import not_delivered_error, ship_to_from_body
from .errors import ApiError, Invalid, error_response
from .params import (
    MAX_INT,
    choice_field,
    int_field,
    json_body,
    list_field,
    only_fields,
    page_args,
    text_field,
)
from .serializers import event_json, locale, order_json, order_summary_json, page_json
from .views import bp

MAX_LINES = 100
# The names place_order gives its arguments, and the request fields they came from.
REQUEST_FIELD = {"items": "lines", "pickup_station": "pickup_station_id"}


def _items(body: dict) -> list[tuple[int, int]]:
    items = []
    for index, line in enumerate(list_field(body, "lines", MAX_LINES)):
        try:
            only_fields(line, ("product_id", "quantity"))
            items.append(
                (int_field(line, "product_id", minimum=1), int_field(line, "quantity", minimum=1))
            )
        except Invalid as exc:
            # Name the line: lines[2].quantity.
            fields = exc.extra["fields"].items()
            raise Invalid({f"lines[{index}].{k}": v for k, v in fields}) from None
    return items


def _checkout_url(order: Order) -> str | None:
    if order.payment_method != PaymentMethod.stripe or order.status != OrderStatus.pending_payment:
        return None
    payment = payments.open_checkout(order)
    return payment.checkout_url if payment else None


def _start_checkout(order: Order) -> payments.CheckoutStart:
    """Record the payment; the Checkout Session is opened once that is committed."""
    # Stripe fills in {CHECKOUT_SESSION_ID}; url_for would escape the braces.
    success = external_url("payments.checkout_return", order_id=order.id)
    cancel = external_url("payments.checkout_return", order_id=order.id, left=1)
    return payments.start_checkout(
        order, success + "?session_id={CHECKOUT_SESSION_ID}", cancel, locale=locale()
    )


@bp.post("/orders")
@token_required
def place_order():
    """Order products picked up at a village point; one parcel per cooperative. 201."""
    body = json_body()
    only_fields(
        body,
        ("lines", "pickup_station_id", "payment_method", "delivery", "address_id", "address"),
    )
    items = _items(body)
    delivery = choice_field(body, "delivery", [d.value for d in Delivery], required=False)
    delivery = delivery or Delivery.pickup
    method = choice_field(body, "payment_method", [m.value for m in PaymentMethod])
    station, ship_to = None, None
    if delivery == Delivery.express:
        if method == PaymentMethod.cash_at_pickup:
            message = _l("Delivery to an address is paid online; cash is only for pickup.")
            raise Invalid({"payment_method": message})
        ship_to = ship_to_from_body(body)
    else:
        station_id = int_field(body, "pickup_station_id", minimum=1)
        station = db.session.get(Station, station_id, options=[lazyload(Station.operators)])
        if station is None:
            raise Invalid({"pickup_station_id": _l("There is no such station.")})
    if method == PaymentMethod.stripe and not payments.online_payment_available():
        raise Invalid({"payment_method": _l("Online payment is not available.")})
    user = current_api_user()
    try:
        order = orders.place_order(user, items, station, method, delivery=delivery, address=ship_to)
    except NotDelivered as exc:
        raise not_delivered_error(exc) from None
    except orders.InsufficientStock as exc:
        lines = [
            {"product_id": s["product_id"], "available_qty": s["available"]} for s in exc.shortages
        ]
        raise ApiError(409, "insufficient_stock", exc.message, lines=lines) from None
    except DomainError as exc:
        field = exc.details.get("field")
        if exc.status_code != 400 or field is None:
            raise
        raise Invalid({REQUEST_FIELD.get(field, field): exc.message}) from None
    if method != PaymentMethod.stripe:
        return order_json(order, user), 201
    start = _start_checkout(order)

    def respond():
        # After the commit: the lots' row locks are released before Stripe is asked.
        opened = payments.open_session(start)
        placed = db.session.get(Order, start.order_id)
        if opened.cancelled:
            # The order stays cancelled and its stock back on sale: answered, not raised.
            return error_response(409, "checkout_cancelled", opened.cancelled, order_id=placed.id)
        return order_json(placed, user, checkout_url=opened.checkout_url), 201

    return after_commit(respond)


@bp.get("/orders")
@token_required
def list_orders():
    """The caller's own orders, newest first."""
    page, per_page = page_args()
    found = queries.orders_of(current_api_user(), page=page, per_page=per_page)
    items = [order_summary_json(order) for order in found.items]
    return page_json(items, page, per_page, found.total)


def _visible_order(order_id: int) -> Order:
    order = (
        queries.visible_order(current_api_user(), str(order_id)) if order_id <= MAX_INT else None
    )
    if order is None:
        raise ApiError(404)  # another buyer's order does not exist for this caller
    return order


def _events(order: Order) -> list[StatusEvent]:
    """The status changes of the order, its fulfilments and their parcels, oldest first."""
    fulfilment_ids = [f.id for f in order.fulfilments]
    parcel_ids = [f.parcel.id for f in order.fulfilments if f.parcel is not None]
    subjects = [
        (StatusEvent.subject == "order") & (StatusEvent.subject_id == order.id),
        (StatusEvent.subject == "fulfilment") & StatusEvent.subject_id.in_(fulfilment_ids),
        (StatusEvent.subject == "parcel") & StatusEvent.subject_id.in_(parcel_ids),
    ]
    stmt = db.select(StatusEvent).where(db.or_(*subjects))
    return list(db.session.scalars(stmt.order_by(StatusEvent.at, StatusEvent.id)))


def _order_body(order: Order) -> dict:
    user = current_api_user()
    body = order_json(order, user, _checkout_url(order))
    body["events"] = [event_json(event) for event in _events(order)]
    return body


@bp.get("/orders/<int:order_id>")
@token_required
def get_order(order_id: int):
    """One order with its timeline; pickup codes only for the buyer."""
    return _order_body(_visible_order(order_id))


@bp.post("/orders/<int:order_id>/cancel")
@token_required
def cancel_order(order_id: int):
    """Cancel an order none of whose parcels has left; its stock goes back on sale."""
    order = _visible_order(order_id)
    if not queries.is_buyer_side(current_api_user(), order):
        raise ApiError(403)
    body = json_body() if request.get_data() else {}
    only_fields(body, ("reason",))
    reason = text_field(body, "reason", 500, required=False)
    orders.cancel_order(order, by=current_api_user(), reason=reason)
    return _order_body(order)
