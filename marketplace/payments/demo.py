"""Demo data for payments: the payment rows of demo orders already paid in cash.

Online payments are never invented: they only come from Stripe's webhook.
"""

from ..extensions import db
from ..orders.models import Fulfilment, Order, PaymentMethod
from .cash import record_cash_payment
from .models import Payment


def load(scale: str = "demo") -> str:
    """Record a cash Payment for every paid cash fulfilment that has none (idempotent)."""
    fulfilments = db.session.scalars(
        db.select(Fulfilment)
        .join(Order)
        .where(
            Order.payment_method == PaymentMethod.cash_at_pickup,
            Fulfilment.paid_at.is_not(None),
        )
        .order_by(Fulfilment.id)
    ).all()
    before = db.session.scalar(db.select(db.func.count(Payment.id)))
    for fulfilment in fulfilments:
        record_cash_payment(fulfilment, at=fulfilment.paid_at)
    db.session.flush()
    added = db.session.scalar(db.select(db.func.count(Payment.id))) - before
    return f"{added} cash payments added ({len(fulfilments)} paid cash fulfilments)"
