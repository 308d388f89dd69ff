"""Demo data for the reports: the reports read what other packages' demo data left, so this
only makes sure every delivered and paid demo sale has its income recognised (the income
rules write each sale's entries exactly once, so running it again changes nothing)."""

from ..extensions import db
from ..orders.actions import recognise_income_if_due
from ..orders.models import Fulfilment, FulfilmentStatus


def load(scale: str = "demo") -> str:
    """Recognise the income of delivered, paid demo sales not yet recognised; flush only."""
    due = db.session.scalars(
        db.select(Fulfilment)
        .where(
            Fulfilment.status == FulfilmentStatus.delivered,
            Fulfilment.paid_at.is_not(None),
            Fulfilment.income_recognised_at.is_(None),
        )
        .order_by(Fulfilment.id)
    ).all()
    recognised = sum(1 for fulfilment in due if recognise_income_if_due(fulfilment))
    return f"{recognised} delivered sales recognised"
