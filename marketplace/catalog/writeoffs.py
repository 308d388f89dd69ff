"""Units that left a lot and will never be sold: perishable goods of a parcel that came
back uncollected. The allocation that took them stays (the units left the lot); this row
says why they earned nothing."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class StockWriteOff(db.Model):
    __tablename__ = "stock_write_offs"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("supply_lots.id"), index=True)
    # The allocation (order line and lot) whose units were written off; one row each.
    allocation_id: Mapped[int] = mapped_column(ForeignKey("line_allocations.id"), unique=True)
    quantity: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)


def write_off(lot_id: int, allocation_id: int, quantity: int, reason: str, at=None):
    row = StockWriteOff(
        lot_id=lot_id,
        allocation_id=allocation_id,
        quantity=quantity,
        reason=reason[:200],
        at=at or utcnow(),
    )
    db.session.add(row)
    return row
