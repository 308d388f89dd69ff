"""Attribution of sales to the households behind them: the IncomeEntry ledger (append-only).

A fulfilment's sale is recognised once it is both delivered and paid. Each line's
distributable amount (goods value x the cooperative's producer share, rounded down to the
fen) is split over the contributions of the lots its units came from, in proportion to
the units taken from each lot and each contributor's share of that lot, by the largest
remainder method so the parts sum exactly.
"""

import math

from ..extensions import db
from ..money import split_largest_remainder
from ..orders.models import Fulfilment, FulfilmentStatus
from ..status import utcnow
from .models import IncomeEntry, IncomeKind


def distributable_fen(line_fen: int, producer_share_bp: int) -> int:
    """The producers' part of a line's goods value, rounded down to the fen."""
    return line_fen * producer_share_bp // 10000


def split_line(line, producer_share_bp: int) -> list[tuple[object, object, int]]:
    """[(contribution, lot, fen)] for one order line; the fen sum to its distributable amount."""
    shares = []
    for allocation in line.allocations:
        lot = allocation.lot
        for contribution in lot.contributions:
            shares.append((contribution, lot, allocation.quantity, contribution.quantity))
    if not shares:
        return []
    # Weight of a contribution = units taken from its lot x its share of that lot; scaled by
    # the lcm of the lot sizes so every weight is an exact integer.
    scale = math.lcm(*{lot.quantity for _, lot, _, _ in shares})
    weights = [taken * given * (scale // lot.quantity) for _, lot, taken, given in shares]
    parts = split_largest_remainder(distributable_fen(line.line_fen, producer_share_bp), weights)
    return [(c, lot, fen) for (c, lot, _, _), fen in zip(shares, parts, strict=True)]


def _locked(fulfilment: Fulfilment) -> Fulfilment:
    """Re-read the fulfilment under a row lock so two recognitions cannot interleave."""
    stmt = db.select(Fulfilment).where(Fulfilment.id == fulfilment.id).with_for_update()
    return db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one()


def recognise_if_due(fulfilment: Fulfilment, at=None) -> list[IncomeEntry]:
    """Write the income entries of a delivered and paid fulfilment, exactly once.

    Returns the new entries (empty if not yet due or already recognised).
    """
    fulfilment = _locked(fulfilment)
    due = fulfilment.status == FulfilmentStatus.delivered and fulfilment.paid_at is not None
    if not due or fulfilment.income_recognised_at is not None:
        return []
    at = at or utcnow()
    share_bp = fulfilment.cooperative.producer_share_bp
    entries = []
    for line in fulfilment.lines:
        for contribution, lot, fen in split_line(line, share_bp):
            if fen == 0:
                continue
            household = contribution.household
            entries.append(
                IncomeEntry(
                    household_id=contribution.household_id,
                    contribution_id=contribution.id,
                    supplier_name=contribution.supplier_name,
                    village_id=household.village_id if household else None,
                    fulfilment_id=fulfilment.id,
                    order_line_id=line.id,
                    lot_id=lot.id,
                    amount_fen=fen,
                    kind=IncomeKind.sale,
                    recognised_at=at,
                )
            )
    db.session.add_all(entries)
    fulfilment.income_recognised_at = at
    db.session.flush()
    return entries


def reverse_for_refund(refund, at=None) -> list[IncomeEntry]:
    """Write reversing entries for a refund of a recognised fulfilment, in the same proportions.

    The reversed total is the refund's producer share, never more than what is still
    recognised; old rows are never changed.
    """
    if refund.fulfilment_id is None:
        return []
    fulfilment = _locked(db.session.get(Fulfilment, refund.fulfilment_id))
    if fulfilment.income_recognised_at is None:
        return []
    rows = db.session.scalars(
        db.select(IncomeEntry)
        .where(IncomeEntry.fulfilment_id == fulfilment.id)
        .order_by(IncomeEntry.id)
    ).all()
    sales = [r for r in rows if r.kind == IncomeKind.sale]
    standing = sum(r.amount_fen for r in rows)
    total = min(
        distributable_fen(refund.amount_fen, fulfilment.cooperative.producer_share_bp), standing
    )
    if total <= 0 or not sales:
        return []
    parts = split_largest_remainder(total, [r.amount_fen for r in sales])
    at = at or utcnow()
    entries = [
        IncomeEntry(
            household_id=sale.household_id,
            contribution_id=sale.contribution_id,
            supplier_name=sale.supplier_name,
            village_id=sale.village_id,
            fulfilment_id=sale.fulfilment_id,
            order_line_id=sale.order_line_id,
            lot_id=sale.lot_id,
            refund_id=refund.id,
            amount_fen=-fen,
            kind=IncomeKind.reversal,
            recognised_at=at,
        )
        for sale, fen in zip(sales, parts, strict=True)
        if fen
    ]
    db.session.add_all(entries)
    db.session.flush()
    return entries
