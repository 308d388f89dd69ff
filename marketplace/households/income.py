"""Attribution of sales to the households behind them: the IncomeEntry ledger (append-only).

A fulfilment's sale is recognised once it is both delivered and paid. Each line's
distributable amount (goods value x the cooperative's producer share, rounded down to the
fen) is split over the contributions of the lots its units came from, in proportion to
the units taken from each lot and each contributor's share of that lot, by the largest
remainder method so the parts sum exactly. A refund writes reversing rows; old rows are
never changed.
"""

import math
from collections import defaultdict

from ..extensions import db
from ..money import split_largest_remainder, sum_fen
from ..orders.models import Fulfilment, FulfilmentStatus
from ..payments.models import Refund, RefundStatus
from ..status import utcnow
from .models import Household, IncomeEntry, IncomeKind
from .rollup import add_entries


def distributable_fen(line_fen: int, producer_share_bp: int) -> int:
    """The producers' part of a line's goods value, rounded down to the fen."""
    return line_fen * producer_share_bp // 10000


def split_line(line, producer_share_bp: int) -> list[tuple[object, object, int]]:
    """[(contribution, lot, fen)] for one order line; the fen sum to its distributable amount."""
    shares = []
    for allocation in line.allocations:
        if allocation.released_at is not None:
            continue  # those units went back to the lot: nobody was paid for them
        lot = allocation.lot
        handed_in = sum(c.quantity for c in lot.contributions)
        for contribution in lot.contributions:
            shares.append(
                (contribution, lot, allocation.quantity, contribution.quantity, handed_in)
            )
    if not shares:
        return []
    # Weight = units taken from the lot x the contributor's share of what the lot's
    # contributors handed in; scaled by the lcm of those totals so weights stay integers.
    scale = math.lcm(*{handed_in for *_, handed_in in shares})
    weights = [taken * given * (scale // handed_in) for _, _, taken, given, handed_in in shares]
    parts = split_largest_remainder(distributable_fen(line.line_fen, producer_share_bp), weights)
    return [(c, lot, fen) for (c, lot, *_), fen in zip(shares, parts, strict=True)]


def _claim(fulfilment: Fulfilment, at) -> bool:
    """Mark the fulfilment recognised if it is due and not yet recognised; True if we won.

    A conditional UPDATE checked by rowcount: of two concurrent calls only one can change
    the row (the other blocks on the row lock, then sees the column set), so the entries
    are written exactly once.
    """
    result = db.session.execute(
        db.update(Fulfilment)
        .where(
            Fulfilment.id == fulfilment.id,
            Fulfilment.status == FulfilmentStatus.delivered,
            Fulfilment.paid_at.is_not(None),
            Fulfilment.income_recognised_at.is_(None),
        )
        .values(income_recognised_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _villages_of(household_ids: set[int]) -> dict[int, int]:
    """household id -> its village now (one query, however many contributors)."""
    if not household_ids:
        return {}
    rows = db.session.execute(
        db.select(Household.id, Household.village_id).where(Household.id.in_(household_ids))
    )
    return dict(rows.all())


def recognise_if_due(fulfilment: Fulfilment, at=None) -> list[IncomeEntry]:
    """Write the income entries of a delivered and paid fulfilment, exactly once.

    Returns the new entries (empty if not yet due or already recognised). Refunds that
    succeeded before recognition are reversed straight away.
    """
    db.session.flush()
    at = at or utcnow()
    if not _claim(fulfilment, at):
        db.session.refresh(fulfilment)
        return []
    db.session.refresh(fulfilment)
    share_bp = fulfilment.cooperative.producer_share_bp
    parts = [(line, *part) for line in fulfilment.lines for part in split_line(line, share_bp)]
    villages = _villages_of({c.household_id for _, c, _, _ in parts} - {None})
    entries = []
    for line, contribution, lot, fen in parts:
        if fen == 0:
            continue
        entries.append(
            IncomeEntry(
                household_id=contribution.household_id,
                contribution_id=contribution.id,
                supplier_name=contribution.supplier_name,
                village_id=villages.get(contribution.household_id),
                fulfilment_id=fulfilment.id,
                order_line_id=line.id,
                lot_id=lot.id,
                amount_fen=fen,
                kind=IncomeKind.sale,
                recognised_at=at,
            )
        )
    db.session.add_all(entries)
    db.session.flush()
    add_entries(entries)
    earlier_refunds = db.session.scalars(
        db.select(Refund)
        .where(Refund.fulfilment_id == fulfilment.id, Refund.status == RefundStatus.succeeded)
        .order_by(Refund.id)
    ).all()
    for refund in earlier_refunds:
        entries.extend(reverse_for_refund(refund, at=at))
    return entries


def _refunded_goods_fen(fulfilment: Fulfilment, refund) -> tuple[int, int]:
    """(goods value refunded up to and including `refund`, capped at the goods value; goods).

    A refund counts against the goods first (shipping refunds are rare and small), so a
    refund of the whole fulfilment reverses all of its income.
    """
    earlier = db.session.scalar(
        db.select(sum_fen(Refund.amount_fen)).where(
            Refund.fulfilment_id == fulfilment.id,
            Refund.status == RefundStatus.succeeded,
            Refund.id < refund.id,
        )
    )
    goods = sum(line.line_fen for line in fulfilment.lines)
    return min(earlier + refund.amount_fen, goods), goods


def reverse_for_refund(refund, at=None) -> list[IncomeEntry]:
    """Write reversing entries for a refund of a recognised fulfilment, in the same proportions.

    The income reversed so far is brought to (recognised income x refunded goods / goods),
    so calling this twice for one refund changes nothing and a full refund reverses every
    fen. Each reversal is split over what still stands of each sale entry, so no
    contributor is ever reversed below zero. Old rows are never changed.
    """
    if refund.fulfilment_id is None:
        return []
    db.session.flush()
    fulfilment = db.session.get(Fulfilment, refund.fulfilment_id)
    if fulfilment.income_recognised_at is None:
        return []
    rows = db.session.scalars(
        db.select(IncomeEntry)
        .where(IncomeEntry.fulfilment_id == fulfilment.id)
        .order_by(IncomeEntry.id)
    ).all()
    if any(r.refund_id == refund.id for r in rows):
        return []
    # What still stands of each sale part (a part = contribution x line x lot).
    first_row, standing = {}, defaultdict(int)
    for row in rows:
        key = (row.contribution_id, row.order_line_id, row.lot_id)
        first_row.setdefault(key, row)
        standing[key] += row.amount_fen
    recognised = sum(r.amount_fen for r in rows if r.kind == IncomeKind.sale)
    reversed_so_far = -sum(r.amount_fen for r in rows if r.kind == IncomeKind.reversal)
    refunded, goods = _refunded_goods_fen(fulfilment, refund)
    target = recognised * refunded // goods if goods else 0
    amount = min(target - reversed_so_far, sum(standing.values()))
    if amount <= 0:
        return []
    keys = [k for k in first_row if standing[k] > 0]
    parts = split_largest_remainder(amount, [standing[k] for k in keys])
    at = at or utcnow()
    entries = []
    for key, fen in zip(keys, parts, strict=True):
        if not fen:
            continue
        sale = first_row[key]
        entries.append(
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
        )
    db.session.add_all(entries)
    db.session.flush()
    add_entries(entries)
    return entries
