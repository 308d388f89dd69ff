"""Delivery to an address through the API (issue 13): divisions, the address book, freight
templates, shipping quotes and an express order paid through the Stripe stand-in."""

import pytest

from marketplace.catalog import freight
from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.households.models import IncomeEntry
from marketplace.orders.models import Fulfilment, Order
from marketplace.payments import refunds
from marketplace.payments.models import Payment
from tests.payments.conftest import app_config, send_event, stripe_standin

from .documented import assert_documented

STRIPE_FIXTURES = (app_config, stripe_standin, send_event)

BEIJING = {"province_code": "110000", "city_code": "110100", "district_code": "110105"}
ADDRESS = {"recipient": "王芳", "phone": "13912345678", "street": "望京街10号", **BEIJING}


def _template(cooperative, cold=False, **extra):
    data = {
        "name": "冷链" if cold else "常温",
        "cold_chain": cold,
        "first_weight_g": 1000,
        "first_fen": 1200 if cold else 800,
        "step_weight_g": 1000,
        "step_fen": 600 if cold else 400,
        "regions": [
            {
                "province_codes": ["650000"],
                "first_weight_g": 1000,
                "first_fen": 2500,
                "step_weight_g": 1000,
                "step_fen": 1500,
            }
        ],
        "free_over_fen": None,
        "free_province_codes": None,
        "not_delivered_province_codes": ["540000"],
        "is_default": not cold,
    } | extra
    template = freight.save_template(cooperative, data)
    db.session.commit()
    return template


@pytest.fixture
def templates(network, goods, create_link):
    """Freight templates for both cooperatives (the apple is perishable: cold chain), and
    an express carrier hand-over at the county centre."""
    create_link(network.stations["centre"], None)
    return {
        "lily": _template(network.lily_coop),
        "apple": _template(network.apple_coop, cold=True),
    }


def test_divisions_from_provinces_down_to_districts(client):
    provinces = client.get("/api/v1/divisions").get_json()
    assert_documented(provinces, "DivisionList")
    codes = {d["code"]: d for d in provinces["items"]}
    assert len(codes) == 31 and codes["620000"] == {
        "code": "620000",
        "name": "甘肃省",
        "name_en": "Gansu Province",
        "level": "province",
    }
    cities = client.get("/api/v1/divisions?parent=620000").get_json()["items"]
    assert {"code": "622900", "level": "city"}.items() <= next(
        c for c in cities if c["name"] == "临夏回族自治州"
    ).items()
    districts = client.get("/api/v1/divisions?parent=622900").get_json()["items"]
    assert "永靖县" in {d["name"] for d in districts}
    # A municipality has one city level named after itself.
    (beijing,) = client.get("/api/v1/divisions?parent=110000").get_json()["items"]
    assert (beijing["code"], beijing["name"]) == ("110100", "北京市")
    assert client.get("/api/v1/divisions?parent=999999").status_code == 400


def test_the_address_book_checks_every_field(api_as, network):
    buyer = api_as(network.buyer)
    status, body = buyer.post("/addresses", {**ADDRESS, "district_code": "999999"})
    assert (status, list(body["fields"])) == (400, ["district_code"])
    status, body = buyer.post("/addresses", {**ADDRESS, "district_code": "620102"})
    assert (status, list(body["fields"])) == (400, ["district_code"])  # Lanzhou, not Beijing
    status, body = buyer.post("/addresses", {**ADDRESS, "city_code": "620100"})
    assert (status, list(body["fields"])) == (400, ["city_code"])
    status, body = buyer.post("/addresses", {**ADDRESS, "phone": "0931-8888888"})
    assert (status, list(body["fields"])) == (400, ["phone"])
    status, first = buyer.post("/addresses", ADDRESS)
    assert status == 201, first
    assert_documented(first, "Address")
    assert first["is_default"] and first["phone_masked"] == "139****5678"
    status, second = buyer.post(
        "/addresses",
        {**ADDRESS, "province_code": "620000", "city_code": "620100", "district_code": "620102",
         "is_default": True},
    )  # fmt: skip
    assert status == 201 and second["is_default"]
    status, listed = buyer.get("/addresses")
    assert [a["id"] for a in listed["items"]] == [second["id"], first["id"]]
    assert not listed["items"][1]["is_default"]
    status, changed = buyer.patch(f"/addresses/{first['id']}", {"street": "望京街12号"})
    assert (status, changed["street"]) == (200, "望京街12号")
    # Another buyer's address does not exist for them.
    other = api_as(network.admin)
    assert other.patch(f"/addresses/{first['id']}", {"street": "x"})[0] == 404
    assert other._call("delete", f"/addresses/{first['id']}")[0] == 404
    assert buyer._call("delete", f"/addresses/{second['id']}")[0] == 204
    status, listed = buyer.get("/addresses")
    assert [(a["id"], a["is_default"]) for a in listed["items"]] == [(first["id"], True)]


def test_freight_templates_are_public_and_products_name_theirs(client, network, templates):
    body = client.get(f"/api/v1/cooperatives/{network.lily_coop.id}/freight-templates").get_json()
    assert_documented(body, "FreightTemplateList")
    (template,) = body["items"]
    assert template["regions"][0]["province_codes"] == ["650000"]
    assert template["free_province_codes"] is None
    assert template["not_delivered_province_codes"] == ["540000"]
    assert client.get("/api/v1/cooperatives/999/freight-templates").status_code == 404
    product = client.get("/api/v1/products").get_json()["items"][0]
    assert "freight_template_id" in product


def test_a_shipping_quote_per_cooperative(api_as, network, goods, templates):
    buyer = api_as(network.buyer)
    _, address = buyer.post("/addresses", ADDRESS)
    lines = [{"product_id": goods.lily.id, "quantity": 3}, {"product_id": goods.apple.id,
             "quantity": 1}]  # fmt: skip
    status, quote = buyer.post("/shipping-quotes", {"lines": lines, "address_id": address["id"]})
    assert status == 200, quote
    assert_documented(quote, "ShippingQuote")
    weights = {
        f["cooperative_id"]: (f["weight_g"], f["shipping_fen"]) for f in quote["fulfilments"]
    }
    # create_product's unit weight is 1000 g: 3 kg of lily = 800 + 2 x 400; 1 kg apple cold.
    assert weights == {network.lily_coop.id: (3000, 1600), network.apple_coop.id: (1000, 1200)}
    assert quote["shipping_fen"] == 2800
    tibet = {**ADDRESS, "province_code": "540000", "city_code": "540100", "district_code": "540102"}
    status, refused = buyer.post("/shipping-quotes", {"lines": lines[:1], "address": tibet})
    assert (status, refused["error"]) == (409, "not_delivered")
    assert refused["lines"] == [{"product_id": goods.lily.id}]


def test_express_and_cash_is_refused(api_as, network, goods, templates, stripe_standin):
    status, body = api_as(network.buyer).post(
        "/orders",
        {
            "lines": [{"product_id": goods.lily.id, "quantity": 1}],
            "delivery": "express",
            "address": ADDRESS,
            "payment_method": "cash_at_pickup",
        },
    )
    assert (status, list(body["fields"])) == (400, ["payment_method"])
    tibet = {**ADDRESS, "province_code": "540000", "city_code": "540100", "district_code": "540102"}
    status, body = api_as(network.buyer).post(
        "/orders",
        {
            "lines": [{"product_id": goods.lily.id, "quantity": 1}],
            "delivery": "express",
            "address": tibet,
            "payment_method": "stripe",
        },
    )
    assert (status, body["error"], body["lines"]) == (
        409,
        "not_delivered",
        [{"product_id": goods.lily.id}],
    )


def _pay_express(api_as, network, goods, stripe_standin, send_event, lily=2, apple=1):
    buyer = api_as(network.buyer)
    _, address = buyer.post("/addresses", ADDRESS)
    lines = [
        {"product_id": product.id, "quantity": quantity}
        for product, quantity in ((goods.lily, lily), (goods.apple, apple))
        if quantity
    ]
    status, order = buyer.post(
        "/orders",
        {"lines": lines, "delivery": "express", "address_id": address["id"],
         "payment_method": "stripe"},
    )  # fmt: skip
    assert status == 201, order
    payment = db.session.scalar(db.select(Payment).where(Payment.order_id == order["id"]))
    send_event("checkout.session.completed", stripe_standin.pay(payment.provider_ref))
    return order, address


def test_an_express_order_from_two_cooperatives_to_beijing(
    api_as, network, goods, templates, stripe_standin, send_event
):
    order, address = _pay_express(api_as, network, goods, stripe_standin, send_event)
    assert_documented(order, "Order")
    assert order["delivery"] == "express" and order["pickup_station_id"] is None
    # lily 2 kg: 800 + 400; apple 1 kg, cold chain: 1200.
    assert order["goods_fen"] == 2 * 3000 + 1250
    assert order["shipping_fen"] == 1200 + 1200
    assert order["total_fen"] == order["goods_fen"] + order["shipping_fen"]
    assert [f["shipping_fen"] for f in order["fulfilments"]] == [1200, 1200]
    centre = network.stations["centre"].id
    for fulfilment in order["fulfilments"]:
        assert fulfilment["delivery"] == "express"
        assert fulfilment["route"][-1]["station_id"] == centre
        assert fulfilment["route"][-1]["kind"] == "county_center"
    assert order["address"]["district_name"] == "朝阳区"
    # Stripe Checkout got the shipping as its own line.
    (posted,) = stripe_standin.posts_to("/v1/checkout/sessions")
    items = posted["params"]["line_items"]
    amounts = [(i["price_data"]["product_data"]["name"], int(i["price_data"]["unit_amount"]),
                int(i["quantity"])) for i in items]  # fmt: skip
    assert ("Delivery", 2400, 1) in amounts
    assert sum(a * q for _, a, q in amounts) == order["total_fen"]
    # The order keeps its copy when the address book changes.
    api_as(network.buyer).patch(f"/addresses/{address['id']}", {"street": "别处1号"})
    placed = db.session.get(Order, order["id"])
    assert placed.ship_street == "望京街10号"
    assert {f.status.value for f in placed.fulfilments} == {"to_pack"}


def test_whole_refund_includes_shipping_partial_refund_does_not(
    api_as, network, goods, templates, stripe_standin, send_event
):
    order, _ = _pay_express(api_as, network, goods, stripe_standin, send_event, apple=0)
    fulfilment = db.session.get(Fulfilment, order["fulfilments"][0]["id"])
    assert (fulfilment.goods_fen, fulfilment.shipping_fen) == (6000, 1200)
    assert refunds.refundable_fen(fulfilment) == 7200
    with pytest.raises(refunds.DomainError):
        refunds.refund_fulfilment(fulfilment, 6500, "more than the goods", by=network.lily_manager)
    partial = refunds.refund_fulfilment(
        fulfilment, 3000, "one bag crushed", by=network.lily_manager
    )
    db.session.commit()
    assert partial.amount_fen == 3000
    whole = refunds.refund_fulfilment(fulfilment, 4200, "the rest", by=network.lily_manager)
    db.session.commit()
    assert whole.amount_fen == 4200  # the other bag and the whole shipping
    assert refunds.refundable_fen(fulfilment) == 0


def test_income_counts_the_goods_only(api_as, network, goods, templates, stripe_standin,
                                      send_event):  # fmt: skip
    from marketplace.orders import actions

    order, _ = _pay_express(api_as, network, goods, stripe_standin, send_event, apple=0)
    fulfilment = db.session.get(Fulfilment, order["fulfilments"][0]["id"])
    from marketplace.orders import status

    for to in ("packed", "in_transit", "delivered"):
        status.move_fulfilment(fulfilment, to)
    actions.recognise_income_if_due(fulfilment)
    db.session.commit()
    total = db.session.scalar(db.select(db.func.sum(IncomeEntry.amount_fen)))
    # The lily cooperative's producer share (80 %) of the goods, not of goods + shipping.
    assert total == 6000 * 8000 // 10000
    assert db.session.get(Product, goods.lily.id).freight_template_id is None


def test_a_division_code_that_is_not_digits_is_refused_not_an_error(client):
    for parent in ("11\x000000", "abc", "１１００００"):
        response = client.get("/api/v1/divisions", query_string={"parent": parent})
        assert response.status_code == 400, parent
        assert "parent" in response.get_json()["fields"]
