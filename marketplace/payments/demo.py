"""Demo data for payments: the payment rows of demo orders already paid in cash.

Online payments are never invented: they only come from Stripe's webhook.
"""

from ..extensions import db
from ..orders.models import Fulfilment, Order, PaymentMethod
from .cash import record_cash_payment


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
    for fulfilment in fulfilments:
        record_cash_payment(fulfilment, at=fulfilment.paid_at)
    db.session.flush()
    return f"{len(fulfilments)} cash payments recorded"
