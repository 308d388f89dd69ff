"""Refunds: part or all of a fulfilment's money back to the buyer, through Stripe for online
payments or as cash paid back at the pickup point; the automatic refund of a payment that
arrived for an order that could no longer be filled; and the full refund of a cancelled
order's payment.

A Stripe refund is two steps, so no row lock is held while Stripe is asked: the refund is
recorded here as pending (under the sale's lock) and, once that is committed, `sending`
sends it with an idempotency key of its own.
"""

from flask_babel import lazy_gettext as _l

from ..catalog.services import can_manage
from ..errors import Conflict, DomainError
from ..extensions import db
from ..money import format_fen, sum_fen
from ..orders import actions as sale
from ..orders.models import Fulfilment, Order, PaymentMethod
from ..transaction import verb
from . import cash
from .models import Payment, PaymentProvider, PaymentStatus, Refund, RefundStatus
from .sending import expire_session_after_commit, send_after_commit
from .status import move_payment, start_refund

# Stored as the reason of automatic refunds (no one typed them); pages show them translated.
AUTO_REFUND_EXPIRED = (
    "Refunded automatically: the payment arrived after the order had expired and its "
    "goods were no longer available."
)
AUTO_REFUND_ALREADY_PAID = "Refunded automatically: this order had already been paid."
REFUND_CANCELLED = "Refunded in full: the order was cancelled."
REFUND_NOT_COLLECTED = "Refunded in full: nobody collected the parcel in time."
AUTO_REFUND_MISMATCH = (
    "Refunded automatically: the amount charged did not match the order, so it was not confirmed."
)
_AUTO_REFUND_TEXT = {
    REFUND_CANCELLED: _l("Refunded in full: the order was cancelled."),
    REFUND_NOT_COLLECTED: _l("Refunded in full: nobody collected the parcel in time."),
    AUTO_REFUND_EXPIRED: _l(
        "Refunded automatically: your payment arrived after the order had expired and its "
        "goods were no longer available."
    ),
    AUTO_REFUND_ALREADY_PAID: _l("Refunded automatically: this order had already been paid."),
    AUTO_REFUND_MISMATCH: _l(
        "Refunded automatically: the amount charged did not match the order, so it was not "
        "confirmed."
    ),
}


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


def succeeded_refunds(fulfilment: Fulfilment) -> list[Refund]:
    """The fulfilment's refunds that have been paid back, oldest first."""
    stmt = (
        db.select(Refund)
        .where(Refund.fulfilment_id == fulfilment.id, Refund.status == RefundStatus.succeeded)
        .order_by(Refund.id)
    )
    return list(db.session.scalars(stmt))


def succeeded_fen(fulfilment: Fulfilment, up_to: Refund) -> int:
    """What the fulfilment's succeeded refunds up to and including `up_to` gave back."""
    total = db.session.scalar(
        db.select(sum_fen(Refund.amount_fen)).where(
            Refund.fulfilment_id == fulfilment.id,
            Refund.status == RefundStatus.succeeded,
            Refund.id <= up_to.id,
        )
    )
    return int(total)


def can_refund(user, fulfilment: Fulfilment) -> bool:
    """Those who manage the fulfilment's cooperative (catalog's one rule) may refund it."""
    return can_manage(user, fulfilment.cooperative)


@verb
def refund_fulfilment(
    fulfilment: Fulfilment, amount_fen: int, reason: str, by=None, *, keep_pending=False
) -> Refund:
    """Refund `amount_fen` of a paid fulfilment, giving a reason; never more than is left.

    Cash is paid back at once; a Stripe refund is recorded pending and sent after the
    commit (`send_refund`), so its status is known once the request has committed. With
    `keep_pending` (a decided claim: nobody will press the button again) a refund Stripe
    cannot be reached for stays pending, for `send_pending_refunds` to send again.
    """
    sale.lock_sale(fulfilment.order_id)
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
    # Shipping goes back only with the whole parcel: a partial refund is goods only.
    goods_left = max(0, fulfilment.goods_fen - refunded_fen(fulfilment))
    if amount_fen != left and amount_fen > goods_left:
        raise DomainError(
            _l(
                "A partial refund gives back goods only, at most %(amount)s; refund the whole "
                "parcel to include the delivery.",
                amount=format_fen(goods_left),
            )
        )
    if fulfilment.order.payment_method == PaymentMethod.cash_at_pickup:
        refund = cash.refund_cash(fulfilment, amount_fen, reason, by=by)
        sale.refund_recorded(refund)
        return refund
    return _refund_online(fulfilment, amount_fen, reason, by, keep_pending)


def payment_refunded_fen(payment: Payment) -> int:
    """What has been (or is being) refunded of one payment; failed refunds do not count."""
    total = db.session.scalar(
        db.select(sum_fen(Refund.amount_fen)).where(
            Refund.payment_id == payment.id, Refund.status != RefundStatus.failed
        )
    )
    return int(total)


def _refund_online(
    fulfilment: Fulfilment, amount_fen: int, reason: str, by, keep_pending=False
) -> Refund:
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
    # Someone is waiting on the page: if Stripe cannot be reached, say so (failed) and let
    # them try again, rather than leave it pending.
    unreachable = None if keep_pending else RefundStatus.failed
    send_after_commit(refund, f"refund-{refund.id}", on_unreachable=unreachable)
    return refund


def refund_reason(refund: Refund) -> str:
    """The refund's reason as the reader should see it (automatic ones translated)."""
    # Display only: the sentences the system writes are shown in the reader's language.
    text = _AUTO_REFUND_TEXT.get(refund.reason)
    return str(text) if text is not None else refund.reason


def refund_payment_automatically(
    payment: Payment, reason: str, amount: int | None = None
) -> Refund | None:
    """Give back all that is left of a payment the order could not use (no one decides).

    `amount` is what Stripe actually charged when it differs from the payment (in the
    charge's own minor unit): that, not what we asked for, is what can go back.
    """
    # One automatic refund per payment ever: a redelivered event that retries after a lost
    # commit reuses this key, so Stripe does not pay the buyer back twice.
    return _refund_rest(payment, reason, f"refund-auto-{payment.id}", charged=amount)


def settle_cancelled_order(order: Order, by=None) -> list[Refund]:
    """Money of an order just cancelled: a paid online payment is refunded in full (one
    refund per payment, whatever happens twice), an open Checkout Session is expired at
    Stripe so it can no longer be paid. Both calls to Stripe wait for the commit."""
    refunds = []
    payments = db.session.scalars(
        db.select(Payment)
        .where(Payment.order_id == order.id, Payment.provider == PaymentProvider.stripe)
        .order_by(Payment.id)
        .with_for_update()
    ).all()
    for payment in payments:
        if payment.status == PaymentStatus.succeeded:
            refund = _refund_rest(payment, REFUND_CANCELLED, f"refund-cancel-{payment.id}", by)
            if refund is not None:
                refunds.append(refund)
        elif payment.status == PaymentStatus.pending:
            move_payment(payment, PaymentStatus.expired, by=by, note="order cancelled")
            if payment.provider_ref:
                expire_session_after_commit(payment.provider_ref)
    return refunds


def cancellation_refund_fen(order: Order) -> int:
    """What the order's cancellation gives back to the buyer (0 if nothing was paid
    online), so the buyer who cancels is told the money is on its way."""
    total = db.session.scalar(
        db.select(sum_fen(Refund.amount_fen))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(
            Payment.order_id == order.id,
            Refund.reason == REFUND_CANCELLED,
            Refund.status != RefundStatus.failed,
        )
    )
    return int(total)


def _refund_rest(
    payment: Payment, reason: str, key: str, by=None, charged: int | None = None
) -> Refund | None:
    charged = payment.amount_fen if charged is None else charged
    left = charged - payment_refunded_fen(payment)
    if left <= 0:
        return None
    refund = Refund(
        payment_id=payment.id,
        amount_fen=left,
        reason=reason,
        status=RefundStatus.pending,
        created_by_id=getattr(by, "id", by),
    )
    db.session.add(refund)
    db.session.flush()
    start_refund(refund, by=by, note=reason)
    # Nobody waits for these: if Stripe cannot be reached the refund stays pending, and
    # `send_pending_refunds` sends it again with the same key.
    send_after_commit(refund, key, on_unreachable=None)
    return refund


def refund_uncollected(fulfilment: Fulfilment) -> Refund | None:
    """The full refund of an online-paid fulfilment whose parcel nobody collected (orders'
    `return_uncollected`, under the sale's lock): pending, sent after the commit with the
    key `refund-return-<fulfilment>`; if Stripe cannot be reached it stays pending for
    `payments send-refunds`. Cash orders paid nothing: None."""
    if fulfilment.order.payment_method != PaymentMethod.stripe:
        return None
    amount = refundable_fen(fulfilment)
    if amount <= 0:
        return None
    payment = db.session.scalars(
        db.select(Payment)
        .where(
            Payment.order_id == fulfilment.order_id,
            Payment.provider == PaymentProvider.stripe,
            Payment.status == PaymentStatus.succeeded,
        )
        .order_by(Payment.id.desc())
        .with_for_update()
    ).first()
    if payment is None:
        return None
    amount = min(amount, payment.amount_fen - payment_refunded_fen(payment))
    if amount <= 0:
        return None
    refund = Refund(
        payment_id=payment.id,
        fulfilment_id=fulfilment.id,
        amount_fen=amount,
        reason=REFUND_NOT_COLLECTED,
        status=RefundStatus.pending,
    )
    db.session.add(refund)
    db.session.flush()
    start_refund(refund, note=REFUND_NOT_COLLECTED)
    send_after_commit(refund, f"refund-return-{fulfilment.id}", on_unreachable=None)
    return refund
