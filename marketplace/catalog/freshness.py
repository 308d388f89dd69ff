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
import uuid

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..regions.models import Region
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


def touch(session=None) -> None:
    """Give the catalogue a new stamp (code that writes it with plain SQL calls this)."""
    session = session or db.session
    table = CatalogStamp.__table__  # Core statements: no ORM bookkeeping inside a flush
    stamp = uuid.uuid4().hex
    if not session.execute(table.update().where(table.c.id == 1).values(stamp=stamp)).rowcount:
        session.execute(table.insert().values(id=1, stamp=stamp))
    if has_request_context():
        g.pop("catalog_stamp", None)


@event.listens_for(Session, "before_flush")
def _catalogue_changed(session, flush_context, instances) -> None:
    changed = itertools.chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, SHOWN) for obj in changed):
        touch(session)


def stamp() -> str:
    """The catalogue's stamp now ('-' before the first write), read once per request."""
    if has_request_context() and "catalog_stamp" in g:
        return g.catalog_stamp
    value = db.session.scalar(db.select(CatalogStamp.stamp).where(CatalogStamp.id == 1)) or "-"
    if has_request_context():
        g.catalog_stamp = value
    return value
