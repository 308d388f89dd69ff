"""The income ledger the generated history implies, row for row what
marketplace.households.income would have written: a sale entry per contribution behind each
line of a delivered and paid fulfilment, and reversing entries for refunds."""

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from ..households.income import distributable_fen, reversal_parts
from ..money import split_largest_remainder
from .registry import Registry
from .supply import Supply
from .trade import Trade

INCOME_COLUMNS = (
    "id", "household_id", "contribution_id", "supplier_name", "village_id", "fulfilment_id",
    "order_line_id", "lot_id", "refund_id", "amount_fen", "kind", "recognised_at",
)  # fmt: skip


@dataclass(frozen=True)
class Ids:
    """The first id of each generated table; row n of a table has id base + n."""

    order: int
    fulfilment: int
    line: int
    allocation: int
    lot: int
    contribution: int
    payment: int
    refund: int
    income: int
    parcel: int
    cash: int
    event: int


def split_allocations(distributable: int, allocations, s: Supply) -> list[tuple[int, int, int]]:
    """[(contribution, lot, fen)]: `income.split_line` for a line's (lot, units) allocations."""
    shares = [
        (c, lot, taken, s.c_qty[c])
        for lot, taken in allocations
        for c in range(s.lot_cstart[lot], s.lot_cstart[lot + 1])
    ]
    scale = math.lcm(*{s.lot_qty[lot] for lot, _ in allocations})
    weights = [taken * given * (scale // s.lot_qty[lot]) for _, lot, taken, given in shares]
    parts = split_largest_remainder(distributable, weights)
    return [(c, lot, fen) for (c, lot, _, _), fen in zip(shares, parts, strict=True)]


def recognised(t: Trade, f: int) -> bool:
    """Delivered fulfilments are paid too (online before dispatch, cash at the handover)."""
    return t.f_status[f] == "delivered"


def refund_ids(t: Trade, ids: Ids) -> dict[int, int]:
    """Fulfilment index -> id of its refund (refunds are written in fulfilment order)."""
    return {f: ids.refund + n for n, f in enumerate(sorted(t.f_refund_at))}


def income_rows(reg: Registry, t: Trade, s: Supply, ids: Ids, start) -> Iterator[tuple]:
    """Sale entries in fulfilment order, then the reversals of refunded fulfilments."""
    entry = ids.income
    cache = {}
    refunded = {f: [] for f in t.f_refund_at}
    for o in range(len(t.o_created)):
        for f in range(t.o_fstart[o], t.o_fstart[o + 1]):
            if not recognised(t, f):
                continue
            at = start + timedelta(seconds=t.f_delivered_at[f])
            share = reg.coop_share_bp[t.f_coop[f]]
            sales = refunded.get(f)
            for line in range(t.f_lstart[f], t.f_lstart[f + 1]):
                fen = t.l_qty[line] * reg.product_price[t.l_product[line]]
                d = distributable_fen(fen, share)
                allocations = tuple(
                    (s.a_lot[a], s.a_qty[a]) for a in range(s.l_astart[line], s.l_astart[line + 1])
                )
                key = (d, allocations)
                parts = cache.get(key)
                if parts is None:  # lines of the same lots and amount split the same way
                    parts = cache[key] = [p for p in split_allocations(d, allocations, s) if p[2]]
                for c, lot, amount in parts:
                    row = _row(entry, reg, s, c, ids, f, line, lot, None, amount, "sale", at)
                    if sales is not None:
                        sales.append(row)
                    yield row
                    entry += 1
            if len(cache) > 200_000:
                cache.clear()
    by_fulfilment = refund_ids(t, ids)
    for f, sales in sorted(refunded.items()):
        lines = range(t.f_lstart[f], t.f_lstart[f + 1])
        goods = sum(t.l_qty[line] * reg.product_price[t.l_product[line]] for line in lines)
        standing = [r[9] for r in sales]
        # The service's own rule (one refund per generated fulfilment, nothing reversed yet).
        parts = reversal_parts(standing, sum(standing), 0, t.f_refund_fen[f], goods)
        at = start + timedelta(seconds=t.f_refund_at[f])
        for sale, fen in zip(sales, parts, strict=True):
            if fen:
                yield (entry, *sale[1:8], by_fulfilment[f], -fen, "reversal", at)
                entry += 1


def _row(entry, reg, s, c, ids, f, line, lot, refund, amount, kind, at) -> tuple:
    household = s.c_household[c]
    return (
        entry,
        household,
        ids.contribution + c,
        s.c_supplier[c],
        reg.household_village[household] if household else None,
        ids.fulfilment + f,
        ids.line + line,
        ids.lot + lot,
        refund,
        amount,
        kind,
        at,
    )
