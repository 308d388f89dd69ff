"""Checkout with delivery to an address: the fee per cooperative before paying, cash
refused beside the payment field, the order keeping its own copy of the address."""

import pytest

from marketplace.accounts import addresses
from marketplace.catalog import freight
from marketplace.extensions import db
from marketplace.orders.models import Delivery, Order
from marketplace.regions.services import get_by_code
from tests.conftest import make_test_config

BEIJING = {"province_code": "110000", "city_code": "110100", "district_code": "110105"}


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    return make_test_config(database_url, upload_dir, STRIPE_SECRET_KEY="sk_test_stand_in")


@pytest.fixture
def express_shop(shop, create_station, create_link):
    centre = create_station("county_center", get_by_code("622923"))
    for point in (shop.lily_point, shop.apple_point):
        create_link(point, centre, both_ways=True)
    create_link(centre, None, carrier="EMS")
    for cooperative in (shop.lily_coop, shop.apple_coop):
        freight.save_template(cooperative, {
            "name": "常温", "cold_chain": False, "first_weight_g": 1000, "first_fen": 1000,
            "step_weight_g": 1000, "step_fen": 500, "regions": [],
            "not_delivered_province_codes": ["540000"]})  # fmt: skip
    address = addresses.add_address(
        shop.buyer,
        {"recipient": "马小花", "phone": "13912345678", "street": "望京街1号", **BEIJING},
    )
    db.session.commit()
    shop.address = address
    return shop


def test_cart_and_checkout_show_the_fee_per_cooperative(client, auth, express_shop):
    shop = express_shop
    auth.login("buyer@example.com")
    client.post("/cart/add", data={"product_id": shop.lily.id, "quantity": "2"})
    client.post("/cart/add", data={"product_id": shop.apple.id, "quantity": "1"})
    cart = client.get("/cart").text  # the default address's province
    assert cart.count('data-testid="cart-shipping"') == 2 and "¥15.00" in cart
    tibet = client.get("/cart?ship_to=540000").text
    assert "Not delivered there" in tibet
    page = client.get("/checkout").text
    assert page.count('data-testid="shipping-fee"') == 2
    assert 'data-testid="shipping-total">¥25.00' in page


def test_cash_with_delivery_is_refused_beside_the_payment(client, auth, express_shop):
    shop = express_shop
    auth.login("buyer@example.com")
    client.post("/cart/add", data={"product_id": shop.lily.id, "quantity": "1"})
    form = {"delivery": "express", "address_id": shop.address.id, "submit": "1"}
    page = client.post("/checkout", data={**form, "payment_method": "cash_at_pickup"})
    assert page.status_code == 200
    assert "Delivery to an address is paid online" in page.text
    assert db.session.scalar(db.select(Order)) is None


def test_an_express_checkout_keeps_a_copy_of_the_address(app, client, auth, express_shop):
    shop = express_shop
    if "payments.start_checkout" not in app.view_functions:
        app.add_url_rule("/test-pay/<int:order_id>", "payments.start_checkout", lambda order_id: "")
    auth.login("buyer@example.com")
    client.post("/cart/add", data={"product_id": shop.lily.id, "quantity": "3"})
    form = {"delivery": "express", "address_id": shop.address.id, "submit": "1"}
    response = client.post("/checkout", data={**form, "payment_method": "stripe"})
    assert response.status_code == 307
    order = db.session.scalar(db.select(Order))
    assert order.delivery == Delivery.express and order.pickup_station_id is None
    assert (order.goods_fen, order.shipping_fen) == (9000, 2000)
    assert order.fulfilments[0].shipping_fen == 2000
    addresses.update_address(shop.address, {"street": "别处2号"})
    db.session.commit()
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.ship_street == "望京街1号" and order.ship_district_name == "朝阳区"
    page = client.get(f"/orders/{order.reference}").text
    assert "139****5678" in page and "望京街1号" in page
