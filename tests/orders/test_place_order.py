"""Checkout: stock taken first in, first out; one fulfilment per cooperative; all or nothing."""

import re
from datetime import datetime

import pytest

from marketplace.catalog.models import SupplyLot
from marketplace.errors import Conflict, DomainError
from marketplace.extensions import db
from marketplace.logistics.models import ParcelStatus
from marketplace.orders import actions as services
from marketplace.orders.actions import InsufficientStock, place_order
from marketplace.orders.models import FulfilmentStatus, OrderStatus, PaymentMethod
from marketplace.status import events_for

CASH = PaymentMethod.cash_at_pickup
pytestmark = pytest.mark.usefixtures("in_request")


def remaining(lot):
    return db.session.get(SupplyLot, lot.id, populate_existing=True).remaining


def test_cash_order_is_confirmed_with_one_fulfilment_per_cooperative(shop):
    order = place_order(
        shop.buyer, [(shop.lily.id, 2), (shop.dried.id, 1), (shop.apple.id, 3)], shop.pickup, CASH
    )
    db.session.commit()

    assert order.status == OrderStatus.confirmed
    assert [f.cooperative_id for f in order.fulfilments] == [shop.lily_coop.id, shop.apple_coop.id]
    assert all(f.status == FulfilmentStatus.to_pack for f in order.fulfilments)
    lily_part, apple_part = order.fulfilments
    assert [line.product_id for line in apple_part.lines] == [shop.dried.id, shop.apple.id]
    assert lily_part.goods_fen == lily_part.amount_due_fen == 2 * 3000
    assert apple_part.goods_fen == apple_part.amount_due_fen == 4550 + 3 * 1200
    assert order.goods_fen == order.total_fen == 6000 + 8150 and order.shipping_fen == 0


def test_each_fulfilment_gets_a_parcel_from_its_cooperatives_village_point(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 1), (shop.apple.id, 1)], shop.pickup, CASH)
    lily_parcel, apple_parcel = (f.parcel for f in order.fulfilments)
    assert lily_parcel.route == [shop.lily_point.id, shop.pickup.id]
    assert apple_parcel.route == [shop.apple_point.id]  # the pickup point is its own
    assert lily_parcel.status == ParcelStatus.awaiting_handover
    assert re.fullmatch(r"\d{6}", lily_parcel.pickup_code)
    assert lily_parcel.weight_g == 1000


def test_order_reference_has_the_chinese_date_and_the_padded_id(shop):
    # 17:30 UTC on 28 November is already 29 November in Linxia.
    order = place_order(
        shop.buyer, [(shop.apple.id, 1)], shop.pickup, CASH, now=datetime(2026, 11, 28, 17, 30)
    )
    assert order.reference == f"LX-20261129-{order.id:06d}"
    assert order.created_at == datetime(2026, 11, 28, 17, 30)


def test_prices_are_copied_so_later_price_changes_do_not_touch_the_order(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 2)], shop.pickup, CASH)
    shop.lily.price_fen = 9900
    shop.lily.name_zh = "新名字"
    db.session.commit()
    line = order.lines[0]
    assert (line.unit_price_fen, line.line_fen, line.product_name) == (3000, 6000, "兰州百合")


def test_units_come_from_the_oldest_lot_first_then_the_next(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 7)], shop.pickup, CASH)
    db.session.commit()
    taken = [(a.lot_id, a.quantity) for a in order.lines[0].allocations]
    assert taken == [(shop.lily_old.id, 5), (shop.lily_new.id, 2)]
    assert remaining(shop.lily_old) == 0 and remaining(shop.lily_new) == 18


def test_void_lots_are_never_sold(shop, create_lot):
    create_lot(shop.dried, quantity=40, void=True)
    with pytest.raises(InsufficientStock) as short:
        place_order(shop.buyer, [(shop.dried.id, 11)], shop.pickup, CASH)
    assert short.value.shortages[0]["available"] == 10


def test_initial_statuses_are_recorded_as_events(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 1)], shop.pickup, CASH)
    db.session.commit()
    [event] = events_for("order", order.id)
    assert (event.from_status, event.to_status, event.by_id) == (None, "confirmed", shop.buyer.id)
    assert [e.to_status for e in events_for("fulfilment", order.fulfilments[0].id)] == ["to_pack"]


def test_online_order_waits_for_payment(shop):
    order = place_order(shop.buyer, [(shop.lily.id, 1)], shop.pickup, PaymentMethod.stripe)
    assert order.status == OrderStatus.pending_payment
    assert order.fulfilments[0].status == FulfilmentStatus.pending_payment
    assert remaining(shop.lily_old) == 4  # the stock is held while the buyer pays


def test_the_same_product_twice_becomes_one_line(shop):
    order = place_order(shop.buyer, [(shop.apple.id, 1), (shop.apple.id, 2)], shop.pickup, CASH)
    assert [(line.product_id, line.quantity) for line in order.lines] == [(shop.apple.id, 3)]


def test_an_order_placed_by_an_operator_for_a_villager_remembers_both(shop, create_user):
    operator = create_user(roles=["station_operator"])
    order = place_order(
        shop.buyer,
        [(shop.apple.id, 1)],
        shop.pickup,
        CASH,
        placed_by=operator,
        recipient_name="马大爷",
        recipient_phone="13900000000",
    )
    assert (order.placed_by_id, order.recipient_name) == (operator.id, "马大爷")
    assert events_for("order", order.id)[0].by_id == operator.id


def test_short_lines_are_reported_with_what_is_left_and_nothing_is_written(shop, snapshot):
    before = snapshot()
    with pytest.raises(InsufficientStock) as short:
        place_order(
            shop.buyer,
            [(shop.lily.id, 2), (shop.dried.id, 11), (shop.apple.id, 51)],
            shop.pickup,
            CASH,
        )
    assert short.value.shortages == [
        {"product_id": shop.dried.id, "name": "百合干", "requested": 11, "available": 10},
        {"product_id": shop.apple.id, "name": "冰糖心苹果", "requested": 51, "available": 50},
    ]
    assert isinstance(short.value, Conflict)
    # The savepoint already undid everything: the session is clean even before a rollback...
    assert not db.session.new and not db.session.dirty
    assert snapshot() == before
    # ...and after the caller's rollback.
    db.session.rollback()
    assert snapshot() == before


def test_an_unreachable_pickup_point_refuses_the_checkout_and_writes_nothing(
    shop, snapshot, monkeypatch
):
    def unreachable(fulfilments, pickup_station, now=None, express=False):
        raise Conflict("The pickup point cannot be reached from this cooperative.")

    monkeypatch.setattr(services.logistics, "plan_parcels", unreachable)
    before = snapshot()
    with pytest.raises(Conflict, match="cannot be reached"):
        place_order(shop.buyer, [(shop.lily.id, 3)], shop.pickup, CASH)
    db.session.rollback()
    assert snapshot() == before


@pytest.mark.parametrize("quantity", [0, -1, 1000, "2", 1.5, True])
def test_bad_quantities_are_refused(shop, quantity):
    with pytest.raises(DomainError) as refused:
        place_order(shop.buyer, [(shop.lily.id, quantity)], shop.pickup, CASH)
    assert not isinstance(refused.value, InsufficientStock)


def test_an_empty_order_is_refused(shop):
    with pytest.raises(DomainError, match="empty"):
        place_order(shop.buyer, [], shop.pickup, CASH)


def test_a_product_not_for_sale_is_refused(shop, create_product, create_lot):
    draft = create_product(status="draft")
    create_lot(draft)
    with pytest.raises(DomainError, match="not for sale"):
        place_order(shop.buyer, [(draft.id, 1)], shop.pickup, CASH)


@pytest.mark.parametrize("kind", ["township_station", "county_center"])
def test_the_pickup_point_must_be_a_village_point(shop, create_station, kind):
    station = create_station(kind=kind)
    with pytest.raises(DomainError, match="village point"):
        place_order(shop.buyer, [(shop.lily.id, 1)], station, CASH)


def test_an_unknown_payment_method_is_refused(shop):
    with pytest.raises(DomainError, match="way to pay"):
        place_order(shop.buyer, [(shop.lily.id, 1)], shop.pickup, "bitcoin")


def test_an_order_worth_more_than_two_to_the_31_fen_is_stored_exactly(
    in_request, create_user, create_station, create_cooperative, create_product, create_lot
):
    """999 head of cattle at ¥100,000 each: 9,990,000,000 fen, past a 32-bit INTEGER."""
    from marketplace.orders.models import Order

    point = create_station()
    cattle = create_product(
        create_cooperative(home_station=point), price_fen=10_000_000, unit="head"
    )
    create_lot(cattle, quantity=999)
    order = place_order(create_user(), [(cattle.id, 999)], point, PaymentMethod.cash_at_pickup)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Order, order.id)
    assert stored.total_fen == stored.lines[0].line_fen == 9_990_000_000 > 2**31
