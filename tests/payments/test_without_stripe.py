"""The embedded default: no STRIPE_SECRET_KEY, so online payment is simply not offered."""

import pytest

from marketplace.extensions import db
from marketplace.logistics.models import CashMovement
from marketplace.orders.models import OrderStatus
from marketplace.orders.status import mark_paid
from marketplace.payments import services
from marketplace.payments.models import Payment, RefundStatus


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "STRIPE_SECRET_KEY": None,
        "STRIPE_WEBHOOK_SECRET": None,
        "STRIPE_API_BASE": None,
    }


def test_online_payment_is_not_offered_without_a_secret_key(app):
    assert services.online_payment_available() is False


def test_asking_to_pay_online_explains_and_changes_nothing(client, auth, create_order):
    order = create_order()
    auth.login("buyer@example.com")

    response = client.post(f"/payments/orders/{order.id}/checkout", follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "Online payment is not available at the moment." in html
    assert "Pay now" not in html
    db.session.refresh(order)
    assert order.status == OrderStatus.pending_payment
    assert db.session.scalar(db.select(db.func.count(Payment.id))) == 0


def test_the_webhook_answers_400_when_it_is_not_configured(client):
    response = client.post("/payments/stripe/webhook", data="{}", content_type="application/json")

    assert response.status_code == 400


def test_cash_refunds_work_without_stripe(create_order):
    order = create_order(payment_method="cash_at_pickup")
    fulfilment = order.fulfilments[0]
    mark_paid(fulfilment)

    refund = services.refund_fulfilment(fulfilment, order.total_fen, "Order cancelled", by=None)

    assert refund.status == RefundStatus.succeeded
    assert db.session.scalar(db.select(CashMovement)).amount_fen == order.total_fen
