"""Attribution of sales to the households behind them: the IncomeEntry ledger (append-only).

A fulfilment's sale is recognised once it is both delivered and paid; `orders.actions` decides
when (it claims the fulfilment) and calls this module, which only writes the ledger. Each line's
distributable amount (goods value x the cooperative's producer share, rounded down to the
fen) is split over the contributions of the lots its units came from, in proportion to
the units taken from each lot and each contributor's share of that lot, by the largest
remainder method so the parts sum exactly. A refund writes reversing rows; old rows are
never changed.
"""

import math
from collections import defaultdict

from ..clock import utcnow
from ..extensions import db
from ..money import split_largest_remainder
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


def _villages_of(household_ids: set[int]) -> dict[int, int]:
    """household id -> its village now (one query, however many contributors)."""
    if not household_ids:
        return {}
    rows = db.session.execute(
        db.select(Household.id, Household.village_id).where(Household.id.in_(household_ids))
    )
    return dict(rows.all())


def write_sale_entries(fulfilment, at) -> list[IncomeEntry]:
    """Write the sale entries of a fulfilment that orders has just claimed as recognised."""
    share_bp = fulfilment.cooperative.producer_share_bp
    parts = [(line, *part) for line in fulfilment.lines for part in split_line(line, share_bp)]
    villages = _villages_of({c.household_id for _, c, _, _ in parts} - {None})
    entries = [
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
        for line, contribution, lot, fen in parts
        if fen
    ]
    db.session.add_all(entries)
    db.session.flush()
    add_entries(entries)
    return entries


def reversal_parts(
    standing: list[int], recognised: int, reversed_so_far: int, refunded_fen: int, goods_fen: int
) -> list[int]:
    """How many fen a refund reverses from each sale part still standing.

    The income reversed so far is brought to recognised x refunded goods / goods (a refund
    counts against the goods first, so a refund of the whole fulfilment reverses every
    fen), split over what still stands of each part, so no contributor goes below zero.
    The service and the scale generator both call this; their ledgers agree to the fen.
    """
    refunded = min(refunded_fen, goods_fen)
    target = recognised * refunded // goods_fen if goods_fen else 0
    amount = min(target - reversed_so_far, sum(standing))
    if amount <= 0:
        return [0] * len(standing)
    return split_largest_remainder(amount, standing)


def write_reversal(fulfilment_id: int, refund_id: int, refunded_fen: int, goods_fen: int, at=None):
    """Write reversing entries for a refund of a recognised fulfilment, in the same proportions.

    `refunded_fen` is what the refunds of this fulfilment up to and including this one have
    given back. Calling this twice for one refund changes nothing. Old rows never change.
    """
    db.session.flush()
    rows = db.session.scalars(
        db.select(IncomeEntry)
        .where(IncomeEntry.fulfilment_id == fulfilment_id)
        .order_by(IncomeEntry.id)
    ).all()
    if not rows or any(r.refund_id == refund_id for r in rows):
        return []
    # What still stands of each sale part (a part = contribution x line x lot).
    first_row, standing = {}, defaultdict(int)
    for row in rows:
        key = (row.contribution_id, row.order_line_id, row.lot_id)
        first_row.setdefault(key, row)
        standing[key] += row.amount_fen
    keys = [k for k in first_row if standing[k] > 0]
    parts = reversal_parts(
        [standing[k] for k in keys],
        recognised=sum(r.amount_fen for r in rows if r.kind == IncomeKind.sale),
        reversed_so_far=-sum(r.amount_fen for r in rows if r.kind == IncomeKind.reversal),
        refunded_fen=refunded_fen,
        goods_fen=goods_fen,
    )
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
                refund_id=refund_id,
                amount_fen=-fen,
                kind=IncomeKind.reversal,
                recognised_at=at,
            )
        )
    db.session.add_all(entries)
    db.session.flush()
    add_entries(entries)
    return entries
