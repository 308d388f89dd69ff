"""Status machines: one transition function for every status enum, each change an event row."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .clock import utcnow
from .errors import IllegalTransition
from .extensions import db


class StatusEvent(db.Model):
    """One status change of an order, fulfilment, parcel, payment or refund: who, when, from, to."""

    __tablename__ = "status_events"
    __table_args__ = (Index("ix_status_events_subject", "subject", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(default=utcnow)


def transition(
    obj,
    to_status: StrEnum,
    allowed: dict[StrEnum, set[StrEnum]],
    subject: str,
    by=None,
    note: str | None = None,
    at: datetime | None = None,
) -> StatusEvent:
    """Move `obj.status` to `to_status` if `allowed` permits it and record the event.

    Raises IllegalTransition (and changes nothing) otherwise. `obj` must be flushed
    (have an id) before its first transition.
    """
    from_status = obj.status
    if to_status not in allowed.get(from_status, set()):
        raise IllegalTransition(
            f"{subject} cannot go from {from_status} to {to_status}",
            from_status=str(from_status),
            to_status=str(to_status),
        )
    obj.status = to_status
    event = StatusEvent(
        subject=subject,
        subject_id=obj.id,
        from_status=str(from_status) if from_status else None,
        to_status=str(to_status),
        by_id=getattr(by, "id", by),
        note=note,
        at=at or utcnow(),
    )
    db.session.add(event)
    return event


def record_initial_status(
    obj, subject: str, by=None, note: str | None = None, at=None
) -> StatusEvent:
    """Record the status a new object starts in (from None), at its creation by default."""
    event = StatusEvent(
        subject=subject,
        subject_id=obj.id,
        from_status=None,
        to_status=str(obj.status),
        by_id=getattr(by, "id", by),
        note=note,
    )
    at = at or getattr(obj, "created_at", None)
    if at is not None:
        event.at = at
    db.session.add(event)
    return event


def record_initial_statuses(items, at=None) -> None:
    """Record the starting status of many new, flushed objects in one INSERT (checkout:
    the order, its fulfilments and parcels). `items` = [(obj, subject, by)]; each event is
    at the object's `created_at` if it has one, else `at` (now by default). No ORM objects
    are made: nothing in the request reads them back."""
    at = at or utcnow()
    rows = [
        {
            "subject": subject,
            "subject_id": obj.id,
            "from_status": None,
            "to_status": str(obj.status),
            "by_id": getattr(by, "id", by),
            "note": None,
            "at": getattr(obj, "created_at", None) or at,
        }
        for obj, subject, by in items
    ]
    if rows:
        db.session.execute(StatusEvent.__table__.insert(), rows)


def events_for(subject: str, subject_id: int) -> list[StatusEvent]:
    """The status history of one object, oldest first."""
    stmt = (
        db.select(StatusEvent)
        .where(StatusEvent.subject == subject, StatusEvent.subject_id == subject_id)
        .order_by(StatusEvent.at, StatusEvent.id)
    )
    return list(db.session.scalars(stmt))
