"""Supply lots sized to the simulated demand, their contributions (mostly households of the
cooperative's township), and the first-in-first-out allocation of every line to lots, so
that each lot's remaining quantity is its quantity minus its unreleased allocations."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import isqrt

from ..money import split_largest_remainder
from .config import ScaleConfig
from .network import Network
from .registry import Registry
from .trade import DAY, Trade


@dataclass
class Supply:
    """Lots in (product, received) order, contributions contiguous per lot, allocations."""

    lot_product: list[int] = field(default_factory=list)
    lot_qty: list[int] = field(default_factory=list)
    lot_remaining: list[int] = field(default_factory=list)
    lot_received: list[datetime] = field(default_factory=list)
    lot_cstart: list[int] = field(default_factory=lambda: [0])
    c_household: list[int | None] = field(default_factory=list)
    c_supplier: list[str | None] = field(default_factory=list)
    c_qty: list[int] = field(default_factory=list)
    l_astart: list[int] = field(default_factory=lambda: [0])
    a_lot: list[int] = field(default_factory=list)
    a_qty: list[int] = field(default_factory=list)


def _consumed_lines(t: Trade) -> list[bool]:
    """Per line: does it keep its stock (its order was not cancelled)?"""
    kept = []
    for o, cancel_at in enumerate(t.o_cancel_at):
        n = t.f_lstart[t.o_fstart[o + 1]] - t.f_lstart[t.o_fstart[o]]
        kept.extend([cancel_at < 0] * n)
    return kept


def build_supply(cfg: ScaleConfig, rng: random.Random, net: Network, reg: Registry, t: Trade):
    """Lots covering each product's demand in segments, then FIFO allocation of every line."""
    s = Supply()
    kept = _consumed_lines(t)
    demand = [[] for _ in reg.product_ids]  # line indexes that keep stock, in time order
    line_time = []
    for o, created in enumerate(t.o_created):
        line_time.extend([created] * (t.f_lstart[t.o_fstart[o + 1]] - t.f_lstart[t.o_fstart[o]]))
    for line, product in enumerate(t.l_product):
        if kept[line]:
            demand[product].append(line)
    units = [sum(t.l_qty[n] for n in lines) for lines in demand]
    extra_lots = split_largest_remainder(
        cfg.lots - len(reg.product_ids), [isqrt(u) + 1 for u in units]
    )
    for p, lines in enumerate(demand):
        _lots_for_product(cfg, rng, s, p, lines, t, line_time, extra_lots[p] + 1, units[p])
    _contributions(cfg, rng, net, reg, s)
    _allocate(s, t, kept)
    return s


def _lots_for_product(cfg, rng, s, product, lines, t, line_time, k, total) -> None:
    seg_units, seg_first = [0] * k, [None] * k
    cum = 0
    for n in lines:
        seg = min(k - 1, cum * k // total)
        seg_units[seg] += t.l_qty[n]
        if seg_first[seg] is None:
            seg_first[seg] = line_time[n]
        cum += t.l_qty[n]
    received = cfg.start - timedelta(days=rng.randint(10, 40))
    for j in range(k):
        if seg_first[j] is not None:
            # Received one to seven days before its segment's first sale, never before the
            # previous lot: FIFO order is received order, so no sale takes an unreceived lot.
            arrival = cfg.start + timedelta(seconds=seg_first[j] - rng.randint(DAY, 7 * DAY))
            received = max(arrival, received) if j else arrival
        qty = seg_units[j] * rng.randint(105, 130) // 100 + rng.randint(5, 40)
        if j == k - 1:
            qty += rng.randint(100, 600)  # stock left on the shelf at the end
        s.lot_product.append(product)
        s.lot_qty.append(qty)
        s.lot_received.append(received.replace(hour=0, minute=0, second=0, microsecond=0))


def _contributions(cfg, rng, net, reg, s) -> None:
    counts = split_largest_remainder(
        cfg.contributions - len(s.lot_qty),
        [int(rng.lognormvariate(0, 0.6) * 1000) + 1 for _ in s.lot_qty],
    )
    supplier = 0
    for lot, extra in enumerate(counts):
        n = extra + 1
        s.lot_qty[lot] = max(s.lot_qty[lot], n)
        village = reg.coop_village[reg.product_coop[s.lot_product[lot]]]
        township = reg.households_by_township.get(net.township_of[village], [])
        county = reg.households_by_county.get(net.county_of[village], [])
        chosen = set()
        for part in split_largest_remainder(
            s.lot_qty[lot] - n, [rng.randint(1, 10) for _ in range(n)]
        ):
            roll, household = rng.random(), None
            pool = township if roll < 0.85 else county if roll < 0.9 else ()
            for _ in range(3 if pool else 0):  # a household hands in once per lot
                candidate = rng.choice(pool)
                if candidate not in chosen:
                    household = candidate
                    chosen.add(candidate)
                    break
            if household is None:
                supplier += 1
            s.c_household.append(household)
            s.c_supplier.append(None if household else f"其他供货人（示例）{supplier % 500 + 1}")
            s.c_qty.append(part + 1)
        s.lot_cstart.append(len(s.c_qty))


def _allocate(s: Supply, t: Trade, kept: list[bool]) -> None:
    """First in, first out per product; cancelled lines take units and release them again."""
    first = {}
    for lot, product in enumerate(s.lot_product):
        first.setdefault(product, lot)
    pointer = dict(first)
    remaining = list(s.lot_qty)
    last = {p: lot for lot, p in enumerate(s.lot_product)}
    for line, product in enumerate(t.l_product):
        need, lot = t.l_qty[line], pointer[product]
        while need:
            if lot > last[product]:
                raise RuntimeError(f"lots of product {product} are too small for its demand")
            take = min(need, remaining[lot])
            if take:
                s.a_lot.append(lot)
                s.a_qty.append(take)
                need -= take
                if kept[line]:
                    remaining[lot] -= take
            if need or (kept[line] and remaining[lot] == 0):
                lot += 1
                if kept[line]:
                    pointer[product] = lot
        s.l_astart.append(len(s.a_lot))
    s.lot_remaining = remaining
