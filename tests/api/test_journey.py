"""One sale from the field to the household's income, through the API alone: products and
lots from the managers, a cash order of two cooperatives' goods, every scan along both
routes, the hand-over with the pickup code and cash, and the income report to the fen."""

from datetime import date

from marketplace.clock import local_today

from .documented import assert_documented


def _publish_lily(lily_api, create_category):
    create_category("vegetable", "蔬菜", "Vegetables")
    status, product = lily_api.post(
        "/products",
        {"name": "兰州百合", "category": "vegetable", "unit": "bag_1kg", "price_fen": 3000},
    )
    assert status == 201, product
    assert_documented(product, "ProductDetail")
    assert product["status"] == "draft" and product["available_qty"] == 0
    status, product = lily_api.patch(f"/products/{product['id']}", {"status": "active"})
    assert status == 200 and product["status"] == "active"
    return product


def _record_lot(manager_api, product_id, contributions):
    status, lot = manager_api.post(
        "/lots",
        {
            "product_id": product_id,
            "quantity": sum(c["quantity"] for c in contributions),
            "grade": "一级",
            "harvested_on": "2026-08-25",
            "received_on": date.today().isoformat(),
            "contributions": contributions,
        },
    )
    assert status == 201, lot
    assert_documented(lot, "LotDetail")
    assert lot["code"].startswith("YJ-")
    return lot


def _scan(api, code, station, action, **extra):
    status, body = api.post(
        f"/parcels/{code}/scans", {"station_id": station.id, "action": action, **extra}
    )
    assert status == 201, (action, body)
    assert_documented(body, "ParcelState")
    return body


def _walk(network, api_of, fulfilment, hops):
    """Scan a parcel along `hops` (station keys, first to last) up to ready for pickup."""
    code, stations = fulfilment["parcel_code"], network.stations
    assert [stop["station_id"] for stop in fulfilment["route"]] == [
        stations[key].id for key in hops
    ]
    first, *between, last = hops
    _scan(api_of(first), code, stations[first], "received")
    _scan(api_of(first), code, stations[first], "departed")
    for key in between:
        _scan(api_of(key), code, stations[key], "arrived")
        _scan(api_of(key), code, stations[key], "departed")
    state = _scan(api_of(last), code, stations[last], "arrived")
    assert state["status"] == "ready_for_pickup"
    assert state["next_scan"] == {"station_id": stations[last].id, "action": "handed_over"}


def test_a_sale_from_lot_to_household_income_through_the_api(
    network, api_as, create_category, create_product
):
    lily_api, apple_api = api_as(network.lily_manager), api_as(network.apple_manager)
    lily = _publish_lily(lily_api, create_category)
    apple = create_product(network.apple_coop, price_fen=1250, name_zh="冰糖心苹果")
    lily_lot = _record_lot(
        lily_api,
        lily["id"],
        [
            {"household_no": "HH-LILY-1", "quantity": 30},
            {"household_no": "HH-LILY-2", "quantity": 20},
        ],
    )
    _record_lot(
        apple_api,
        apple.id,
        [
            {"household_no": "HH-APPLE-1", "quantity": 25},
            {"supplier_name": "马商贩", "quantity": 15},
        ],
    )
    status, lot = lily_api.get(f"/lots/{lily_lot['id']}")
    assert [(c["household_no"], c["quantity"]) for c in lot["contributions"]] == [
        ("HH-LILY-1", 30),
        ("HH-LILY-2", 20),
    ]

    # The buyer orders from both cooperatives, to pay in cash at the pickup point.
    buyer_api = api_as(network.buyer)
    pickup = network.stations["pickup_point"]
    status, order = buyer_api.post(
        "/orders",
        {
            "lines": [
                {"product_id": lily["id"], "quantity": 3},
                {"product_id": apple.id, "quantity": 4},
            ],
            "pickup_station_id": pickup.id,
            "payment_method": "cash_at_pickup",
        },
    )
    assert status == 201, order
    assert_documented(order, "Order")
    assert (order["status"], order["total_fen"]) == ("confirmed", 3 * 3000 + 4 * 1250)
    assert order["payment"] == {
        "method": "cash_at_pickup",
        "status": "unpaid",
        "amount_due_fen": 14000,
        "checkout_url": None,
    }
    lily_part, apple_part = sorted(order["fulfilments"], key=lambda f: f["amount_due_fen"])[::-1]
    assert (lily_part["cooperative_id"], lily_part["amount_due_fen"]) == (
        network.lily_coop.id,
        9000,
    )
    assert (apple_part["cooperative_id"], apple_part["amount_due_fen"]) == (
        network.apple_coop.id,
        5000,
    )

    # Operators scan each hop of both routes.
    def api_of(key):
        return api_as(network.operators[key])

    _walk(network, api_of, lily_part, ["lily_point", "liujiaxia", "pickup_point"])
    _walk(
        network,
        api_of,
        apple_part,
        ["apple_point", "yanguoxia", "centre", "liujiaxia", "pickup_point"],
    )

    # The pickup point hands both parcels over with the buyer's code, taking the cash due.
    status, seen = buyer_api.get(f"/orders/{order['id']}")
    codes = {f["parcel_code"]: f["pickup_code"] for f in seen["fulfilments"]}
    point = api_of("pickup_point")
    for part in (lily_part, apple_part):
        code = part["parcel_code"]
        state = _scan(
            point,
            code,
            pickup,
            "handed_over",
            pickup_code=codes[code],
            cash_received_fen=part["amount_due_fen"],
        )
        assert state["status"] == "handed_over"
        assert state["fulfilment"] == {"id": part["id"], "status": "delivered", "amount_due_fen": 0}

    status, done = buyer_api.get(f"/orders/{order['id']}")
    assert_documented(done, "OrderDetail")
    assert done["status"] == "completed"
    assert done["payment"]["status"] == "paid"
    assert ("order", "confirmed", "completed") in {
        (e["subject"], e["from_status"], e["to_status"]) for e in done["events"]
    }

    # The administrator's report: 80 % of 90.00 split 30:20, 75 % of 50.00 split 25:15
    # (the trader's share is not a household's).
    status, report = api_as(network.admin).get("/reports/household-income?county_code=622923")
    assert status == 200
    assert_documented(report, "HouseholdIncomeReport")
    assert report["year"] == local_today().year
    rows = {
        r["household_no"]: (r["income_fen"], r["income_per_person_fen"]) for r in report["rows"]
    }
    assert rows == {
        "HH-APPLE-1": (2344, 468),
        "HH-LILY-1": (4320, 1080),
        "HH-LILY-2": (2880, 960),
    }
    assert report["total_fen"] == 2344 + 4320 + 2880
