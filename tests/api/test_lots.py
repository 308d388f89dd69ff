"""Supply lots through the API: contributions by household number or supplier name, the
catalog's rules on them, and who may record and read a lot."""

import re
from datetime import date

import pytest

from marketplace.catalog.models import SupplyLot
from marketplace.extensions import db

from .documented import assert_documented


@pytest.fixture
def lily(network, create_product):
    return create_product(network.lily_coop, name_en="Lanzhou lily")


def _lot(product, contributions, **changes):
    body = {
        "product_id": product.id,
        "quantity": sum(c["quantity"] for c in contributions),
        "grade": "特级",
        "received_on": date.today().isoformat(),
        "contributions": contributions,
    }
    return body | changes


def _lots():
    return db.session.scalar(db.select(db.func.count(SupplyLot.id)))


def test_a_manager_records_a_lot_of_households_and_a_trader(api_as, network, lily):
    rows = [
        {"household_no": "HH-LILY-1", "quantity": 12},
        {"supplier_name": "马商贩", "quantity": 3},
    ]
    status, lot = api_as(network.lily_manager).post("/lots", _lot(lily, rows, note="雨后"))
    assert status == 201, lot
    assert re.fullmatch(f"YJ-{date.today():%Y%m%d}-[2-9A-HJKMNP-Z]{{6}}", lot["code"])
    assert (lot["quantity"], lot["remaining_qty"], lot["grade"]) == (15, 15, "特级")
    head = network.households["HH-LILY-1"].head_name
    assert lot["contributions"] == [
        {
            "household_no": "HH-LILY-1",
            "masked_name": head[0] + "*" * (len(head) - 2) + head[-1],
            "supplier_name": None,
            "quantity": 12,
        },
        {"household_no": None, "masked_name": None, "supplier_name": "马商贩", "quantity": 3},
    ]
    status, product = api_as(network.buyer).get(f"/products/{lily.id}")
    assert product["available_qty"] == 15 and product["households_count"] == 1


@pytest.mark.parametrize(
    ("rows", "quantity", "words"),
    [
        ([{"household_no": "HH-LILY-1", "quantity": 5}], 6, "add up to 5"),
        ([{"household_no": "HH-APPLE-1", "quantity": 5}], 5, "not in this cooperative"),
        ([{"household_no": "HH-NOBODY", "quantity": 5}], 5, "No registered household"),
        ([{"household_no": "HH-LILY-1", "supplier_name": "马", "quantity": 5}], 5, "either"),
    ],
)
def test_the_catalogs_lot_rules_answer_400(api_as, network, lily, rows, quantity, words):
    status, error = api_as(network.lily_manager).post("/lots", _lot(lily, rows, quantity=quantity))
    assert (status, error["error"]) == (400, "invalid")
    assert words in error["message"]
    assert _lots() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"received_on": "01/09/2026"}, "received_on"),
        ({"harvested_on": "2026-02-30"}, "harvested_on"),
        ({"grade": "S"}, "grade"),
        ({"quantity": 0}, "quantity"),
        ({"product_id": 99999}, "product_id"),
        (
            {"contributions": [{"household_no": "HH-LILY-1", "quantity": "5"}]},
            "contributions[0].quantity",
        ),
    ],
)
def test_bad_lot_fields_are_named(api_as, network, lily, change, field):
    rows = [{"household_no": "HH-LILY-1", "quantity": 5}]
    status, error = api_as(network.lily_manager).post("/lots", _lot(lily, rows) | change)
    assert (status, list(error["fields"])) == (400, [field])


def test_only_the_products_managers_record_and_read_its_lots(api_as, network, lily, create_lot):
    rows = [{"supplier_name": "马商贩", "quantity": 5}]
    status, error = api_as(network.apple_manager).post("/lots", _lot(lily, rows))
    assert (status, error["error"]) == (403, "forbidden")
    assert api_as(network.buyer).post("/lots", _lot(lily, rows))[0] == 403
    lot = create_lot(lily)
    assert api_as(network.apple_manager).get(f"/lots/{lot.id}")[0] == 403
    assert api_as(network.buyer).get(f"/lots/{lot.id}")[0] == 403
    assert api_as(network.lily_manager).get(f"/lots/{lot.id}")[0] == 200
    status, body = api_as(network.admin).get(f"/lots/{lot.id}")
    assert status == 200 and body["code"] == lot.code
    assert_documented(body, "LotDetail")
    assert api_as(network.admin).get("/lots/99999")[0] == 404
