"""Payments fixtures: the Stripe stand-in served on 127.0.0.1, an app configured to use it,
signed webhook deliveries, and orders built directly from model rows."""

import itertools
import json
import socket
import threading

import pytest
from werkzeug.serving import make_server

from marketplace import transaction
from marketplace.extensions import db
from marketplace.orders.models import (
    Fulfilment,
    FulfilmentStatus,
    LineAllocation,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)
from marketplace.payments import services
from marketplace.payments.models import Payment
from marketplace.status import record_initial_status

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
def create_order(app, buyer, create_station, create_lot):
    """create_order(items=[(lot, qty)], payment_method="stripe", shipping_fen=0) -> Order.

    One fulfilment per cooperative; the units are taken from the given lots as checkout
    would (allocations recorded, lots' remaining lowered). Online orders wait for payment;
    cash orders are confirmed with the amount due at pickup.
    """

    def create_order(items=None, payment_method="stripe", shipping_fen=0, buyer_user=None):
        online = payment_method == "stripe"
        items = items or [(create_lot(quantity=10), 2)]
        order = Order(
            reference=f"LX{next(_numbers):08d}",
            buyer_id=(buyer_user or buyer).id,
            pickup_station_id=create_station().id,
            payment_method=PaymentMethod(payment_method),
            status=OrderStatus.pending_payment if online else OrderStatus.confirmed,
        )
        db.session.add(order)
        db.session.flush()
        fulfilments = {}
        for lot, quantity in items:
            product = lot.product
            fulfilment = fulfilments.get(product.cooperative_id)
            if fulfilment is None:
                fulfilment = Fulfilment(
                    order=order,
                    cooperative_id=product.cooperative_id,
                    status=FulfilmentStatus.pending_payment if online else FulfilmentStatus.to_pack,
                    goods_fen=0,
                    shipping_fen=0,
                )
                fulfilments[product.cooperative_id] = fulfilment
            line = OrderLine(
                order=order,
                fulfilment=fulfilment,
                product_id=product.id,
                product_name=product.name_zh,
                unit=product.unit,
                unit_weight_g=product.unit_weight_g,
                quantity=quantity,
                unit_price_fen=product.price_fen,
                line_fen=quantity * product.price_fen,
            )
            db.session.add(LineAllocation(line=line, lot_id=lot.id, quantity=quantity))
            lot.remaining -= quantity
            fulfilment.goods_fen += line.line_fen
        first = next(iter(fulfilments.values()))
        first.shipping_fen = shipping_fen
        for fulfilment in fulfilments.values():
            if not online:
                fulfilment.amount_due_fen = fulfilment.goods_fen + fulfilment.shipping_fen
        order.goods_fen = sum(f.goods_fen for f in fulfilments.values())
        order.shipping_fen = shipping_fen
        order.total_fen = order.goods_fen + shipping_fen
        db.session.flush()
        record_initial_status(order, "order")
        for fulfilment in fulfilments.values():
            record_initial_status(fulfilment, "fulfilment")
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
