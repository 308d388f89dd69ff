"""Paying online through the API: with Stripe configured (the local stand-in), an order
placed with payment_method "stripe" waits for payment and returns the Checkout page."""

import socket

from marketplace.catalog.services import available_quantity
from tests.payments.conftest import app_config, stripe_standin

from .documented import assert_documented

# The payments tests' Stripe stand-in and configuration, registered for this module.
STRIPE_FIXTURES = (app_config, stripe_standin)


def _order(network, goods):
    return {
        "lines": [{"product_id": goods.lily.id, "quantity": 2}],
        "pickup_station_id": network.stations["pickup_point"].id,
        "payment_method": "stripe",
    }


def test_an_online_order_returns_its_checkout_page(api_as, network, goods, stripe_standin):
    buyer = api_as(network.buyer)
    status, order = buyer.post("/orders", _order(network, goods))
    assert status == 201, order
    assert_documented(order, "Order")
    assert order["status"] == "pending_payment"
    (session,) = stripe_standin.sessions.values()
    assert order["payment"]["checkout_url"] == session["url"]
    assert session["amount_total"] == 6000 and session["client_reference_id"] == order["reference"]
    assert session["success_url"].endswith(
        f"/payments/orders/{order['id']}/return?session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert {f["status"] for f in order["fulfilments"]} == {"pending_payment"}
    # Reading the order again gives the same page to pay on.
    status, again = buyer.get(f"/orders/{order['id']}")
    assert again["payment"]["checkout_url"] == session["url"]


def test_when_stripe_cannot_be_reached_the_order_is_cancelled_and_stock_released(
    app, api_as, network, goods
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app.config["STRIPE_API_BASE"] = closed
    status, error = api_as(network.buyer).post("/orders", _order(network, goods))
    assert (status, error["error"]) == (409, "checkout_cancelled")
    assert_documented(error, "Error")
    status, order = api_as(network.buyer).get(f"/orders/{error['order_id']}")
    assert order["status"] == "cancelled"
    assert available_quantity(goods.lily) == 10
