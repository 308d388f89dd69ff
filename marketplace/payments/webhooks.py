"""Stripe's webhook events, applied at most once each, whatever order they arrive in.

The view verifies the signature; `process_stripe_event` records the event id in the same
transaction as its effect (a second delivery of the same id finds the row, or fails on its
primary key and is answered "already processed"). Handlers are looked up in HANDLERS and
return a short outcome for the log. An order's state only moves forward: a late "expired"
never cancels a paid order, and a payment that arrives for an expired order re-takes the
stock if it is still there, or is refunded automatically.
"""

import logging

from ..extensions import db
from ..orders import actions as sale
from ..orders.models import CancelReason, OrderStatus
from ..transaction import verb
from .models import Payment, PaymentStatus, Refund, RefundStatus, WebhookEvent
from .refunds import (
    AUTO_REFUND_ALREADY_PAID,
    AUTO_REFUND_EXPIRED,
    AUTO_REFUND_MISMATCH,
    refund_payment_automatically,
)
from .sending import FAILED_AT_STRIPE
from .status import move_payment, move_refund

log = logging.getLogger(__name__)


def already_processed(event_id: str) -> bool:
    """True if this provider event id has been processed (its row is committed)."""
    return db.session.get(WebhookEvent, event_id) is not None


@verb
def process_stripe_event(event: dict) -> str:
    """Apply one verified Stripe event exactly once; returns what happened.

    Raises IntegrityError (on flush or commit) if a concurrent delivery of the same event
    got there first.
    """
    event_id, kind = event["id"], event.get("type", "")
    if already_processed(event_id):
        return "already processed"
    record = WebhookEvent(id=event_id, provider="stripe", type=kind[:100])
    db.session.add(record)
    db.session.flush()
    handler = HANDLERS.get(kind)
    obj = (event.get("data") or {}).get("object") or {}
    outcome = handler(obj) if handler else "ignored: not an event we act on"
    record.outcome = outcome[:200]
    db.session.flush()
    log.info("Stripe event %s (%s): %s", event_id, kind, outcome)
    return outcome


def _locked(model, *conditions):
    """The row, locked after its order's sale (the lock order every sale path follows)."""
    found = db.session.scalars(db.select(model).where(*conditions)).first()
    if found is None:
        return None
    order_id = found.order_id if isinstance(found, Payment) else found.payment.order_id
    sale.lock_sale(order_id)
    stmt = db.select(model).where(model.id == found.id).with_for_update()
    return db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one()


def _payment_for(session: dict) -> Payment | None:
    payment = _locked(Payment, Payment.provider_ref == session.get("id"))
    if payment is None:
        log.warning("Stripe session %s is not one of ours; nothing changed", session.get("id"))
    return payment


def _remember_intent(payment: Payment, session: dict) -> None:
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    if intent and payment.payment_intent_ref is None:
        payment.payment_intent_ref = intent


def _received(session: dict) -> tuple[int | None, str]:
    amount = session.get("amount_total")
    if isinstance(amount, bool) or not isinstance(amount, int):
        amount = None
    return amount, str(session.get("currency") or "").lower()[:3]


def _mismatch(payment: Payment, amount: int | None, currency: str) -> str:
    """Stripe charged something other than the payment: never confirm the order on it.

    The payment is marked for an administrator, what was charged goes back at once (the
    buyer should not wait for someone to look), and the order is cancelled like a failed
    payment, so its stock is not held by an order nobody can pay any more.
    """
    payment.received_amount, payment.received_currency = amount, currency or None
    note = (
        f"Stripe reported {amount} {currency or '?'}; expected {payment.amount_fen} "
        f"{payment.currency}: not confirmed, refunded automatically"
    )
    move_payment(payment, PaymentStatus.needs_attention, note=note)
    log.error("Payment %s: %s", payment.id, note)
    if amount:
        refund_payment_automatically(payment, AUTO_REFUND_MISMATCH, amount=amount)
    sale.payment_expired(payment.order, reason=CancelReason.payment_failed)
    return "amount or currency did not match; not confirmed; refunded automatically"


def _settle(payment: Payment, session: dict) -> str:
    """The money has arrived: orders confirms the order (taking its stock again if it had
    expired), or payments gives the money back. Only the amount and currency the payment
    asked for count as the money arriving."""
    if payment.status == PaymentStatus.succeeded:
        return "already paid"
    if payment.status == PaymentStatus.needs_attention:
        return "already refused: amount or currency did not match"
    amount, currency = _received(session)
    if amount != payment.amount_fen or currency != payment.currency.lower():
        return _mismatch(payment, amount, currency)
    move_payment(payment, PaymentStatus.succeeded)
    order = payment.order
    was_cancelled = order.status == OrderStatus.cancelled
    if sale.payment_settled(order):
        if was_cancelled:
            return "paid after expiry; stock taken again; order confirmed"
        return "paid; order confirmed"
    if order.status == OrderStatus.cancelled:
        refund_payment_automatically(payment, AUTO_REFUND_EXPIRED)
        return "paid after expiry; stock gone; refunded automatically"
    refund_payment_automatically(payment, AUTO_REFUND_ALREADY_PAID)
    return "order already paid; this payment refunded automatically"


def session_completed(session: dict) -> str:
    """checkout.session.completed: settle only if the money is there (not async methods)."""
    payment = _payment_for(session)
    if payment is None:
        return "unknown session"
    _remember_intent(payment, session)
    if session.get("payment_status") != "paid":
        return f"completed but {session.get('payment_status')}; waiting for the async result"
    return _settle(payment, session)


def async_payment_succeeded(session: dict) -> str:
    """checkout.session.async_payment_succeeded: the delayed payment arrived."""
    payment = _payment_for(session)
    if payment is None:
        return "unknown session"
    _remember_intent(payment, session)
    return _settle(payment, session)


def async_payment_failed(session: dict) -> str:
    """checkout.session.async_payment_failed: no money; release the stock."""
    payment = _payment_for(session)
    if payment is None:
        return "unknown session"
    if payment.status != PaymentStatus.pending:
        return f"ignored: payment already {payment.status}"
    move_payment(payment, PaymentStatus.failed, note="async payment failed")
    cancelled = sale.payment_expired(payment.order, reason=CancelReason.payment_failed)
    return "payment failed; order cancelled" if cancelled else "payment failed"


def session_expired(session: dict) -> str:
    """checkout.session.expired: the buyer did not pay in time; release the stock."""
    payment = _payment_for(session)
    if payment is None:
        return "unknown session"
    if payment.status != PaymentStatus.pending:
        return f"ignored: payment already {payment.status}"
    move_payment(payment, PaymentStatus.expired)
    cancelled = sale.payment_expired(payment.order)
    return "expired; order cancelled, stock released" if cancelled else "expired"


def charge_refunded(charge: dict) -> str:
    """charge.refunded: mark our pending refunds of that charge as succeeded (or failed)."""
    payment = _locked(Payment, Payment.payment_intent_ref == charge.get("payment_intent"))
    if payment is None:
        log.warning("Stripe charge %s is not one of ours; nothing changed", charge.get("id"))
        return "unknown payment"
    listed = {r.get("id"): r.get("status") for r in (charge.get("refunds") or {}).get("data", [])}
    refunds = db.session.scalars(
        db.select(Refund).where(Refund.payment_id == payment.id).order_by(Refund.id)
    ).all()
    settled = sum(r.amount_fen for r in refunds if r.status == RefundStatus.succeeded)
    refunded_at_stripe = int(charge.get("amount_refunded") or 0)
    confirmed = 0
    for refund in (r for r in refunds if r.status == RefundStatus.pending):
        status = listed.get(refund.provider_ref)
        # Without the refund list, trust the charge's total: oldest pending refunds first.
        fits = status is None and settled + refund.amount_fen <= refunded_at_stripe
        if status == "succeeded" or fits:
            move_refund(refund, RefundStatus.succeeded, note="charge.refunded")
            sale.refund_recorded(refund)
            settled += refund.amount_fen
            confirmed += 1
        elif status in FAILED_AT_STRIPE:
            move_refund(refund, RefundStatus.failed, note=f"Stripe: {status}")
    return f"{confirmed} refund(s) confirmed"


def refund_updated(refund_object: dict) -> str:
    """refund.updated / charge.refund.updated: the final status of one asynchronous refund."""
    refund = _locked(Refund, Refund.provider_ref == refund_object.get("id"))
    if refund is None:
        log.warning("Stripe refund %s is not one of ours; nothing changed", refund_object.get("id"))
        return "unknown refund"
    status = refund_object.get("status")
    if refund.status != RefundStatus.pending:
        return f"ignored: refund already {refund.status}"
    if status == "succeeded":
        move_refund(refund, RefundStatus.succeeded, note="refund.updated")
        sale.refund_recorded(refund)
    elif status in FAILED_AT_STRIPE:
        move_refund(refund, RefundStatus.failed, note=f"Stripe: {status}")
    return f"refund {refund.status}"


HANDLERS = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": async_payment_succeeded,
    "checkout.session.async_payment_failed": async_payment_failed,
    "checkout.session.expired": session_expired,
    "charge.refunded": charge_refunded,
    "refund.updated": refund_updated,
    "charge.refund.updated": refund_updated,
}
