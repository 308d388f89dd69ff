"""Cash at the pickup point: the payment row for cash a station took, and cash paid back."""

from ..clock import utcnow
from ..extensions import db
from ..logistics.models import CashKind, CashMovement
from ..orders.models import Fulfilment
from .models import Payment, PaymentProvider, PaymentStatus, Refund, RefundStatus
from .status import start_payment, start_refund


def record_cash_payment(
    fulfilment: Fulfilment, by=None, at=None, provider_ref: str | None = None
) -> Payment:
    """The succeeded cash Payment of a fulfilment paid at pickup; created once, then reused.

    `provider_ref` names the station's cash movement the money came in with.
    """
    existing = db.session.scalar(
        db.select(Payment).where(
            Payment.fulfilment_id == fulfilment.id,
            Payment.provider == PaymentProvider.cash,
            Payment.status == PaymentStatus.succeeded,
        )
    )
    if existing is not None:
        return existing
    payment = Payment(
        order_id=fulfilment.order_id,
        fulfilment_id=fulfilment.id,
        provider=PaymentProvider.cash,
        status=PaymentStatus.succeeded,
        amount_fen=fulfilment.goods_fen + fulfilment.shipping_fen,
        currency="cny",
        provider_ref=provider_ref,
        created_at=at or fulfilment.paid_at or utcnow(),
    )
    db.session.add(payment)
    db.session.flush()
    start_payment(payment, by=by)
    return payment


def refund_cash(fulfilment: Fulfilment, amount_fen: int, reason: str, by=None) -> Refund:
    """Record cash paid back to the buyer at the pickup point (a refunded cash movement)."""
    payment = record_cash_payment(fulfilment)
    order = fulfilment.order
    refund = Refund(
        payment_id=payment.id,
        fulfilment_id=fulfilment.id,
        amount_fen=amount_fen,
        reason=reason,
        status=RefundStatus.succeeded,
        created_by_id=getattr(by, "id", by),
    )
    db.session.add(refund)
    db.session.add(
        CashMovement(
            station_id=order.pickup_station_id,
            order_id=order.id,
            fulfilment_id=fulfilment.id,
            amount_fen=amount_fen,
            kind=CashKind.refunded,
            by_id=getattr(by, "id", by),
            note=reason[:200],
        )
    )
    db.session.flush()
    start_refund(refund, by=by, note=reason[:500])
    return refund
