"""Payments: sending a buyer to Stripe Checkout, and what an order's payments look like.

Opening a Checkout Session is two steps, so no row lock is held while Stripe is asked:
`start_checkout` (a verb, under the sale's lock) records the pending payment; once that is
committed, `open_session` asks Stripe and records the session. The view or API handler
returns `transaction.after_commit(...)` to run the second step.

Refunds live in `refunds`, cash at the pickup point in `cash`, Stripe's webhook events in
`webhooks`; the functions other packages call are re-exported here.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from .. import transaction
from ..clock import utcnow
from ..errors import Conflict
from ..extensions import db
from ..orders import actions as sale
from ..orders.models import CancelReason, Order, OrderStatus, PaymentMethod
from ..transaction import verb
from . import stripe_gateway
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
from .sending import expire_session_after_commit, send_pending_refunds  # noqa: F401
from .status import move_payment, start_payment

# How long an unpaid online order holds its stock by default (PAYMENT_HOLD_MINUTES); the
# `unpaid-orders` job expires it at Stripe and releases the stock once it has passed.
HOLD = timedelta(minutes=30)
# Stripe keeps a Checkout Session open at least this long, whatever the hold.
STRIPE_MIN_LIFETIME = timedelta(minutes=30)
# Stripe refuses an expires_at less than 30 minutes after it creates the session; the
# margin covers the request's travel time and clock differences.
STRIPE_MARGIN = timedelta(minutes=1)


def hold() -> timedelta:
    """How long an unpaid online order holds its stock (PAYMENT_HOLD_MINUTES, 0 allowed)."""
    minutes = current_app.config.get("PAYMENT_HOLD_MINUTES")
    return HOLD if minutes is None else timedelta(minutes=int(minutes))


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


@dataclass
class CheckoutStart:
    """Where starting to pay led: a payment whose Checkout page the buyer is sent to, or the
    order cancelled with a message for the buyer (kept: returned, never raised)."""

    order_id: int
    payment_id: int | None = None
    checkout_url: str | None = None
    cancelled: object = None  # the message, when the order had to be cancelled
    success_url: str = ""
    cancel_url: str = ""
    locale: str | None = None


@verb
def start_checkout(
    order: Order, success_url: str, cancel_url: str, locale: str | None = None
) -> CheckoutStart:
    """Record the pending payment of an unpaid online order (or reuse the open one).

    If the order's time to pay has run out, the order is cancelled and its stock released
    instead (`cancelled` says so). Call `open_session` once this is committed.
    """
    # Locked so a double click cannot open two sessions (and hold the stock twice).
    order = sale.lock_sale(order.id)
    start = CheckoutStart(order.id, success_url=success_url, cancel_url=cancel_url, locale=locale)
    if order.payment_method != PaymentMethod.stripe:
        raise Conflict(_l("This order is paid in cash at the pickup point."))
    if order.status != OrderStatus.pending_payment:
        raise Conflict(_l("This order is not waiting for payment."))
    now = utcnow()
    pending = _pending_checkouts(order)
    usable = [p for p in pending if p.expires_at and p.expires_at > now]
    if usable:
        # Open already, or being opened by a request a moment ago (the same idempotency key
        # gives the same session).
        start.payment_id, start.checkout_url = usable[0].id, usable[0].checkout_url
        return start
    if pending:
        # The order's time to pay has run out (Stripe's "expired" event may still be on its
        # way): a new session would hold the stock a second time.
        for payment in pending:
            move_payment(payment, PaymentStatus.expired, note="time to pay ran out")
        sale.payment_expired(order)
        start.cancelled = _l(
            "The time to pay for this order ran out, so it was cancelled. Please order again."
        )
        return start
    if not online_payment_available():
        raise Conflict(_l("Online payment is not available."))
    payment = Payment(
        order_id=order.id,
        provider=PaymentProvider.stripe,
        status=PaymentStatus.pending,
        amount_fen=order.total_fen,
        currency="cny",
        expires_at=now + hold(),
        created_at=now,
    )
    db.session.add(payment)
    db.session.flush()
    start_payment(payment, by=order.buyer_id)
    start.payment_id = payment.id
    return start


def open_session(start: CheckoutStart) -> CheckoutStart:
    """Ask Stripe for the Checkout Session of a started payment (no lock held), then record
    it; if Stripe cannot be reached, the order is cancelled and its goods put back on sale."""
    if start.cancelled or start.checkout_url or start.payment_id is None:
        return start
    payment = db.session.get(Payment, start.payment_id)
    order = db.session.get(Order, start.order_id)
    metadata = {
        "order_reference": order.reference,
        "order_id": str(order.id),
        "payment_id": str(payment.id),
    }
    try:
        session = stripe_gateway.create_checkout_session(
            line_items=_line_items(order, start.locale),
            success_url=start.success_url,
            cancel_url=start.cancel_url,
            # From the payment, not the clock: a retry sends the very same request.
            expires_at=max(payment.expires_at, payment.created_at + STRIPE_MIN_LIFETIME)
            + STRIPE_MARGIN,
            client_reference_id=order.reference,
            metadata=metadata,
            idempotency_key=f"checkout-{order.reference}-{payment.id}",
            customer_email=order.buyer.email if order.buyer else None,
            locale=start.locale,
        )
    except stripe_gateway.GatewayError as exc:
        # Runs after the request's commit: end what this step read, so the verb below
        # starts from the rows as they are now.
        transaction.rollback()
        _session_refused(start.payment_id, str(exc))
        start.cancelled = _l(
            "We could not reach the payment service, so the order was cancelled and "
            "its goods put back on sale. Please try again later, or choose to pay in "
            "cash at the pickup point."
        )
        return start
    start.checkout_url = _record_session(start.payment_id, session.id, session.url)
    return start


@verb
def _record_session(payment_id: int, session_id: str, url: str) -> str | None:
    payment = db.session.get(Payment, payment_id)
    sale.lock_sale(payment.order_id)
    db.session.refresh(payment, with_for_update=True)
    payment.provider_ref, payment.checkout_url = session_id, url
    if payment.status != PaymentStatus.pending:
        # Cancelled while Stripe was asked: the session must not be paid.
        expire_session_after_commit(session_id)
        return None
    return url


@verb
def _session_refused(payment_id: int, why: str) -> None:
    payment = db.session.get(Payment, payment_id)
    sale.lock_sale(payment.order_id)
    db.session.refresh(payment, with_for_update=True)
    if payment.status == PaymentStatus.pending:
        move_payment(payment, PaymentStatus.failed, note=why[:500])
    sale.payment_expired(payment.order, reason=CancelReason.payment_failed)


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


def payments_needing_attention() -> list[Payment]:
    """Payments Stripe reported with another amount or currency, newest first: never
    confirmed, refunded automatically, and shown to administrators to look into."""
    stmt = (
        db.select(Payment)
        .where(Payment.status == PaymentStatus.needs_attention)
        .order_by(Payment.created_at.desc(), Payment.id.desc())
    )
    return list(db.session.scalars(stmt))


def count_needing_attention() -> int:
    """How many payments need an administrator's look (the admin start page shows it)."""
    stmt = db.select(db.func.count(Payment.id)).where(
        Payment.status == PaymentStatus.needs_attention
    )
    return int(db.session.scalar(stmt))
