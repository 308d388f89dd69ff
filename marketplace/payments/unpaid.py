"""The `unpaid-orders` job: a lost webhook can no longer hold stock.

An online order still waiting for payment once its time to pay (PAYMENT_HOLD_MINUTES) has
passed is looked up at Stripe, one order at a time and holding no lock meanwhile: a session
that was paid is applied exactly as the `checkout.session.completed` webhook would apply it
(the same handler: a webhook arriving too changes nothing); an open one is expired at
Stripe first, and then recorded like the `checkout.session.expired` webhook (payment
expired, order cancelled, stock released).
"""

import logging
from collections import Counter

from flask_babel import lazy_gettext as _l

from .. import transaction
from ..clock import utcnow
from ..extensions import db
from ..jobs.registry import every, job
from ..orders import actions as sale
from ..orders.models import Order, OrderStatus, PaymentMethod
from ..transaction import verb
from . import stripe_gateway, webhooks
from .models import Payment, PaymentProvider, PaymentStatus
from .services import hold
from .status import move_payment

log = logging.getLogger(__name__)


@job("unpaid-orders", label=_l("Unpaid online orders"), schedule=every(minutes=5))
def expire_unpaid_orders(run) -> dict:
    now = run.now
    due = db.session.scalars(
        db.select(Order.id)
        .where(
            Order.status == OrderStatus.pending_payment,
            Order.payment_method == PaymentMethod.stripe,
            Order.created_at <= now - hold(),
        )
        .order_by(Order.id)
    ).all()
    counts = Counter()
    for done, order_id in enumerate(due, 1):
        counts[settle_unpaid_order(order_id, now)] += 1
        transaction.commit()
        run.progress(done, len(due))
    return {"orders": len(due), **counts}


def _pending(order_id: int) -> list[Payment]:
    return list(
        db.session.scalars(
            db.select(Payment)
            .where(
                Payment.order_id == order_id,
                Payment.provider == PaymentProvider.stripe,
                Payment.status == PaymentStatus.pending,
            )
            .order_by(Payment.id)
        )
    )


def settle_unpaid_order(order_id: int, now=None) -> str:
    """Confirm (if Stripe was paid) or expire one unpaid online order; what happened."""
    now = now or utcnow()
    pending = _pending(order_id)
    if any(p.expires_at and p.expires_at > now for p in pending):
        return "still open"
    sessions = [p.provider_ref for p in pending if p.provider_ref]
    transaction.commit()  # no lock, no open transaction while Stripe is asked
    outcome = None
    for session_id in sessions:
        try:
            session = stripe_gateway.retrieve_checkout_session(session_id)
            if session.status == "open":
                try:
                    session = stripe_gateway.expire_checkout_session(session_id)
                except stripe_gateway.GatewayUnreachable:
                    raise
                except stripe_gateway.GatewayError:
                    # Completed a moment ago: read what happened.
                    session = stripe_gateway.retrieve_checkout_session(session_id)
        except stripe_gateway.GatewayError as exc:
            log.warning("order %s: Stripe could not be asked: %s", order_id, exc)
            return "stripe unreachable"
        if session.payment_status == "paid" or session.status == "complete":
            return _apply(webhooks.session_completed, session.as_event_object())
        outcome = _apply(webhooks.session_expired, session.as_event_object())
        transaction.commit()
    left = _expire_without_session(order_id)
    return outcome or left


@verb
def _apply(handler, session: dict) -> str:
    """Record Stripe's answer with the webhook's own handler (it locks the sale)."""
    outcome = handler(session)
    if outcome.startswith("paid"):
        return "paid: confirmed"
    if outcome == "already paid":
        return "already paid"
    return "expired at Stripe"


@verb
def _expire_without_session(order_id: int) -> str:
    """No session could be paid any more (none was opened, or each is now expired)."""
    order = sale.lock_sale(order_id, stations=True)
    for payment in _pending(order_id):
        move_payment(payment, PaymentStatus.expired, note="time to pay ran out")
    if order.status != OrderStatus.pending_payment:
        return "no longer waiting"
    sale.payment_expired(order)
    return "expired"
