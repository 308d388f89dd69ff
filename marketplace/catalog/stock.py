"""Stock: how many units of a product are available, taking them from supply lots first in,
first out, and giving them back to the same lots.

Stock is never oversold. Every decrement is a conditional UPDATE (`remaining >= :q`) whose
row count is checked, and the schema has CHECK (remaining >= 0). Before planning, the
product's open lots are read with a row lock in id order: the plan cannot go stale between
reading and updating, and two checkouts always lock lots in the same order, so they wait for
each other instead of deadlocking. These functions flush nothing and commit nothing; the
caller runs them inside its savepoint.
"""

from collections import defaultdict

from sqlalchemy import case, func, update

from ..extensions import db
from .models import SupplyLot

# Most units of one product in one order (and in one cart line).
MAX_QUANTITY = 999
# Set in the session when stock moved: the shop's memo of units left is dropped at commit.
STOCK_MOVED = "stock_moved"


class StockShort(Exception):
    """Some requested products do not have enough stock; `available` = {product_id: units}."""

    def __init__(self, available: dict[int, int | None]):
        super().__init__(f"not enough stock: {available}")
        self.available = available


def available_quantities(product_ids) -> dict[int, int]:
    """{product_id: units still in its open (not void) lots}; 0 for products without stock."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    stmt = (
        db.select(SupplyLot.product_id, func.sum(SupplyLot.remaining))
        .where(SupplyLot.product_id.in_(ids), SupplyLot.void.is_(False))
        .group_by(SupplyLot.product_id)
    )
    found = {pid: int(total or 0) for pid, total in db.session.execute(stmt)}
    return {pid: found.get(pid, 0) for pid in ids}


def take_stock(requested: dict[int, int]) -> dict[int, list[tuple[int, int]]]:
    """Take {product_id: units} from open lots, oldest received first.

    Returns {product_id: [(lot_id, units), ...]} in FIFO order. Raises StockShort if any
    product is short; lots may then have been decremented, so the caller must roll back
    its savepoint (place_order does).
    """
    lots_by_product = defaultdict(list)
    for lot in _lock_open_lots(requested):
        lots_by_product[lot.product_id].append(lot)

    plan, short = {}, {}
    for product_id, wanted in requested.items():
        fifo = sorted(lots_by_product[product_id], key=lambda lot: (lot.received_on, lot.id))
        available = sum(lot.remaining for lot in fifo)
        if available < wanted:
            short[product_id] = available
            continue
        takes = []
        for lot in fifo:
            if wanted == 0:
                break
            units = min(lot.remaining, wanted)
            takes.append((lot.id, units))
            wanted -= units
        plan[product_id] = takes
    if short:
        raise StockShort(short)

    if not _decrement_all(dict(take for takes in plan.values() for take in takes)):
        # Only reachable if a lot was changed without its row lock. What is left is
        # unknown until the caller has undone this call's decrements (None).
        raise StockShort({pid: None for pid in plan})
    _expire_lots({lot_id for takes in plan.values() for lot_id, _ in takes})
    db.session.info[STOCK_MOVED] = True
    return plan


def give_back(allocations: list[tuple[int, int]]) -> None:
    """Return [(lot_id, units), ...] to the lots they were taken from, in lot id order."""
    for lot_id, units in sorted(allocations):
        db.session.execute(
            update(SupplyLot)
            .where(SupplyLot.id == lot_id)
            .values(remaining=SupplyLot.remaining + units),
            execution_options={"synchronize_session": False},
        )
    _expire_lots({lot_id for lot_id, _ in allocations})
    db.session.info[STOCK_MOVED] = True


def _lock_open_lots(requested: dict[int, int]):
    stmt = (
        db.select(SupplyLot.id, SupplyLot.product_id, SupplyLot.remaining, SupplyLot.received_on)
        .where(
            SupplyLot.product_id.in_(sorted(requested)),
            SupplyLot.void.is_(False),
            SupplyLot.remaining > 0,
        )
        .order_by(SupplyLot.id)
        .with_for_update()
    )
    return db.session.execute(stmt).all()


def _decrement_all(units_by_lot: dict[int, int]) -> bool:
    """Take units from several lots in one conditional UPDATE (checkout: one statement
    however many lots); True if every lot still had them."""
    if len(units_by_lot) == 1:
        return _decrement(*next(iter(units_by_lot.items())))
    units = case(units_by_lot, value=SupplyLot.id)
    result = db.session.execute(
        update(SupplyLot)
        .where(
            SupplyLot.id.in_(sorted(units_by_lot)),
            SupplyLot.remaining >= units,
            SupplyLot.void.is_(False),
        )
        .values(remaining=SupplyLot.remaining - units),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == len(units_by_lot)


def _decrement(lot_id: int, units: int) -> bool:
    result = db.session.execute(
        update(SupplyLot)
        .where(
            SupplyLot.id == lot_id,
            SupplyLot.remaining >= units,
            SupplyLot.void.is_(False),
        )
        .values(remaining=SupplyLot.remaining - units),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def _expire_lots(lot_ids) -> None:
    # The UPDATEs bypass the ORM: lots already loaded in this session must re-read `remaining`.
    for lot_id in lot_ids:
        lot = db.session.identity_map.get(db.session.identity_key(SupplyLot, lot_id))
        if lot is not None:
            db.session.expire(lot, ["remaining"])
