"""Cancelling settles the money: a paid online order is refunded in full, once, through
the Stripe stand-in; an unpaid one has its Checkout Session expired so it can no longer be
paid. And only those who still manage the cooperative may refund."""

import pytest

from marketplace import transaction
from marketplace.accounts.services import set_roles
from marketplace.extensions import db
from marketplace.orders.actions import cancel_order
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentStatus, Refund, RefundStatus
from tests.payments.conftest import open_checkout


def _count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def paid_order(create_order, stripe_standin, send_event):
    order = create_order(shipping_fen=800)
    payment = open_checkout(order)
    send_event("checkout.session.completed", stripe_standin.pay(payment.provider_ref))
    db.session.expire_all()
    return db.session.get(Order, order.id), db.session.get(Payment, payment.id)


def test_a_paid_online_order_cancelled_by_its_buyer_is_refunded_once(
    client, auth, paid_order, stripe_standin
):
    order, payment = paid_order
    assert payment.status == PaymentStatus.succeeded
    auth.login("buyer@example.com")

    done = client.post(f"/orders/{order.reference}/cancel", data={}, follow_redirects=True)
    again = client.post(f"/orders/{order.reference}/cancel", data={}, follow_redirects=True)

    assert done.status_code == 200
    assert (
        f"Your order {order.reference} is cancelled. The payment of ¥58.00 will be refunded "
        "the way you paid within a few days." in done.get_data(as_text=True)
    )
    assert "can no longer be cancelled" in again.get_data(as_text=True)
    [sent] = stripe_standin.posts_to("/v1/refunds")
    assert int(sent["params"]["amount"]) == order.total_fen == 5800
    assert sent["key"] == f"refund-cancel-{payment.id}"
    db.session.expire_all()
    [refund] = db.session.scalars(db.select(Refund)).all()
    assert (refund.amount_fen, refund.status) == (5800, RefundStatus.succeeded)
    assert refund.provider_ref in stripe_standin.refunds
    assert db.session.get(Order, order.id).status == OrderStatus.cancelled
    page = client.get(f"/payments/orders/{order.id}/return").get_data(as_text=True)
    assert "Refunded in full: the order was cancelled." in page


def test_the_cancel_refund_is_sent_with_one_key_whatever_is_retried(
    app, paid_order, stripe_standin, buyer, closed_port_url
):
    order, payment = paid_order
    app.config["STRIPE_API_BASE"] = closed_port_url  # Stripe down when the buyer cancels

    cancel_order(order, by=buyer)
    transaction.commit()

    [refund] = db.session.scalars(db.select(Refund)).all()
    assert refund.status == RefundStatus.pending  # kept, to be sent again
    assert order.status == OrderStatus.cancelled
    app.config["STRIPE_API_BASE"] = stripe_standin.url
    assert services.send_pending_refunds() == 1
    transaction.commit()
    assert services.send_pending_refunds() == 0
    db.session.refresh(refund)
    assert refund.status == RefundStatus.succeeded
    assert [r["key"] for r in stripe_standin.posts_to("/v1/refunds")] == [
        f"refund-cancel-{payment.id}"
    ]
    assert len(stripe_standin.refunds) == 1


def test_cancelling_an_unpaid_online_order_expires_its_checkout_session(
    create_order, stripe_standin, buyer
):
    order = create_order()
    payment = open_checkout(order)

    cancel_order(order, by=buyer)
    transaction.commit()

    expired = stripe_standin.posts_to(f"/v1/checkout/sessions/{payment.provider_ref}/expire")
    assert len(expired) == 1
    assert stripe_standin.sessions[payment.provider_ref]["status"] == "expired"
    db.session.refresh(payment)
    assert payment.status == PaymentStatus.expired
    assert _count(Refund) == 0  # nothing was paid, nothing to give back


def test_a_manager_whose_role_was_revoked_cannot_refund(
    client, auth, paid_order, create_user, stripe_standin
):
    order, _ = paid_order
    fulfilment = order.fulfilments[0]
    manager = create_user(email="manager@example.com", roles=["cooperative_manager"])
    fulfilment.cooperative.managers.append(manager)
    db.session.commit()
    assert services.can_refund(manager, fulfilment)

    set_roles(manager, set())  # still listed as a manager, but no longer one
    db.session.commit()
    auth.login("manager@example.com")
    page = client.get(f"/payments/fulfilments/{fulfilment.id}/refund")
    sent = client.post(
        f"/payments/fulfilments/{fulfilment.id}/refund",
        data={"amount": "10.00", "reason": "Trying anyway"},
    )

    assert (page.status_code, sent.status_code) == (403, 403)
    assert not services.can_refund(manager, fulfilment)
    assert _count(Refund) == 0 and stripe_standin.posts_to("/v1/refunds") == []


def test_the_send_refunds_command_sends_what_stripe_could_not_take(
    app, runner, paid_order, stripe_standin, buyer, closed_port_url
):
    order, payment = paid_order
    app.config["STRIPE_API_BASE"] = closed_port_url
    cancel_order(order, by=buyer)
    transaction.commit()
    app.config["STRIPE_API_BASE"] = stripe_standin.url

    result = runner.invoke(args=["payments", "send-refunds"])

    assert result.exit_code == 0 and "1 refund(s) sent to Stripe" in result.output
    db.session.expire_all()
    assert db.session.scalar(db.select(Refund)).status == RefundStatus.succeeded
