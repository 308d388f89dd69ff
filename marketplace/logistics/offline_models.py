"""The station app's scans as the phone sent them: one row per scan applied from the app,
keyed by the UUID the phone made, so a scan sent twice (a lost answer, two tabs) is applied
once. Its own module so the station app's table stays apart from the core logistics models."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db


class ClientScan(db.Model):
    """A scan the station app recorded offline and the server applied: the phone's id for it,
    the time on the phone when it was scanned and the time it reached the server."""

    __tablename__ = "client_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("parcel_scans.id"), unique=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scanned_at: Mapped[datetime]  # device time (naive UTC), as the phone sent it
    received_at: Mapped[datetime] = mapped_column(default=utcnow)  # server time

    scan = relationship("ParcelScan")
