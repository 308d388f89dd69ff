"""Payments fixtures: the Stripe stand-in served on 127.0.0.1, an app configured to use it,
signed webhook deliveries, and orders placed through the real checkout."""

import itertools
import json
import socket
import threading

import pytest
from werkzeug.serving import make_server

from marketplace import transaction
from marketplace.extensions import db
from marketplace.payments import services
from marketplace.payments.models import Payment

from .stripe_standin import StripeStandin, sign

WEBHOOK_SECRET = "whsec_test_standin"
_numbers = itertools.count(1)


@pytest.fixture
def stripe_standin():
    """The stand-in Stripe API, served in a thread until the test ends."""
    standin = StripeStandin()
    server = make_server("127.0.0.1", 0, standin, threaded=True)
    standin.url = f"http://127.0.0.1:{server.server_port}"
    # A short poll interval so shutting the server down after each test is quick.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield standin
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def app_config(app_config, stripe_standin):
    """Stripe configured, every API call going to the stand-in."""
    return {
        **app_config,
        "STRIPE_SECRET_KEY": stripe_standin.api_key,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": stripe_standin.url,
        # Fail at once in tests; production retries (safely, with idempotency keys).
        "STRIPE_MAX_NETWORK_RETRIES": 0,
    }


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services called straight from a test may raise errors with translated messages, and
    choosing their language reads the request (cookie, Accept-Language)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def closed_port_url():
    """An address on 127.0.0.1 where nothing listens: Stripe unreachable."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def send_event(client, stripe_standin):
    """send_event(type, object, event_id=None, secret=..., timestamp=None) -> response."""

    def send(kind, obj, event_id=None, secret=WEBHOOK_SECRET, timestamp=None):
        payload = json.dumps(stripe_standin.event(kind, obj, event_id))
        return client.post(
            "/payments/stripe/webhook",
            data=payload,
            content_type="application/json",
            headers={"Stripe-Signature": sign(payload, secret, timestamp)},
        )

    return send


@pytest.fixture
def buyer(create_user):
    return create_user(email="buyer@example.com", name="Ma Lan")


@pytest.fixture
def create_order(app, buyer, create_lot, create_sale):
    """create_order(items=[(lot, qty)], payment_method="stripe", shipping_fen=0) -> Order,
    placed by `create_sale` through the real checkout (nothing paid, nothing scanned).

    Online orders wait for payment; cash orders are confirmed with the amount due at pickup.
    Checkout charges no shipping until home delivery lands; a test that refunds shipping
    gives the first fulfilment the fee a delivery order will carry.
    """

    def create_order(items=None, payment_method="stripe", shipping_fen=0, buyer_user=None):
        items = items or [(create_lot(quantity=10), 2)]
        by_product = {}
        for lot, quantity in items:
            by_product.setdefault(lot.product, []).append((lot, quantity))
        payment = "cash" if payment_method == "cash_at_pickup" else payment_method
        first = create_sale(
            *by_product.items(), buyer=buyer_user or buyer, payment=payment, until="placed"
        )
        order = first.order
        if shipping_fen:
            first.shipping_fen = shipping_fen
            first.amount_due_fen += shipping_fen
            order.shipping_fen = shipping_fen
            order.total_fen += shipping_fen
            db.session.commit()
        return order

    return create_order


def open_checkout(order, success_url="http://x/ok", cancel_url="http://x/back") -> Payment:
    """Start paying online as the checkout page does: the payment is recorded and committed,
    then the Checkout Session is opened at the stand-in and recorded."""
    start = services.start_checkout(order, success_url, cancel_url)
    transaction.commit()
    services.open_session(start)
    transaction.commit()
    return db.session.get(Payment, start.payment_id)


@pytest.fixture
def checkout(app, create_order, create_lot, stripe_standin):
    """An online order for 4 units of a 10-unit lot, with its Checkout Session open."""

    def checkout(quantity=4, lot=None):
        lot = lot or create_lot(quantity=10)
        order = create_order(items=[(lot, quantity)])
        return order, lot, open_checkout(order)

    return checkout
