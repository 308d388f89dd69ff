"""Rows of the simulated history: lots and contributions, orders, fulfilments, lines and
their lot allocations, parcels, payments, refunds, cash at the stations, and one status
event per order (its state at the end of the period; no step-by-step history)."""

import random
from bisect import bisect
from collections.abc import Iterator
from datetime import timedelta

from ..clock import local_date
from .ledger import Ids, recognised, refund_ids
from .network import Network
from .registry import Registry
from .supply import Supply
from .trade import Trade
from .vocabulary import GRADES

LOT_COLUMNS = (
    "id", "code", "product_id", "quantity", "remaining", "grade", "harvested_on",
    "received_on", "void", "corrects_lot_id", "note", "created_by_id", "created_at",
)  # fmt: skip
CONTRIBUTION_COLUMNS = ("id", "lot_id", "household_id", "supplier_name", "quantity")
ORDER_COLUMNS = (
    "id", "reference", "buyer_id", "placed_by_id", "recipient_name", "recipient_phone",
    "pickup_station_id", "payment_method", "status", "goods_fen", "shipping_fen", "total_fen",
    "created_at",
)  # fmt: skip
FULFILMENT_COLUMNS = (
    "id", "order_id", "cooperative_id", "status", "goods_fen", "shipping_fen", "amount_due_fen",
    "paid_at", "delivered_at", "income_recognised_at",
)  # fmt: skip
LINE_COLUMNS = (
    "id", "order_id", "fulfilment_id", "product_id", "product_name", "unit", "unit_weight_g",
    "quantity", "unit_price_fen", "line_fen",
)  # fmt: skip
ALLOCATION_COLUMNS = ("id", "order_line_id", "lot_id", "quantity", "released_at")
PARCEL_COLUMNS = (
    "id", "code", "pickup_code", "fulfilment_id", "route", "route_links", "weight_g",
    "cold_chain", "status", "current_station_id", "leg_index", "eta", "created_at",
)  # fmt: skip
PAYMENT_COLUMNS = (
    "id", "order_id", "fulfilment_id", "provider", "status", "amount_fen", "currency",
    "provider_ref", "payment_intent_ref", "checkout_url", "expires_at", "created_at",
)  # fmt: skip
REFUND_COLUMNS = (
    "id", "payment_id", "fulfilment_id", "amount_fen", "reason", "provider_ref", "status",
    "created_by_id", "created_at",
)  # fmt: skip
CASH_COLUMNS = (
    "id", "station_id", "order_id", "fulfilment_id", "amount_fen", "kind", "by_id", "at", "note",
)  # fmt: skip
EVENT_COLUMNS = ("id", "subject", "subject_id", "from_status", "to_status", "by_id", "note", "at")
PARCEL_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # as logistics.services.new_parcel_code


def lot_rows(reg: Registry, s: Supply, ids: Ids, rng: random.Random) -> Iterator[tuple]:
    for lot, product in enumerate(s.lot_product):
        received = s.lot_received[lot]
        manager = reg.coop_manager[reg.product_coop[product]]
        yield (
            ids.lot + lot, f"GL{ids.lot + lot:08d}", reg.product_ids[product], s.lot_qty[lot],
            s.lot_remaining[lot], rng.choice(GRADES),
            (received - timedelta(days=rng.randint(0, 10))).date(), received.date(), False,
            None, None, manager, received,
        )  # fmt: skip


def contribution_rows(s: Supply, ids: Ids) -> Iterator[tuple]:
    for lot in range(len(s.lot_qty)):
        for c in range(s.lot_cstart[lot], s.lot_cstart[lot + 1]):
            yield (ids.contribution + c, ids.lot + lot, s.c_household[c], s.c_supplier[c],
                   s.c_qty[c])  # fmt: skip


def order_status(t: Trade, o: int) -> str:
    """The order's status at the end of the period, from its fulfilments'."""
    if t.o_cancel_at[o] >= 0:
        return "cancelled"
    if t.o_stripe[o] and t.o_paid_at[o] < 0:
        return "pending_payment"
    fulfilments = range(t.o_fstart[o], t.o_fstart[o + 1])
    return "completed" if all(recognised(t, f) for f in fulfilments) else "confirmed"


def goods_fen(reg: Registry, t: Trade, f: int) -> int:
    return sum(
        t.l_qty[n] * reg.product_price[t.l_product[n]]
        for n in range(t.f_lstart[f], t.f_lstart[f + 1])
    )


def order_rows(reg, t, ids, start) -> Iterator[tuple]:
    for o, created in enumerate(t.o_created):
        at = start + timedelta(seconds=created)
        fs = range(t.o_fstart[o], t.o_fstart[o + 1])
        goods = sum(goods_fen(reg, t, f) for f in fs)
        shipping = sum(t.f_shipping[f] for f in fs)
        yield (
            ids.order + o, f"LX-{local_date(at):%Y%m%d}-{ids.order + o:06d}", t.o_buyer[o],
            None, None, None, t.o_pickup[o], "stripe" if t.o_stripe[o] else "cash_at_pickup",
            order_status(t, o), goods, shipping, goods + shipping, at,
        )  # fmt: skip


def _when(start, seconds):
    return start + timedelta(seconds=seconds) if seconds >= 0 else None


def fulfilment_rows(reg, t, ids, start) -> Iterator[tuple]:
    for o in range(len(t.o_created)):
        for f in range(t.o_fstart[o], t.o_fstart[o + 1]):
            goods, status = goods_fen(reg, t, f), t.f_status[f]
            delivered = _when(start, t.f_delivered_at[f])
            paid = _when(start, t.o_paid_at[o]) if t.o_stripe[o] else delivered
            due = goods + t.f_shipping[f] if paid is None and status != "cancelled" else 0
            yield (
                ids.fulfilment + f, ids.order + o, reg.coop_ids[t.f_coop[f]], status, goods,
                t.f_shipping[f], due, paid if status != "cancelled" else None, delivered,
                delivered if recognised(t, f) else None,
            )  # fmt: skip


def line_rows(reg, t, ids) -> Iterator[tuple]:
    for o in range(len(t.o_created)):
        for f in range(t.o_fstart[o], t.o_fstart[o + 1]):
            for n in range(t.f_lstart[f], t.f_lstart[f + 1]):
                p, qty = t.l_product[n], t.l_qty[n]
                price = reg.product_price[p]
                yield (
                    ids.line + n, ids.order + o, ids.fulfilment + f, reg.product_ids[p],
                    reg.product_name[p], reg.product_unit[p], reg.product_weight[p], qty, price,
                    qty * price,
                )  # fmt: skip


def allocation_rows(t, s, ids, start) -> Iterator[tuple]:
    for o, cancel_at in enumerate(t.o_cancel_at):
        released = _when(start, cancel_at)
        first, last = t.f_lstart[t.o_fstart[o]], t.f_lstart[t.o_fstart[o + 1]]
        for n in range(first, last):
            for a in range(s.l_astart[n], s.l_astart[n + 1]):
                yield (ids.allocation + a, ids.line + n, ids.lot + s.a_lot[a], s.a_qty[a],
                       released)  # fmt: skip


def parcel_code(parcel_id: int) -> str:
    """A unique code per id: a bijection of the id onto nine characters of the alphabet."""
    n, chars = parcel_id * 7_919_033 % 31**9, []
    for _ in range(9):
        n, r = divmod(n, 31)
        chars.append(PARCEL_ALPHABET[r])
    return "P" + "".join(chars)


PARCEL_STATUS = {
    "pending_payment": "awaiting_handover",
    "to_pack": "awaiting_handover",
    "packed": "awaiting_handover",
    "in_transit": "in_transit",
    "ready_for_pickup": "ready_for_pickup",
    "cancelled": "cancelled",
}


def _parcel_position(status: str, stations: list, links: list) -> tuple[int | None, int]:
    """(current station, leg index) as the logistics scans leave them in each status."""
    if status == "ready_for_pickup":
        return stations[-1], len(stations) - 1
    if status == "in_transit":  # on the road along the middle leg: at no station
        return None, (len(stations) - 1) // 2
    if status == "handed_over":
        return None, len(stations) - 1
    if status == "handed_to_carrier":
        return None, len(links)
    return None, 0


def parcel_rows(reg, net: Network, t, ids, start, rng) -> Iterator[tuple]:
    for o, created in enumerate(t.o_created):
        express = t.o_pickup[o] == net.hub
        for f in range(t.o_fstart[o], t.o_fstart[o + 1]):
            stations, links = t.f_route[f]
            status = t.f_status[f]
            if status == "delivered":
                parcel = "handed_to_carrier" if express else "handed_over"
            else:
                parcel = PARCEL_STATUS[status]
            current, leg = _parcel_position(parcel, stations, links)
            lines = range(t.f_lstart[f], t.f_lstart[f + 1])
            yield (
                ids.parcel + f, parcel_code(ids.parcel + f), f"{rng.randrange(1_000_000):06d}",
                ids.fulfilment + f, stations, links,
                sum(reg.product_weight[t.l_product[n]] * t.l_qty[n] for n in lines),
                any(reg.product_perishable[t.l_product[n]] for n in lines), parcel, current, leg,
                start + timedelta(seconds=t.f_eta[f]), start + timedelta(seconds=created),
            )  # fmt: skip


def payment_rows(reg, t, ids, start, payment_of: dict) -> Iterator[tuple]:
    """One Checkout payment per online order; one cash payment per fulfilment paid at pickup."""
    pid = ids.payment
    for o, created in enumerate(t.o_created):
        fs = range(t.o_fstart[o], t.o_fstart[o + 1])
        if t.o_stripe[o]:
            status = "succeeded" if t.o_paid_at[o] >= 0 else "pending"
            status = "expired" if t.o_cancel_at[o] >= 0 else status
            total = sum(goods_fen(reg, t, f) + t.f_shipping[f] for f in fs)
            at = start + timedelta(seconds=created)
            yield (pid, ids.order + o, None, "stripe", status, total, "cny",
                   f"cs_sample_{ids.order + o}",
                   f"pi_sample_{ids.order + o}" if status == "succeeded" else None, None,
                   at + timedelta(minutes=30), at)  # fmt: skip
            payment_of[o] = pid
            pid += 1
            continue
        for f in fs:
            if recognised(t, f):
                yield (pid, ids.order + o, ids.fulfilment + f, "cash", "succeeded",
                       goods_fen(reg, t, f) + t.f_shipping[f], "cny", None, None, None, None,
                       start + timedelta(seconds=t.f_delivered_at[f]))  # fmt: skip
                pid += 1


def refund_rows(t, ids, start, payment_of: dict) -> Iterator[tuple]:
    for f, refund in sorted(refund_ids(t, ids).items()):
        o = bisect(t.o_fstart, f) - 1
        yield (refund, payment_of[o], ids.fulfilment + f, t.f_refund_fen[f],
               "示例退款 Sample refund: quality complaint", f"re_sample_{refund}", "succeeded",
               None, start + timedelta(seconds=t.f_refund_at[f]))  # fmt: skip


def cash_rows(reg, t, ids, start) -> Iterator[tuple]:
    """Cash the pickup point collected for each cash fulfilment handed over."""
    cid = ids.cash
    for o, stripe in enumerate(t.o_stripe):
        if stripe:
            continue
        for f in range(t.o_fstart[o], t.o_fstart[o + 1]):
            if recognised(t, f):
                yield (cid, t.o_pickup[o], ids.order + o, ids.fulfilment + f,
                       goods_fen(reg, t, f) + t.f_shipping[f], "collected",
                       reg.operator_of[t.o_pickup[o]],
                       start + timedelta(seconds=t.f_delivered_at[f]), None)  # fmt: skip
                cid += 1


def event_rows(t, ids, start) -> Iterator[tuple]:
    """One event per order: generated history records where an order ended, not each step."""
    for o, created in enumerate(t.o_created):
        status = order_status(t, o)
        fs = range(t.o_fstart[o], t.o_fstart[o + 1])
        if status == "cancelled":
            at = t.o_cancel_at[o]
        elif status == "completed":
            at = max(t.f_delivered_at[f] for f in fs)
        else:
            at = max(created, t.o_paid_at[o])
        yield (ids.event + o, "order", ids.order + o, None, status, None,
               "generated history: final status only", start + timedelta(seconds=at))  # fmt: skip
