"""Payments: sending a buyer to Stripe Checkout, and what an order's payments look like.

Refunds live in `refunds`, cash at the pickup point in `cash`, Stripe's webhook events in
`webhooks`; the functions other packages call are re-exported here.
"""

from datetime import timedelta

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from ..errors import Conflict
from ..extensions import db
from ..orders import services as orders_services
from ..orders.models import Order, OrderStatus, PaymentMethod
from ..status import utcnow
from . import stripe_gateway
from .cash import record_cash_payment  # noqa: F401  (public: logistics calls it)
from .errors import CheckoutCancelled, PaymentServiceUnavailable  # noqa: F401
from .models import Payment, PaymentProvider, PaymentStatus
from .refunds import (  # noqa: F401  (public)
    can_refund,
    paid_fen,
    refund_fulfilment,
    refund_reason,
    refundable_fen,
    refunded_fen,
    refunds_of_fulfilment,
)
from .status import move_payment, start_payment

# How long an unpaid online order holds its stock (the Checkout Session's lifetime).
HOLD = timedelta(minutes=30)
# Stripe refuses an expires_at less than 30 minutes after it creates the session; the
# margin covers the request's travel time and clock differences.
STRIPE_MARGIN = timedelta(minutes=1)


def online_payment_available() -> bool:
    """True when Stripe is configured, so buyers may choose to pay online."""
    return stripe_gateway.is_configured()


def _pending_checkouts(order: Order) -> list[Payment]:
    stmt = (
        db.select(Payment)
        .where(
            Payment.order_id == order.id,
            Payment.provider == PaymentProvider.stripe,
            Payment.status == PaymentStatus.pending,
        )
        .order_by(Payment.id.desc())
    )
    return list(db.session.scalars(stmt))


def open_checkout(order: Order) -> Payment | None:
    """The order's Stripe payment that can still be paid (session not expired), if any."""
    now = utcnow()
    for payment in _pending_checkouts(order):
        if payment.checkout_url and payment.expires_at and payment.expires_at > now:
            return payment
    return None


def _line_items(order: Order, locale: str | None) -> list[tuple[str, int, int]]:
    items = [(line.product_name, line.unit_price_fen, line.quantity) for line in order.lines]
    # Stripe shows these names to the buyer, in the language of the page they came from.
    with force_locale(locale or "zh"):
        if order.shipping_fen:
            items.append((gettext("Delivery"), order.shipping_fen, 1))
        if sum(unit * quantity for _, unit, quantity in items) != order.total_fen:
            # Whatever the lines say, the buyer pays exactly the order's total.
            items = [
                (gettext("Order %(reference)s", reference=order.reference), order.total_fen, 1)
            ]
    return items


def start_checkout(
    order: Order, success_url: str, cancel_url: str, locale: str | None = None
) -> Payment:
    """Create (or reuse) the Stripe Checkout Session for an unpaid online order.

    Returns the pending Payment whose `checkout_url` the buyer is sent to. If Stripe cannot
    be reached, or the time to pay has run out, the order is expired (its stock released)
    and CheckoutCancelled is raised: the caller commits, so the release is kept, and shows
    the message.
    """
    # Locked so a double click cannot open two sessions (and hold the stock twice).
    stmt = db.select(Order).where(Order.id == order.id).with_for_update()
    order = db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one()
    if order.payment_method != PaymentMethod.stripe:
        raise Conflict(_l("This order is paid in cash at the pickup point."))
    if order.status != OrderStatus.pending_payment:
        raise Conflict(_l("This order is not waiting for payment."))
    existing = open_checkout(order)
    if existing is not None:
        return existing
    if _pending_checkouts(order):
        # The order's time to pay has run out (Stripe's "expired" event may still be on its
        # way): a new session would hold the stock a second time.
        for payment in _pending_checkouts(order):
            move_payment(payment, PaymentStatus.expired, note="time to pay ran out")
        orders_services.expire_order(order)
        db.session.flush()
        raise CheckoutCancelled(
            _l("The time to pay for this order ran out, so it was cancelled. Please order again.")
        )
    if not online_payment_available():
        raise Conflict(_l("Online payment is not available."))
    now = utcnow()
    payment = Payment(
        order_id=order.id,
        provider=PaymentProvider.stripe,
        status=PaymentStatus.pending,
        amount_fen=order.total_fen,
        currency="cny",
        expires_at=now + HOLD,
    )
    db.session.add(payment)
    db.session.flush()
    start_payment(payment, by=order.buyer_id)
    metadata = {
        "order_reference": order.reference,
        "order_id": str(order.id),
        "payment_id": str(payment.id),
    }
    try:
        session = stripe_gateway.create_checkout_session(
            line_items=_line_items(order, locale),
            success_url=success_url,
            cancel_url=cancel_url,
            expires_at=now + HOLD + STRIPE_MARGIN,
            client_reference_id=order.reference,
            metadata=metadata,
            idempotency_key=f"checkout-{order.reference}-{payment.id}",
            customer_email=order.buyer.email if order.buyer else None,
            locale=locale,
        )
    except stripe_gateway.GatewayError as exc:
        move_payment(payment, PaymentStatus.failed, note=str(exc)[:500])
        orders_services.expire_order(order)
        db.session.flush()
        raise CheckoutCancelled(
            _l(
                "We could not reach the payment service, so the order was cancelled and "
                "its goods put back on sale. Please try again later, or choose to pay in "
                "cash at the pickup point."
            )
        ) from exc
    payment.provider_ref = session.id
    payment.checkout_url = session.url
    db.session.flush()
    return payment


def payments_for_order(order: Order) -> list[Payment]:
    """The order's payments (each with its refunds), oldest first, for the order page."""
    stmt = db.select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)
    return list(db.session.scalars(stmt))


def confirmed_payment(order: Order) -> Payment | None:
    """The order's succeeded payment, once a webhook (or the station) has confirmed it."""
    for payment in payments_for_order(order):
        if payment.status == PaymentStatus.succeeded:
            return payment
    return None
