"""Cancelling an order through the real verbs: its parcel leaves its run (whose cost the
parcels still on it then share), and a cancel racing the parcel's departure scan has
exactly one winner, never an error, on SQLite and on PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from marketplace.catalog.models import SupplyLot
from marketplace.clock import to_utc
from marketplace.errors import Conflict
from marketplace.extensions import db
from marketplace.logistics.models import (
    Manifest,
    ManifestParcel,
    Parcel,
    ParcelScan,
    ParcelStatus,
    ScanAction,
    Station,
)
from marketplace.logistics.scans import record_scan
from marketplace.orders import actions
from marketplace.orders.models import FulfilmentStatus, Order, OrderStatus
from tests.conftest import make_test_config

pytestmark = pytest.mark.usefixtures("english")


def beijing(day, hour, minute=0):
    return to_utc(datetime(2026, 9, day, hour, minute))


@pytest.fixture
def lily(line, create_cooperative, create_product, create_lot, create_household):
    """A cooperative at village point A selling lilies (1 kg a bag), 100 bags in stock."""
    cooperative = create_cooperative(village=line.village_a, home_station=line.a)
    product = create_product(cooperative=cooperative, price_fen=2500, unit_weight_g=1000)
    lot = create_lot(product=product, contributions=[(create_household(), 100)], quantity=100)
    db.session.commit()
    return product, lot


def buy(line, product, buyer, quantity=1, at=None) -> Order:
    order = actions.place_order(
        buyer, [(product.id, quantity)], line.b, "cash_at_pickup", now=at or beijing(7, 6)
    )
    db.session.commit()
    return order


def test_a_cancelled_parcels_share_moves_to_the_parcels_still_on_its_run(line, lily, create_user):
    product, _ = lily
    buyer = create_user(email="buyer@example.com")
    orders = [buy(line, product, buyer, quantity=q) for q in (1, 2, 3)]
    for order in orders:
        record_scan(order.fulfilments[0].parcel, line.a, "received", line.ops["A"],
                    at=beijing(7, 7))  # fmt: skip
    db.session.commit()
    [run] = db.session.scalars(db.select(Manifest)).all()
    run_cost_before = run.cost_fen

    actions.cancel_order(orders[0], by=buyer, reason="ordered twice", now=beijing(7, 7, 30))
    db.session.commit()

    db.session.refresh(run)
    cancelled = orders[0].fulfilments[0].parcel
    assert cancelled.status == ParcelStatus.cancelled and cancelled.current_station_id is None
    entries = db.session.scalars(
        db.select(ManifestParcel).where(ManifestParcel.manifest_id == run.id)
    ).all()
    live = {o.fulfilments[0].parcel.id for o in orders[1:]}
    assert {e.parcel_id for e in entries} == live  # the cancelled parcel is off the run
    # The run now carries 5 kg instead of 6: its cost is re-computed and shared by weight
    # (2 kg and 3 kg) over the two parcels still on it, to the fen.
    assert run.cost_fen == 3000 + 5 * 20 < run_cost_before
    shares = sorted(e.cost_share_fen for e in entries)
    assert sum(shares) == run.cost_fen and shares == [1240, 1860]
    stock = db.session.get(SupplyLot, lily[1].id)
    assert stock.remaining == 100 - 5


def test_a_cancelled_parcel_frees_its_place_in_the_stations_daily_capacity(line, lily, create_user):
    product, _ = lily
    line.a.capacity_per_day = 1
    buyer = create_user(email="buyer@example.com")
    first, second = (buy(line, product, buyer, at=beijing(7, h)) for h in (1, 2))
    for order in (first, second):
        record_scan(order.fulfilments[0].parcel, line.a, "received", line.ops["A"],
                    at=beijing(7, 7))  # fmt: skip
    db.session.commit()
    waiting = second.fulfilments[0].parcel
    assert waiting.eta > beijing(8, 0)  # today's only place went to the first parcel

    actions.cancel_order(first, by=buyer, now=beijing(7, 7, 30))
    db.session.commit()

    [entry] = db.session.scalars(db.select(ManifestParcel)).all()
    assert entry.parcel_id == waiting.id and entry.manifest.departs_at == beijing(7, 8)


@pytest.fixture
def race_config(database_url, upload_dir, _migrated):
    """Connections enough for two racers; SQLite's writers wait for each other up to 60 s."""
    engine = {"pool_pre_ping": True, "pool_size": 6, "max_overflow": 0}
    if database_url.startswith("sqlite"):
        engine["connect_args"] = {"timeout": 60}
    return make_test_config(database_url, upload_dir, SQLALCHEMY_ENGINE_OPTIONS=engine)


@pytest.fixture
def app_config(race_config):
    return race_config


ROUNDS = 6


def test_a_cancel_racing_the_departure_scan_has_exactly_one_winner(app, line, lily, create_user):
    product, lot = lily
    buyer = create_user(email="buyer@example.com")
    ids = []
    for _ in range(ROUNDS):
        order = buy(line, product, buyer, quantity=2)
        parcel = order.fulfilments[0].parcel
        record_scan(parcel, line.a, "received", line.ops["A"], at=beijing(7, 7))
        db.session.commit()
        ids.append((order.id, parcel.id))
    buyer_id, operator_id, station_id, lot_id = buyer.id, line.ops["A"].id, line.a.id, lot.id
    user_model = type(buyer)
    db.session.close()  # the test's own session holds no lock while the two race

    def cancel(order_id, start):
        with app.test_request_context():
            try:
                order = db.session.get(Order, order_id)
                by = db.session.get(user_model, buyer_id)
                start.wait(timeout=30)
                actions.cancel_order(order, by=by)
                db.session.commit()
                return "cancelled"
            except Conflict:
                db.session.rollback()
                return "refused"
            except Exception as exc:  # anything else fails the test, with its reason
                db.session.rollback()
                return f"error: {exc!r}"
            finally:
                db.session.remove()

    def depart(parcel_id, start):
        with app.test_request_context():
            try:
                parcel = db.session.get(Parcel, parcel_id)
                station = db.session.get(Station, station_id)
                by = db.session.get(user_model, operator_id)
                start.wait(timeout=30)
                record_scan(parcel, station, "departed", by, at=beijing(7, 8))
                db.session.commit()
                return "departed"
            except Conflict:
                db.session.rollback()
                return "refused"
            except Exception as exc:
                db.session.rollback()
                return f"error: {exc!r}"
            finally:
                db.session.remove()

    outcomes = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for order_id, parcel_id in ids:
            start = threading.Barrier(2)
            racers = [pool.submit(cancel, order_id, start), pool.submit(depart, parcel_id, start)]
            outcomes.append(tuple(r.result(timeout=120) for r in racers))

    assert all(not o.startswith("error") for pair in outcomes for o in pair), outcomes
    for (order_id, parcel_id), (cancelled, departed) in zip(ids, outcomes, strict=True):
        # Exactly one of the two went through, and the other was refused with a reason.
        assert {cancelled, departed} in ({"cancelled", "refused"}, {"departed", "refused"})
        order = db.session.get(Order, order_id)
        parcel = db.session.get(Parcel, parcel_id)
        scans = db.session.scalars(
            db.select(ParcelScan.action).where(ParcelScan.parcel_id == parcel_id)
        ).all()
        if cancelled == "cancelled":
            assert order.status == OrderStatus.cancelled
            assert parcel.status == ParcelStatus.cancelled
            assert ScanAction.departed not in scans
        else:
            assert order.status == OrderStatus.confirmed
            assert order.fulfilments[0].status == FulfilmentStatus.in_transit
            assert parcel.status == ParcelStatus.in_transit
            assert scans.count(ScanAction.departed) == 1
    # Units of cancelled orders are back on sale; departed ones are not.
    sold = sum(2 for pair in outcomes if pair[0] != "cancelled")
    assert db.session.get(SupplyLot, lot_id).remaining == 100 - sold
