"""Refunds: part or all of a fulfilment's money back to the buyer, through Stripe for online
payments or as cash paid back at the pickup point; and the automatic refund of a payment
that arrived for an order that could no longer be filled.

A refund of a fulfilment whose sale was already recognised writes reversing income entries.
"""

from flask_babel import lazy_gettext as _l

from ..errors import Conflict, DomainError
from ..extensions import db
from ..households.income import reverse_for_refund
from ..money import format_fen, sum_fen
from ..orders.models import Fulfilment, PaymentMethod
from . import cash, stripe_gateway
from .errors import PaymentServiceUnavailable
from .models import Payment, PaymentProvider, PaymentStatus, Refund, RefundStatus
from .status import move_refund, start_refund

# Stored as the reason of automatic refunds (no one typed them); pages show them translated.
AUTO_REFUND_EXPIRED = (
    "Refunded automatically: the payment arrived after the order had expired and its "
    "goods were no longer available."
)
AUTO_REFUND_ALREADY_PAID = "Refunded automatically: this order had already been paid."
_AUTO_REFUND_TEXT = {
    AUTO_REFUND_EXPIRED: _l(
        "Refunded automatically: your payment arrived after the order had expired and its "
        "goods were no longer available."
    ),
    AUTO_REFUND_ALREADY_PAID: _l("Refunded automatically: this order had already been paid."),
}
# Refund statuses after which Stripe will not pay the money back.
FAILED_AT_STRIPE = {"failed", "canceled"}


def paid_fen(fulfilment: Fulfilment) -> int:
    """What the buyer paid for this fulfilment (0 until it is paid)."""
    if fulfilment.paid_at is None:
        return 0
    return fulfilment.goods_fen + fulfilment.shipping_fen


def refunded_fen(fulfilment: Fulfilment) -> int:
    """What has been (or is being) refunded for this fulfilment; failed refunds do not count."""
    total = db.session.scalar(
        db.select(sum_fen(Refund.amount_fen)).where(
            Refund.fulfilment_id == fulfilment.id, Refund.status != RefundStatus.failed
        )
    )
    return int(total)


def refundable_fen(fulfilment: Fulfilment) -> int:
    """What is left to refund for this fulfilment: paid minus refunded."""
    return max(0, paid_fen(fulfilment) - refunded_fen(fulfilment))


def refunds_of_fulfilment(fulfilment: Fulfilment) -> list[Refund]:
    """A fulfilment's refunds, oldest first."""
    stmt = db.select(Refund).where(Refund.fulfilment_id == fulfilment.id).order_by(Refund.id)
    return list(db.session.scalars(stmt))


def can_refund(user, fulfilment: Fulfilment) -> bool:
    """Administrators, and the managers of the fulfilment's cooperative, may refund it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return any(manager.id == user.id for manager in fulfilment.cooperative.managers)


def _locked(fulfilment: Fulfilment) -> Fulfilment:
    """Re-read the fulfilment under a row lock so two refunds cannot both take what is left."""
    stmt = db.select(Fulfilment).where(Fulfilment.id == fulfilment.id).with_for_update()
    return db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one()


def refund_fulfilment(fulfilment: Fulfilment, amount_fen: int, reason: str, by=None) -> Refund:
    """Refund `amount_fen` of a paid fulfilment, giving a reason; never more than is left."""
    fulfilment = _locked(fulfilment)
    reason = (reason or "").strip()[:500]
    if not reason:
        raise DomainError(_l("Please give a reason for the refund."))
    if amount_fen <= 0:
        raise DomainError(_l("The refund must be more than zero."))
    left = refundable_fen(fulfilment)
    if left == 0:
        raise Conflict(_l("Nothing is left to refund for this parcel."))
    if amount_fen > left:
        raise DomainError(
            _l("You can refund at most %(amount)s for this parcel.", amount=format_fen(left))
        )
    if fulfilment.order.payment_method == PaymentMethod.cash_at_pickup:
        refund = cash.refund_cash(fulfilment, amount_fen, reason, by=by)
    else:
        refund = _refund_online(fulfilment, amount_fen, reason, by)
    if refund.status != RefundStatus.failed:
        reverse_for_refund(refund)
    return refund


def payment_refunded_fen(payment: Payment) -> int:
    """What has been (or is being) refunded of one payment; failed refunds do not count."""
    total = db.session.scalar(
        db.select(sum_fen(Refund.amount_fen)).where(
            Refund.payment_id == payment.id, Refund.status != RefundStatus.failed
        )
    )
    return int(total)


def _refund_online(fulfilment: Fulfilment, amount_fen: int, reason: str, by) -> Refund:
    payment = db.session.scalars(
        db.select(Payment)
        .where(
            Payment.order_id == fulfilment.order_id,
            Payment.provider == PaymentProvider.stripe,
            Payment.status == PaymentStatus.succeeded,
        )
        .order_by(Payment.id.desc())
    ).first()
    if payment is None:
        raise Conflict(_l("This order has no confirmed online payment to refund."))
    if amount_fen > payment.amount_fen - payment_refunded_fen(payment):
        raise Conflict(_l("That is more than is left of the online payment."))
    refund = Refund(
        payment_id=payment.id,
        fulfilment_id=fulfilment.id,
        amount_fen=amount_fen,
        reason=reason,
        status=RefundStatus.pending,
        created_by_id=getattr(by, "id", by),
    )
    db.session.add(refund)
    db.session.flush()
    start_refund(refund, by=by, note=reason)
    return _send(payment, refund, idempotency_key=f"refund-{refund.id}")


def refund_reason(refund: Refund) -> str:
    """The refund's reason as the reader should see it (automatic ones translated)."""
    text = _AUTO_REFUND_TEXT.get(refund.reason)
    return str(text) if text is not None and refund.created_by_id is None else refund.reason


def refund_payment_automatically(payment: Payment, reason: str) -> Refund | None:
    """Give back all that is left of a payment the order could not use (no one decides)."""
    left = payment.amount_fen - payment_refunded_fen(payment)
    if left <= 0:
        return None
    refund = Refund(
        payment_id=payment.id,
        amount_fen=left,
        reason=reason,
        status=RefundStatus.pending,
    )
    db.session.add(refund)
    db.session.flush()
    start_refund(refund, note=reason)
    # One automatic refund per payment ever: a redelivered event that retries after a lost
    # commit reuses this key, so Stripe does not pay the buyer back twice.
    return _send(payment, refund, idempotency_key=f"refund-auto-{payment.id}")


def _payment_intent(payment: Payment) -> str:
    if payment.payment_intent_ref is None and payment.provider_ref:
        try:
            session = stripe_gateway.retrieve_checkout_session(payment.provider_ref)
        except stripe_gateway.GatewayError as exc:
            raise _unavailable() from exc
        payment.payment_intent_ref = session.payment_intent
    if payment.payment_intent_ref is None:
        raise Conflict(_l("Stripe has no completed payment for this order."))
    return payment.payment_intent_ref


def _send(payment: Payment, refund: Refund, idempotency_key: str) -> Refund:
    intent = _payment_intent(payment)
    try:
        result = stripe_gateway.create_refund(
            payment_intent=intent,
            amount_fen=refund.amount_fen,
            idempotency_key=idempotency_key,
            metadata={
                "refund_id": str(refund.id),
                "order_id": str(payment.order_id),
                "fulfilment_id": str(refund.fulfilment_id or ""),
            },
        )
    except stripe_gateway.GatewayError as exc:
        raise _unavailable() from exc
    refund.provider_ref = result.id
    if result.status == "succeeded":
        move_refund(refund, RefundStatus.succeeded)
    elif result.status in FAILED_AT_STRIPE:
        move_refund(refund, RefundStatus.failed, note=f"Stripe: {result.status}")
    db.session.flush()
    return refund


def _unavailable() -> PaymentServiceUnavailable:
    return PaymentServiceUnavailable(
        _l("We could not reach the payment service; nothing was refunded. Please try again later.")
    )
