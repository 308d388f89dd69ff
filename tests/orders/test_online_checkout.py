"""With Stripe configured, checkout offers online payment and hands over to the payments pages."""

import pytest
from flask import url_for

from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus
from tests.conftest import make_test_config


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    return make_test_config(database_url, upload_dir, STRIPE_SECRET_KEY="sk_test_stand_in")


def checkout_online(client, auth, shop):
    auth.login("buyer@example.com")
    client.post("/cart/add", data={"product_id": shop.lily.id, "quantity": "1"})
    assert "Pay online" in client.get("/checkout").get_data(as_text=True)
    return client.post(
        "/checkout", data={"pickup_station_id": shop.pickup.id, "payment_method": "stripe"}
    )


def test_an_online_order_waits_for_payment_and_goes_to_the_payment_page(app, client, auth, shop):
    if "payments.start_checkout" not in app.view_functions:
        app.add_url_rule(
            "/test-pay/<int:order_id>", "payments.start_checkout", lambda order_id: "pay"
        )
    response = checkout_online(client, auth, shop)
    order = db.session.scalar(db.select(Order))
    assert order.status == OrderStatus.pending_payment
    with app.test_request_context():
        expected = url_for("payments.start_checkout", order_id=order.id)
    assert response.status_code == 307 and response.headers["Location"] == expected
