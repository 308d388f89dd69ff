"""The catalogue's stamp: the part of a cache key that says "as the catalogue is now".

Any ORM write to what the shop and product pages show (products, their photos, categories,
cooperatives, supply lots and their contributions, regions) moves it in the same
transaction (a `before_flush` hook, as the station network's stamp in
logistics/network.py), so a page cached under the old stamp is never served again once
that transaction commits. Stock is not part of it: the units left are read on every
request (`stock.available_quantities`) and filled into the cached page, so a checkout
writes no stamp and a festival's stream of orders does not empty the cache.
"""

import itertools
import time
import uuid

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..regions.models import Region
from . import stock
from .models import (
    CatalogStamp,
    Category,
    Cooperative,
    LotContribution,
    Product,
    ProductPhoto,
    SupplyLot,
)

SHOWN = (Product, ProductPhoto, Category, Cooperative, SupplyLot, LotContribution, Region)


def also_shown(*models) -> None:
    """Packages above catalog whose rows the cached pages show (reviews, freight templates)
    register them here, so writing one moves the stamp too."""
    global SHOWN
    SHOWN = (*SHOWN, *models)


def touch(session=None) -> None:
    """Give the catalogue a new stamp (code that writes it with plain SQL calls this)."""
    session = session or db.session
    table = CatalogStamp.__table__  # Core statements: no ORM bookkeeping inside a flush
    stamp = uuid.uuid4().hex
    if not session.execute(table.update().where(table.c.id == 1).values(stamp=stamp)).rowcount:
        session.execute(table.insert().values(id=1, stamp=stamp))
    session.info[_TOUCHED] = True
    _memo.clear()


@event.listens_for(Session, "before_flush")
def _catalogue_changed(session, flush_context, instances) -> None:
    changed = itertools.chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, SHOWN) for obj in changed):
        touch(session)


# Per process: (database, stamp, read at). A cached page costs one query (the units left)
# instead of two: another worker's catalogue edit shows here within CATALOG_FRESH_SECONDS; this
# process's own edits at once (the memo is dropped when a transaction that moved the stamp
# commits). Stock is never part of it (read on every request).
_memo: dict[str, tuple[str, float]] = {}


_TOUCHED = "catalog_stamp_moved"
# Units left as the shop shows them, per process: (database, product) -> (units, read at).
FRESH_SECONDS = 1.0  # default of config CATALOG_FRESH_SECONDS
_units: dict[tuple[str, int], tuple[int, float]] = {}


@event.listens_for(Session, "after_commit")
def _forget_what_moved(session) -> None:
    touched = session.info.pop(_TOUCHED, False)
    if touched:
        _memo.clear()
    if session.info.pop(stock.STOCK_MOVED, False) or touched:
        _units.clear()


def _seconds() -> float:
    """How long a process trusts what it read (config CATALOG_FRESH_SECONDS, default 1)."""
    return float(current_app.config.get("CATALOG_FRESH_SECONDS", FRESH_SECONDS))


def units_left(product_ids) -> dict[int, int]:
    """{product id: units left} for the shop and product pages, read at most once a second
    per process: a sale in another worker shows within CATALOG_FRESH_SECONDS, one in this worker
    at its commit. Checkout itself always reads the lots (with a row lock)."""
    database = str(db.session.get_bind().url)
    now = time.monotonic()
    found, stale = {}, []
    for pid in product_ids:
        memo = _units.get((database, pid))
        if memo is not None and now - memo[1] < _seconds():
            found[pid] = memo[0]
        else:
            stale.append(pid)
    if stale:
        for pid, units in stock.available_quantities(stale).items():
            _units[(database, pid)] = (units, now)
            found[pid] = units
    if len(_units) > 50_000:
        _units.clear()
    return found


def stamp() -> str:
    """The catalogue's stamp ('-' before the first write), read at most once a second."""
    database = str(db.session.get_bind().url)
    now = time.monotonic()
    found = _memo.get(database)
    if found is not None and now - found[1] < _seconds():
        return found[0]
    value = db.session.scalar(db.select(CatalogStamp.stamp).where(CatalogStamp.id == 1)) or "-"
    _memo[database] = (value, now)
    return value
