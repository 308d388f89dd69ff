"""Orders through the API: placing (cash, Stripe, refusals), reading and cancelling."""

import pytest

from marketplace.catalog.services import available_quantity
from marketplace.extensions import db
from marketplace.orders.models import Order

from .documented import assert_documented


def _order_body(network, goods, **changes):
    body = {
        "lines": [{"product_id": goods.lily.id, "quantity": 2}],
        "pickup_station_id": network.stations["pickup_point"].id,
        "payment_method": "cash_at_pickup",
    }
    return body | changes


def _order_count():
    return db.session.scalar(db.select(db.func.count(Order.id)))


def test_a_cash_order_has_one_fulfilment_per_cooperative_with_its_route(
    network, goods, place_cash_order
):
    order = place_cash_order(lily=2, apple=1)
    assert order["reference"].startswith("LX-")
    assert [
        (line["product_id"], line["quantity"], line["line_fen"]) for line in order["lines"]
    ] == [
        (goods.lily.id, 2, 6000),
        (goods.apple.id, 1, 1250),
    ]
    lily_part, apple_part = order["fulfilments"]
    stations = network.stations
    assert lily_part["route"] == [
        {"station_id": stations[key].id, "kind": kind, "name": stations[key].name_en}
        for key, kind in [
            ("lily_point", "village_point"),
            ("liujiaxia", "township_station"),
            ("pickup_point", "village_point"),
        ]
    ]
    assert len(apple_part["route"]) == 5
    for part in (lily_part, apple_part):
        assert part["status"] == "to_pack" and part["parcel_status"] == "awaiting_handover"
        assert part["eta"].endswith("Z")
        assert len(part["pickup_code"]) == 6  # the caller is the buyer
    assert available_quantity(goods.lily) == 8


def test_not_enough_stock_is_a_409_listing_what_is_left(network, goods, api_as):
    body = _order_body(
        network,
        goods,
        lines=[
            {"product_id": goods.lily.id, "quantity": 11},
            {"product_id": goods.apple.id, "quantity": 1},
        ],
    )
    status, error = api_as(network.buyer).post("/orders", body)
    assert status == 409
    assert_documented(error, "Error")
    assert error["error"] == "insufficient_stock"
    assert error["lines"] == [{"product_id": goods.lily.id, "available_qty": 10}]
    assert _order_count() == 0 and available_quantity(goods.apple) == 5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"payment_method": "cheque"}, "payment_method"),
        ({"payment_method": "stripe"}, "payment_method"),  # Stripe is not configured
        ({"lines": []}, "lines"),
        ({"lines": [{"product_id": 1, "quantity": 0}]}, "lines[0].quantity"),
        ({"lines": [{"product_id": 1, "quantity": 1, "price_fen": 1}]}, "lines[0].price_fen"),
        ({"pickup_station_id": "3"}, "pickup_station_id"),
        ({"pickup_station_id": 99999}, "pickup_station_id"),
    ],
)
def test_bad_orders_are_400_naming_the_field(network, goods, api_as, change, field):
    status, error = api_as(network.buyer).post("/orders", _order_body(network, goods, **change))
    assert status == 400, error
    assert error["error"] == "invalid" and list(error["fields"]) == [field]
    assert _order_count() == 0


def test_rules_of_the_order_service_name_their_field_too(network, goods, api_as, create_product):
    buyer = api_as(network.buyer)
    township = network.stations["liujiaxia"]
    status, error = buyer.post(
        "/orders", _order_body(network, goods, pickup_station_id=township.id)
    )
    assert status == 400
    assert error["fields"] == {"pickup_station_id": "Choose a village point to pick the order up."}
    draft = create_product(network.lily_coop, status="draft")
    lines = [{"product_id": draft.id, "quantity": 1}]
    status, error = buyer.post("/orders", _order_body(network, goods, lines=lines))
    assert status == 400 and list(error["fields"]) == ["lines"]
    assert "not for sale" in error["fields"]["lines"]


def test_an_order_needs_a_token(client, network, goods):
    response = client.post("/api/v1/orders", json=_order_body(network, goods))
    assert response.status_code == 401


def test_buyers_list_and_read_only_their_own_orders(network, api_as, create_user, place_cash_order):
    mine = place_cash_order()
    other_buyer = create_user(email="other@example.com")
    theirs = place_cash_order(buyer=other_buyer)
    buyer = api_as(network.buyer)
    status, page = buyer.get("/orders")
    assert status == 200
    assert_documented(page, "OrderPage")
    assert [o["id"] for o in page["items"]] == [mine["id"]] and page["total"] == 1
    status, error = buyer.get(f"/orders/{theirs['id']}")
    assert (status, error["error"]) == (404, "not_found")
    status, order = buyer.get(f"/orders/{mine['id']}")
    assert status == 200
    assert order["events"][0] == {
        "subject": "order",
        "subject_id": mine["id"],
        "from_status": None,
        "to_status": "confirmed",
        "note": None,
        "at": order["created_at"],
    }


def test_an_administrator_reads_an_order_without_its_pickup_codes(
    network, api_as, place_cash_order
):
    placed = place_cash_order()
    status, order = api_as(network.admin).get(f"/orders/{placed['id']}")
    assert status == 200
    assert_documented(order, "OrderDetail")
    assert "pickup_code" not in order["fulfilments"][0]
    assert placed["fulfilments"][0]["pickup_code"] not in str(order)


def test_cancelling_puts_the_stock_back(network, goods, api_as, place_cash_order):
    placed = place_cash_order(lily=3)
    assert available_quantity(goods.lily) == 7
    status, order = api_as(network.buyer).post(
        f"/orders/{placed['id']}/cancel", {"reason": "ordered twice"}
    )
    assert status == 200, order
    assert_documented(order, "OrderDetail")
    assert order["status"] == "cancelled"
    assert {f["status"] for f in order["fulfilments"]} == {"cancelled"}
    assert ("ordered twice", "cancelled") in {(e["note"], e["to_status"]) for e in order["events"]}
    assert available_quantity(goods.lily) == 10


def test_an_order_cannot_be_cancelled_once_a_parcel_left(network, api_as, place_cash_order):
    placed = place_cash_order()
    code, point = placed["fulfilments"][0]["parcel_code"], network.stations["lily_point"]
    operator = api_as(network.operators["lily_point"])
    for action in ("received", "departed"):
        status, _ = operator.post(
            f"/parcels/{code}/scans", {"station_id": point.id, "action": action}
        )
        assert status == 201
    status, error = api_as(network.buyer).post(f"/orders/{placed['id']}/cancel")
    assert status == 409 and error["error"] == "conflict"


def test_only_the_buyer_cancels(network, api_as, create_user, place_cash_order):
    placed = place_cash_order()
    stranger = api_as(create_user(email="stranger@example.com"))
    assert stranger.post(f"/orders/{placed['id']}/cancel")[0] == 404
    assert api_as(network.admin).post(f"/orders/{placed['id']}/cancel")[0] == 403
