"""Two years of shop history, simulated in memory as parallel lists: orders in time order,
their lines, one fulfilment per cooperative in an order, and what happened to each (paid,
delivered, cancelled, refunded) by the end of the period."""

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import accumulate

from ..money import split_largest_remainder
from .config import ScaleConfig
from .network import Network
from .registry import Registry

HOUR = 3600
DAY = 24 * HOUR
# Orders per Beijing hour of the day (evenings are busiest).
HOURS_BJ = (2, 1, 1, 1, 1, 1, 2, 4, 6, 7, 8, 8, 9, 8, 7, 7, 7, 8, 9, 11, 13, 13, 10, 5)
LINES_PER_ORDER = (0, 62, 27, 8, 3)  # weights for 1..4 lines: 1.52 on average
QUANTITY_WEIGHTS = (60, 24, 9, 4, 2, 1)  # units per line, 1..6
CANCEL_RATE = 0.06
REFUND_RATE = 0.025
EXPRESS_SHARE = 0.15  # buyers outside the station network: express via the hub
CASH_SHARE = 0.35  # of orders picked up at a village point


@dataclass
class Trade:
    """Parallel lists; times are seconds since `ScaleConfig.start`, -1 for "never"."""

    o_created: list[int] = field(default_factory=list)
    o_buyer: list[int] = field(default_factory=list)
    o_pickup: list[int] = field(default_factory=list)
    o_stripe: list[bool] = field(default_factory=list)
    o_paid_at: list[int] = field(default_factory=list)  # stripe payment time
    o_cancel_at: list[int] = field(default_factory=list)
    o_fstart: list[int] = field(default_factory=lambda: [0])
    f_coop: list[int] = field(default_factory=list)
    f_lstart: list[int] = field(default_factory=lambda: [0])
    f_route: list[tuple] = field(default_factory=list)  # (stations, links), shared objects
    f_status: list[str] = field(default_factory=list)
    f_delivered_at: list[int] = field(default_factory=list)
    f_eta: list[int] = field(default_factory=list)
    f_shipping: list[int] = field(default_factory=list)
    f_refund_fen: dict[int, int] = field(default_factory=dict)  # fulfilment -> amount
    f_refund_at: dict[int, int] = field(default_factory=dict)
    l_product: list[int] = field(default_factory=list)
    l_qty: list[int] = field(default_factory=list)


def order_times(cfg: ScaleConfig, rng: random.Random) -> list[int]:
    """`cfg.orders` sorted order times: growing trade, the autumn harvest, shopping festivals."""
    days = cfg.seconds // DAY
    weights = []
    for d in range(days):
        day = cfg.start + timedelta(days=d)
        w = 1000 + 1000 * d // days
        if day.month in (9, 10, 11):
            w = w * 14 // 10
        if (day.month, day.day) == (11, 11):
            w *= 4
        elif (day.month, day.day) in ((11, 10), (11, 12), (6, 18)):
            w *= 2
        weights.append(w)
    hours = list(accumulate(HOURS_BJ))
    times = []
    for d, count in enumerate(split_largest_remainder(cfg.orders, weights)):
        day = []
        for _ in range(count):
            hour = bisect(hours, rng.random() * hours[-1])
            second = d * DAY + (hour - 8) * HOUR + int(rng.random() * HOUR)
            day.append(min(max(second, 0), cfg.seconds - 1))
        times.extend(sorted(day))
    return times


def _line_counts(cfg: ScaleConfig, rng: random.Random) -> list[int]:
    counts = rng.choices(range(5), LINES_PER_ORDER, k=cfg.orders)
    # Nudge random orders until the total is exactly `cfg.lines`.
    diff = cfg.lines - sum(counts)
    while diff:
        i = rng.randrange(cfg.orders)
        if diff > 0 and counts[i] < 4:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > 1:
            counts[i] -= 1
            diff += 1
    return counts


def simulate(cfg: ScaleConfig, rng: random.Random, net: Network, reg: Registry) -> Trade:
    """Orders, lines and fulfilments with their state at the end of the period."""
    t = Trade()
    weight = [rng.lognormvariate(0, 1.0) if ok else 0.0 for ok in reg.product_sellable]
    # Perishable goods only reach pickup points on the cold chain (the express hub is one).
    shelves = {
        cold: _shelf(reg, weight, cold)
        for cold in (True, False)
    }  # fmt: skip
    buyers = list(reg.buyers)
    rng.shuffle(buyers)  # the skew below then favours random buyers, not the first ids
    home = {
        b: net.hub if rng.random() < EXPRESS_SHARE else rng.choice(net.village_points)
        for b in buyers
    }
    qty_cum = list(accumulate(QUANTITY_WEIGHTS))
    routes = {}
    end = cfg.seconds
    for created, n_lines in zip(order_times(cfg, rng), _line_counts(cfg, rng), strict=True):
        buyer = buyers[int(len(buyers) * rng.random() ** 1.6)]
        pickup = home[buyer] if rng.random() < 0.9 else rng.choice(net.village_points)
        stripe = pickup == net.hub or rng.random() >= CASH_SHARE
        sellable, popularity, coop_sellable = shelves[pickup in net.cold]
        n_lines = min(n_lines, len(sellable))  # only a one-product toy shelf could be shorter
        products = [sellable[bisect(popularity, rng.random() * popularity[-1])]]
        same_coop = coop_sellable[reg.product_coop[products[0]]]
        while len(products) < n_lines:
            # Half of the further lines come from the same cooperative's shelf.
            if len(same_coop) > 1 and rng.random() < 0.5:
                p = rng.choice(same_coop)
            else:
                p = sellable[bisect(popularity, rng.random() * popularity[-1])]
            if p not in products:
                products.append(p)
        cancel_at = -1
        if rng.random() < CANCEL_RATE:
            # Online orders lapse unpaid after 30 minutes; cash orders are cancelled by the buyer.
            cancel_at = created + (1800 if stripe else rng.randint(300, DAY))
            cancel_at = cancel_at if cancel_at < end else -1
        paid_at = created + rng.randint(60, 900) if stripe and cancel_at < 0 else -1
        paid_at = paid_at if paid_at < end else -1
        t.o_created.append(created)
        t.o_buyer.append(buyer)
        t.o_pickup.append(pickup)
        t.o_stripe.append(stripe)
        t.o_paid_at.append(paid_at)
        t.o_cancel_at.append(cancel_at)
        by_coop = {}
        for p in products:
            by_coop.setdefault(reg.product_coop[p], []).append(p)
        for coop, coop_products in by_coop.items():
            for p in coop_products:
                t.l_product.append(p)
                t.l_qty.append(bisect(qty_cum, rng.random() * qty_cum[-1]) + 1)
            t.f_lstart.append(len(t.l_product))
            t.f_coop.append(coop)
            key = (reg.coop_home[coop], pickup)
            route = routes.get(key) or routes.setdefault(key, net.route(*key))
            t.f_route.append(route)
            _fulfil(t, rng, route, created, cancel_at, stripe, paid_at, pickup == net.hub, end)
        t.o_fstart.append(len(t.f_coop))
    _refund(t, rng, reg, end)
    return t


def _shelf(reg: Registry, weight: list[float], cold: bool):
    """(products, cumulative popularity, products per cooperative) a pickup point can get."""
    products = [
        p
        for p, ok in enumerate(reg.product_sellable)
        if ok and (cold or not reg.product_perishable[p])
    ]
    per_coop = [[] for _ in reg.coop_products]
    for p in products:
        per_coop[reg.product_coop[p]].append(p)
    return products, list(accumulate(weight[p] for p in products)), per_coop


def _fulfil(t, rng, route, created, cancel_at, stripe, paid_at, express, end) -> None:
    """The status one fulfilment has reached by the end of the period."""
    hops = len(route[0]) - 1
    packed = created + rng.randint(4 * HOUR, 30 * HOUR)
    departed = packed + rng.randint(HOUR, 12 * HOUR)
    arrived = departed + sum(rng.randint(4 * HOUR, 20 * HOUR) for _ in range(hops))
    if express:
        arrived += rng.randint(DAY, 3 * DAY)  # the carrier's part, confirmed on delivery
    delivered = arrived + rng.randint(2 * HOUR, 2 * DAY)
    t.f_eta.append(arrived)
    t.f_shipping.append(1200 if express else 0 if hops <= 2 else 300 + 50 * hops)
    t.f_delivered_at.append(delivered if cancel_at < 0 and delivered < end else -1)
    if cancel_at >= 0:
        status = "cancelled"
    elif stripe and paid_at < 0:
        status = "pending_payment"
    elif delivered < end:
        status = "delivered"
    elif arrived < end:
        status = "ready_for_pickup"
    elif departed < end and hops:
        status = "in_transit"
    elif packed < end:
        status = "packed"
    else:
        status = "to_pack"
    t.f_status.append(status)


def _refund(t: Trade, rng: random.Random, reg: Registry, end: int) -> None:
    """A few delivered, paid-online fulfilments are refunded (in full or half) a little later."""
    for o, stripe in enumerate(t.o_stripe):
        if not stripe or t.o_paid_at[o] < 0 or rng.random() >= REFUND_RATE:
            continue
        f = rng.randrange(t.o_fstart[o], t.o_fstart[o + 1])
        at = t.f_delivered_at[f] + rng.randint(DAY, 10 * DAY)
        if t.f_delivered_at[f] < 0 or at >= end:
            continue
        goods = sum(
            t.l_qty[n] * reg.product_price[t.l_product[n]]
            for n in range(t.f_lstart[f], t.f_lstart[f + 1])
        )
        t.f_refund_at[f] = at
        t.f_refund_fen[f] = goods if rng.random() < 0.7 else max(1, goods // 2)
