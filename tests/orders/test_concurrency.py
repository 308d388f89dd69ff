"""Fifty buyers at once for the last ten units of a lot, through the real checkout service,
each in its own thread, app context, session and database connection.

On PostgreSQL (TEST_DATABASE_URL) the buyers really run side by side: row locks and the
conditional UPDATE decide who gets a unit. SQLite allows one writer at a time: checkout starts
with BEGIN IMMEDIATE and the others wait their turn, for which the connections get a busy
timeout of 60 s here (the driver's default is 5 s; the test harness retries nothing).
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.logistics.models import Station
from marketplace.orders.actions import InsufficientStock, place_order
from marketplace.orders.models import LineAllocation, Order, OrderLine
from tests.conftest import make_test_config

BUYERS = 50
UNITS = 10


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    engine = {"pool_pre_ping": True, "pool_size": BUYERS + 2, "max_overflow": 0}
    if database_url.startswith("sqlite"):
        engine["connect_args"] = {"timeout": 60}
    return make_test_config(database_url, upload_dir, SQLALCHEMY_ENGINE_OPTIONS=engine)


@pytest.fixture
def last_ten_units(app, create_station, create_cooperative, create_product, create_lot):
    point = create_station()
    product = create_product(create_cooperative(home_station=point), name_zh="兰州百合")
    create_lot(product, quantity=30, received_on=date(2026, 8, 1), remaining=0)  # sold out
    lot = create_lot(product, quantity=100, remaining=UNITS)
    # Buyers straight into the table: fifty password hashes would take a minute.
    db.session.execute(
        sa.insert(User),
        [
            {"email": f"racer{n}@example.com", "name": f"Racer {n}", "password_hash": "x"}
            for n in range(BUYERS)
        ],
    )
    db.session.commit()
    ids = product.id, lot.id, point.id
    buyers = db.session.scalars(db.select(User.id).where(User.email.like("racer%"))).all()
    db.session.close()  # the test's own session holds no lock while the buyers race
    return *ids, buyers


def test_fifty_buyers_for_the_last_ten_units_never_oversell(app, last_ten_units):
    product_id, lot_id, station_id, buyers = last_ten_units
    start = threading.Barrier(BUYERS)
    done = threading.Event()
    seen = []

    def buy(buyer_id):
        # A request context so a refusal's message can be turned into words (see conftest).
        with app.test_request_context():
            try:
                start.wait(timeout=60)
                buyer = db.session.get(User, buyer_id)
                station = db.session.get(Station, station_id)
                order = place_order(buyer, [(product_id, 1)], station, "cash_at_pickup")
                db.session.commit()
                return ("sold", order.id)
            except InsufficientStock as exc:
                db.session.rollback()
                return ("short", exc.shortages)
            except Exception as exc:  # anything else fails the test below, with its reason
                db.session.rollback()
                return ("error", repr(exc))
            finally:
                db.session.remove()

    def watch_stock():
        with app.app_context():
            while not done.is_set():
                seen.append(
                    db.session.scalar(
                        sa.text(f"SELECT remaining FROM supply_lots WHERE id = {lot_id}")
                    )
                )
                db.session.rollback()
            db.session.remove()

    watcher = threading.Thread(target=watch_stock)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=BUYERS) as pool:
            outcomes = list(pool.map(buy, buyers))
    finally:
        done.set()
        watcher.join()

    errors = [detail for kind, detail in outcomes if kind == "error"]
    assert errors == []
    sold = [detail for kind, detail in outcomes if kind == "sold"]
    refused = [detail for kind, detail in outcomes if kind == "short"]
    assert (len(sold), len(refused)) == (UNITS, BUYERS - UNITS)
    assert all(
        shortages
        == [{"product_id": product_id, "name": "兰州百合", "requested": 1, "available": 0}]
        for shortages in refused
    )

    db.session.expire_all()
    assert db.session.scalar(sa.text(f"SELECT remaining FROM supply_lots WHERE id = {lot_id}")) == 0
    assert seen and min(seen) >= 0
    # No partial orders: ten orders, each with one line of one unit from the lot.
    assert db.session.scalar(db.select(db.func.count(Order.id))) == UNITS
    assert db.session.scalar(db.select(db.func.sum(OrderLine.quantity))) == UNITS
    allocations = db.session.execute(
        db.select(LineAllocation.lot_id, LineAllocation.quantity)
    ).all()
    assert sorted(allocations) == [(lot_id, 1)] * UNITS
    assert sorted(sold) == sorted(db.session.scalars(db.select(Order.id)))
