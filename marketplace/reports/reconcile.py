"""The nightly `reconcile` job: does everything add up? Each mismatch is listed (in the run's
result and on /admin/jobs); nothing is ever corrected here.

1. The monthly income rollup equals the ledger (household, village, local month).
2. Every lot's quantity = remaining + units allocated to orders and not released.
3. Every confirmed (or completed) online order has succeeded Stripe payments of its total.
4. Each station's till: its balance is not negative, and the cash it collected for
   fulfilments equals the cash payments recorded for them.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select

from ..catalog.models import SupplyLot
from ..clock import local_month
from ..extensions import db
from ..households.models import HouseholdIncomeMonth, IncomeEntry
from ..jobs.registry import job, nightly
from ..logistics.models import CashKind, CashMovement, Station
from ..money import sum_fen
from ..orders.models import LineAllocation, Order, OrderStatus, PaymentMethod
from ..payments.models import Payment, PaymentProvider, PaymentStatus

LISTED = 50  # mismatches listed per check (all are counted)


@job("reconcile", label=_l("Nightly reconciliation"), schedule=nightly(hour=2), long=True)
def reconcile(run) -> dict:
    checks = (rollup_vs_ledger, lots_vs_allocations, online_orders_paid, station_tills)
    mismatches, counts = [], {}
    for done, check in enumerate(checks, 1):
        found = check()
        counts[check.__name__] = len(found)
        mismatches.extend(found[:LISTED])
        run.progress(done, len(checks), force=True)
    return {"mismatches": mismatches, "counts": counts, "total": sum(counts.values())}


def N_(text: str) -> str:
    """Mark a message for translation where it is shown (the result is stored as JSON)."""
    return text


CHECKS = {
    "income rollup": N_("Income rollup vs ledger"),
    "lot stock": N_("Lot stock"),
    "online payment": N_("Online payments"),
    "cash sheet": N_("Station cash sheets"),
}


def _m(check: str, text: str, **params) -> dict:
    """One mismatch: English `detail` for the log and CLI; `text` + `params` for the page."""
    params = {k: "—" if v is None else v for k, v in params.items()}
    return {
        "check": check,
        "label": CHECKS[check],
        "detail": text % params,
        "text": text,
        "params": params,
    }


def rollup_vs_ledger() -> list[dict]:
    month = local_month(IncomeEntry.recognised_at)
    ledger = (
        select(
            IncomeEntry.household_id.label("household_id"),
            IncomeEntry.village_id.label("village_id"),
            month.label("month"),
            sum_fen(IncomeEntry.amount_fen).label("amount_fen"),
        )
        .where(IncomeEntry.household_id.is_not(None), IncomeEntry.village_id.is_not(None))
        .group_by(IncomeEntry.household_id, IncomeEntry.village_id, month)
        .subquery()
    )
    roll = HouseholdIncomeMonth
    joined_on = (
        (roll.household_id == ledger.c.household_id)
        & (roll.village_id == ledger.c.village_id)
        & (roll.month == ledger.c.month)
    )
    # Ledger months the rollup lacks or disagrees with ...
    left = db.session.execute(
        select(
            ledger.c.household_id,
            ledger.c.village_id,
            ledger.c.month,
            ledger.c.amount_fen,
            roll.amount_fen,
        )
        .select_from(ledger)
        .outerjoin(roll, joined_on)
        .where((roll.amount_fen.is_(None)) | (roll.amount_fen != ledger.c.amount_fen))
    ).all()
    # ... and rollup rows with no ledger entries behind them (other than zero).
    right = db.session.execute(
        select(roll.household_id, roll.village_id, roll.month, literal(0), roll.amount_fen)
        .outerjoin(ledger, joined_on)
        .where(ledger.c.household_id.is_(None), roll.amount_fen != 0)
    ).all()
    return [
        _m(
            "income rollup",
            N_(
                "Household %(household)s, village %(village)s, %(month)s: "
                "ledger %(ledger)s fen, rollup %(rollup)s fen"
            ),
            household=h,
            village=v,
            month=m,
            ledger=ledger_fen,
            rollup=rolled,
        )
        for h, v, m, ledger_fen, rolled in [*left, *right]
    ]


def lots_vs_allocations() -> list[dict]:
    held = (
        select(LineAllocation.lot_id, func.sum(LineAllocation.quantity).label("held"))
        .where(LineAllocation.released_at.is_(None))
        .group_by(LineAllocation.lot_id)
        .subquery()
    )
    held_units = func.coalesce(held.c.held, 0)
    rows = db.session.execute(
        select(SupplyLot.code, SupplyLot.quantity, SupplyLot.remaining, held_units)
        .outerjoin(held, held.c.lot_id == SupplyLot.id)
        .where(SupplyLot.void.is_(False), SupplyLot.quantity != SupplyLot.remaining + held_units)
        .order_by(SupplyLot.id)
    ).all()
    return [
        _m(
            "lot stock",
            N_(
                "Lot %(lot)s: quantity %(quantity)s ≠ "
                "remaining %(remaining)s + allocated %(allocated)s"
            ),
            lot=code,
            quantity=q,
            remaining=r,
            allocated=a,
        )
        for code, q, r, a in rows
    ]


def online_orders_paid() -> list[dict]:
    paid = (
        select(Payment.order_id, func.sum(Payment.amount_fen).label("paid"))
        .where(
            Payment.provider == PaymentProvider.stripe, Payment.status == PaymentStatus.succeeded
        )
        .group_by(Payment.order_id)
        .subquery()
    )
    paid_fen = func.coalesce(paid.c.paid, 0)
    rows = db.session.execute(
        select(Order.reference, Order.total_fen, paid_fen)
        .outerjoin(paid, paid.c.order_id == Order.id)
        .where(
            Order.payment_method == PaymentMethod.stripe,
            Order.status.in_([OrderStatus.confirmed, OrderStatus.completed]),
            paid_fen != Order.total_fen,
        )
        .order_by(Order.id)
    ).all()
    return [
        _m(
            "online payment",
            N_("Order %(order)s: total %(total)s fen, succeeded payments %(paid)s fen"),
            order=ref,
            total=total,
            paid=p,
        )
        for ref, total, p in rows
    ]


def station_tills() -> list[dict]:
    signed = db.case(
        (CashMovement.kind == CashKind.collected, CashMovement.amount_fen),
        else_=-CashMovement.amount_fen,
    )
    found = []
    balances = db.session.execute(
        select(Station.code, sum_fen(signed))
        .join(CashMovement, CashMovement.station_id == Station.id)
        .group_by(Station.id, Station.code)
        .having(sum_fen(signed) < 0)
    ).all()
    found += [
        _m(
            "cash sheet",
            N_("Station %(station)s: till balance %(balance)s fen"),
            station=code,
            balance=b,
        )
        for code, b in balances
    ]
    cash_paid = (
        select(Payment.fulfilment_id, func.sum(Payment.amount_fen).label("paid"))
        .where(Payment.provider == PaymentProvider.cash, Payment.status == PaymentStatus.succeeded)
        .group_by(Payment.fulfilment_id)
        .subquery()
    )
    collected = (
        select(
            CashMovement.station_id,
            CashMovement.fulfilment_id,
            func.sum(CashMovement.amount_fen).label("collected"),
        )
        .where(CashMovement.kind == CashKind.collected, CashMovement.fulfilment_id.is_not(None))
        .group_by(CashMovement.station_id, CashMovement.fulfilment_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Station.code, collected.c.fulfilment_id, collected.c.collected, cash_paid.c.paid)
        .select_from(collected)
        .join(Station, Station.id == collected.c.station_id)
        .outerjoin(cash_paid, cash_paid.c.fulfilment_id == collected.c.fulfilment_id)
        .where((cash_paid.c.paid.is_(None)) | (cash_paid.c.paid != collected.c.collected))
    ).all()
    found += [
        _m(
            "cash sheet",
            N_(
                "Station %(station)s, fulfilment %(fulfilment)s: "
                "collected %(collected)s fen, cash payment %(paid)s fen"
            ),
            station=code,
            fulfilment=f,
            collected=c,
            paid=p or 0,
        )
        for code, f, c, p in rows
    ]
    return found
