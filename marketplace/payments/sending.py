"""What is sent to Stripe once the transaction that decided it has committed: refunds and
Checkout Session expiries. No row lock is held while Stripe is asked; its answer is then
recorded under the sale's lock, and a refund that has succeeded is reported to orders
(`refund_recorded`), which reverses the households' income.
"""

import logging

from .. import transaction
from ..extensions import db
from ..orders import actions as sale
from ..transaction import on_commit, verb
from . import stripe_gateway
from .models import Payment, PaymentProvider, Refund, RefundStatus
from .status import move_refund

log = logging.getLogger(__name__)

# Refund statuses after which Stripe will not pay the money back.
FAILED_AT_STRIPE = {"failed", "canceled"}


def expire_session_after_commit(session_id: str) -> None:
    """Once committed, expire a Checkout Session at Stripe so it can no longer be paid."""

    def expire_session():
        try:
            stripe_gateway.expire_checkout_session(session_id)
        except stripe_gateway.GatewayError as exc:
            # Already complete or expired at Stripe, or Stripe unreachable: a payment that
            # still arrives is refunded automatically (the order is cancelled).
            log.warning("Could not expire Checkout Session %s: %s", session_id, exc)

    on_commit(expire_session)


def send_after_commit(refund: Refund, key: str, on_unreachable) -> None:
    """Send a pending refund once committed, with `key` (kept on it for every retry); if
    Stripe cannot be reached it becomes `on_unreachable` (None: it stays pending)."""
    refund.idempotency_key = key
    refund_id = refund.id
    on_commit(lambda: send_refund(refund_id, on_unreachable))


def send_pending_refunds() -> int:
    """Send again every Stripe refund still pending without a Stripe id; how many were sent."""
    pending = db.session.scalars(
        db.select(Refund)
        .join(Payment, Payment.id == Refund.payment_id)
        .where(
            Refund.status == RefundStatus.pending,
            Refund.provider_ref.is_(None),
            Payment.provider == PaymentProvider.stripe,
        )
        .order_by(Refund.id)
    ).all()
    sent = 0
    for refund in pending:
        if send_refund(refund.id, on_unreachable=None):
            sent += 1
    return sent


def send_refund(refund_id: int, on_unreachable) -> bool:
    """Ask Stripe to pay a pending refund back, holding no lock meanwhile; then record its
    answer under the sale's lock. True if Stripe answered."""
    refund = db.session.get(Refund, refund_id)
    if refund is None or refund.status != RefundStatus.pending or refund.provider_ref:
        return False
    payment = db.session.get(Payment, refund.payment_id)
    try:
        intent = _payment_intent(payment)
        result = stripe_gateway.create_refund(
            payment_intent=intent,
            amount_fen=refund.amount_fen,
            idempotency_key=refund.idempotency_key,
            metadata={
                "refund_id": str(refund.id),
                "order_id": str(payment.order_id),
                "fulfilment_id": str(refund.fulfilment_id or ""),
            },
        )
    except stripe_gateway.GatewayError as exc:
        # Runs after the commit that decided the refund: end what this step read, so
        # the verb below starts from the rows as they are now.
        transaction.rollback()
        if on_unreachable is not None:
            _record_answer(refund_id, None, on_unreachable, note=f"Stripe: {exc}"[:500])
        return False
    _record_answer(refund_id, result.id, result.status)
    return True


@verb
def _record_answer(refund_id: int, provider_ref, answer, note=None) -> None:
    refund = db.session.get(Refund, refund_id)
    payment = db.session.get(Payment, refund.payment_id)
    sale.lock_sale(payment.order_id)
    refund = db.session.execute(
        db.select(Refund)
        .where(Refund.id == refund_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    if refund.status != RefundStatus.pending:
        return
    if provider_ref:
        refund.provider_ref = provider_ref
    if answer == "succeeded":
        move_refund(refund, RefundStatus.succeeded)
        sale.refund_recorded(refund)
    elif answer in FAILED_AT_STRIPE or answer == RefundStatus.failed:
        move_refund(refund, RefundStatus.failed, note=note or f"Stripe: {answer}")
    db.session.flush()


def _payment_intent(payment: Payment) -> str:
    if payment.payment_intent_ref is None and payment.provider_ref:
        session = stripe_gateway.retrieve_checkout_session(payment.provider_ref)
        payment.payment_intent_ref = session.payment_intent
    if payment.payment_intent_ref is None:
        raise stripe_gateway.GatewayError("Stripe has no completed payment for this order")
    return payment.payment_intent_ref
