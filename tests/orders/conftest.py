"""Fixtures of the orders tests: a small shop (two cooperatives, their village points, products
with stock, a buyer and a pickup point) and a snapshot of everything checkout writes."""

import itertools

import pytest
import sqlalchemy as sa

import tests.factories
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


@pytest.fixture(autouse=True)
def _numbers_from_one(monkeypatch):
    """Let the factories number this test's objects from 1.

    The factories share one counter per run, and a village code is the township code plus
    that number: past 999 it has 13 characters, which PostgreSQL refuses (VARCHAR(12)).
    The orders tests alone make over a thousand objects. The database is emptied after
    every test, so numbers only need to be unique within one test. (Reported to the lead:
    tests/factories.py should keep village codes at 12 digits.)
    """
    monkeypatch.setattr(tests.factories, "_counter", itertools.count(1))


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
