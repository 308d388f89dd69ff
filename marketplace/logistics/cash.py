"""A station's till: cash collected at pickup, cash handed on to the county, the daily sheet.

Cash movements are append-only; the balance is collected - handed on - refunded.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..clock import day_bounds, utcnow
from ..errors import DomainError, Forbidden
from ..extensions import db
from ..money import format_fen, sum_fen
from ..transaction import verb
from .models import CashKind, CashMovement, Station
from .network import operates, station_label


def _signed_amount():
    """Collected cash counts in, everything else (handed on, refunded) out."""
    return db.case(
        (CashMovement.kind == CashKind.collected, CashMovement.amount_fen),
        else_=-CashMovement.amount_fen,
    )


def balance_fen(station: Station, before: datetime | None = None) -> int:
    """Cash in the station's till (before a moment, naive UTC; now if None)."""
    stmt = db.select(sum_fen(_signed_amount())).where(CashMovement.station_id == station.id)
    if before is not None:
        stmt = stmt.where(CashMovement.at < before)
    return int(db.session.scalar(stmt))


@dataclass
class CashSheet:
    """One day of one station's till."""

    station: Station
    day: date
    opening_fen: int
    movements: list[CashMovement]
    collected_fen: int
    handed_on_fen: int
    refunded_fen: int
    closing_fen: int


def cash_sheet(station: Station, day: date) -> CashSheet:
    """One day of a station's till: opening balance, each movement (by order), closing."""
    start, end = day_bounds(day)
    movements = list(
        db.session.scalars(
            db.select(CashMovement)
            .where(
                CashMovement.station_id == station.id,
                CashMovement.at >= start,
                CashMovement.at < end,
            )
            .order_by(CashMovement.at, CashMovement.id)
        )
    )

    def total(kind):
        return sum(m.amount_fen for m in movements if m.kind == kind)

    opening = balance_fen(station, before=start)
    collected, handed_on, refunded = (
        total(CashKind.collected),
        total(CashKind.handed_on),
        total(CashKind.refunded),
    )
    return CashSheet(
        station=station,
        day=day,
        opening_fen=opening,
        movements=movements,
        collected_fen=collected,
        handed_on_fen=handed_on,
        refunded_fen=refunded,
        closing_fen=opening + collected - handed_on - refunded,
    )


@verb
def hand_on_cash(
    station: Station, amount_fen: int, by, *, note: str | None = None, at: datetime | None = None
) -> CashMovement:
    """Record cash handed on from the station's till to the county (at most the balance)."""
    if not operates(by, station):
        raise Forbidden(_l("You do not work at %(station)s.", station=station_label(station)))
    if amount_fen <= 0:
        raise DomainError(_l("Enter an amount above zero."))
    # Two hand-ons at once must not both pass the balance check.
    db.session.execute(db.select(Station.id).where(Station.id == station.id).with_for_update())
    balance = balance_fen(station)
    if amount_fen > balance:
        raise DomainError(
            _l(
                "The till holds only %(balance)s; you cannot hand on more.",
                balance=format_fen(balance),
            )
        )
    movement = CashMovement(
        station_id=station.id,
        amount_fen=amount_fen,
        kind=CashKind.handed_on,
        by_id=by.id,
        at=at or utcnow(),
        note=(note or "").strip() or None,
    )
    db.session.add(movement)
    db.session.flush()
    return movement
