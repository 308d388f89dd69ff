"""Fixtures of the orders tests: a small shop (two cooperatives, their village points, products
with stock, a buyer and a pickup point) and a snapshot of everything checkout writes."""

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from tests.orders.shop import build_shop

CHECKOUT_TABLES = (
    "orders",
    "order_lines",
    "fulfilments",
    "line_allocations",
    "parcels",
    "status_events",
    "cart_items",
)


@pytest.fixture
def in_request(app):
    """An English request around a service test.

    Domain errors turn their (lazy) message into text when raised, and the locale selector
    reads the request: outside a request that fails (reported to the lead).
    """
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def shop(request):
    """The small shop of tests/orders/shop.py."""
    return build_shop(request.getfixturevalue)


@pytest.fixture
def snapshot(app):
    """snapshot() -> row counts of what checkout writes and every lot's remaining units."""

    def take():
        db.session.expire_all()
        counts = {
            t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in CHECKOUT_TABLES
        }
        lots = db.session.execute(sa.text("SELECT id, remaining FROM supply_lots ORDER BY id"))
        return counts, [tuple(row) for row in lots]

    return take
