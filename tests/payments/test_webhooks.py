"""Stripe's webhook: verified, each event applied once, in whatever order events arrive."""

import logging
import time

import pytest

from marketplace.extensions import db
from marketplace.orders.models import FulfilmentStatus, OrderStatus
from marketplace.payments.models import (
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    WebhookEvent,
)
from marketplace.status import StatusEvent


def _count(model, *where):
    return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))


def _order_events(order, to_status):
    return _count(
        StatusEvent,
        StatusEvent.subject == "order",
        StatusEvent.subject_id == order.id,
        StatusEvent.to_status == to_status,
    )


def test_an_order_is_paid_once_even_when_completed_arrives_three_times(
    checkout, stripe_standin, send_event
):
    order, lot, payment = checkout()
    paid = stripe_standin.pay(payment.provider_ref)

    first = send_event("checkout.session.completed", paid, event_id="evt_completed_1")
    again = send_event("checkout.session.completed", paid, event_id="evt_completed_1")
    other = send_event("checkout.session.completed", paid, event_id="evt_completed_2")

    assert [r.status_code for r in (first, again, other)] == [200, 200, 200]
    assert first.json["outcome"] == "paid; order confirmed"
    assert again.json["outcome"] == "already processed"
    assert other.json["outcome"] == "already paid"
    db.session.refresh(order)
    assert order.status == OrderStatus.confirmed
    assert [f.status for f in order.fulfilments] == [FulfilmentStatus.to_pack]
    assert order.fulfilments[0].paid_at is not None
    assert _order_events(order, "confirmed") == 1
    assert db.session.get(Payment, payment.id).status == PaymentStatus.succeeded
    assert db.session.get(Payment, payment.id).payment_intent_ref == paid["payment_intent"]
    assert _count(WebhookEvent) == 2
    db.session.refresh(lot)
    assert lot.remaining == 6


def test_completed_without_the_money_waits_for_the_async_result(
    checkout, stripe_standin, send_event
):
    order, _, payment = checkout()
    unpaid = stripe_standin.pay(payment.provider_ref, payment_status="unpaid")

    send_event("checkout.session.completed", unpaid)
    db.session.refresh(order)
    assert order.status == OrderStatus.pending_payment

    send_event("checkout.session.async_payment_succeeded", dict(unpaid, payment_status="paid"))
    db.session.refresh(order)
    assert order.status == OrderStatus.confirmed


def test_a_failed_async_payment_cancels_the_order_and_releases_the_stock(
    checkout, stripe_standin, send_event
):
    order, lot, payment = checkout()
    unpaid = stripe_standin.pay(payment.provider_ref, payment_status="unpaid")

    send_event("checkout.session.completed", unpaid)
    send_event("checkout.session.async_payment_failed", unpaid)

    db.session.refresh(order)
    db.session.refresh(lot)
    assert order.status == OrderStatus.cancelled
    assert lot.remaining == 10
    assert db.session.get(Payment, payment.id).status == PaymentStatus.failed


def test_an_expired_session_cancels_the_order_and_returns_the_stock_to_its_lot(
    checkout, stripe_standin, send_event
):
    order, lot, payment = checkout()

    response = send_event("checkout.session.expired", stripe_standin.expire(payment.provider_ref))

    assert response.status_code == 200
    db.session.refresh(order)
    db.session.refresh(lot)
    assert order.status == OrderStatus.cancelled
    assert [f.status for f in order.fulfilments] == [FulfilmentStatus.cancelled]
    assert lot.remaining == 10
    assert db.session.get(Payment, payment.id).status == PaymentStatus.expired


def test_completed_after_expired_takes_the_stock_again_when_it_is_still_there(
    checkout, stripe_standin, send_event
):
    order, lot, payment = checkout()
    session_id = payment.provider_ref
    send_event("checkout.session.expired", stripe_standin.expire(session_id))

    response = send_event("checkout.session.completed", stripe_standin.pay(session_id))

    assert response.json["outcome"] == "paid after expiry; stock taken again; order confirmed"
    db.session.refresh(order)
    db.session.refresh(lot)
    assert order.status == OrderStatus.confirmed
    assert [f.status for f in order.fulfilments] == [FulfilmentStatus.to_pack]
    assert lot.remaining == 6
    # The released allocations stay (rows are never deleted); new ones hold the stock again.
    for line in order.lines:
        assert sum(a.quantity for a in line.allocations if a.released_at is None) == line.quantity
    assert _count(Refund) == 0
    assert stripe_standin.refunds == {}


def test_completed_after_expired_refunds_automatically_when_the_stock_is_gone(
    client, auth, checkout, create_order, stripe_standin, send_event
):
    order, lot, payment = checkout(quantity=4)
    session_id = payment.provider_ref
    send_event("checkout.session.expired", stripe_standin.expire(session_id))
    create_order(items=[(lot, 8)])  # someone else bought the released units

    response = send_event("checkout.session.completed", stripe_standin.pay(session_id))

    assert response.json["outcome"] == "paid after expiry; stock gone; refunded automatically"
    db.session.refresh(order)
    db.session.refresh(lot)
    assert order.status == OrderStatus.cancelled
    assert lot.remaining == 2
    refund = db.session.scalar(db.select(Refund))
    assert (refund.amount_fen, refund.status) == (payment.amount_fen, RefundStatus.succeeded)
    [sent] = stripe_standin.refunds.values()
    assert sent["amount"] == payment.amount_fen
    assert stripe_standin.posts_to("/v1/refunds")[0]["key"] == f"refund-auto-{payment.id}"
    auth.login("buyer@example.com")
    html = client.get(f"/payments/orders/{order.id}/return").get_data(as_text=True)
    assert "This order was cancelled." in html
    assert "Refunded automatically: your payment arrived after the order had expired" in html


def test_an_expired_event_after_payment_never_cancels_the_order(
    checkout, stripe_standin, send_event
):
    order, lot, payment = checkout()
    send_event("checkout.session.completed", stripe_standin.pay(payment.provider_ref))

    response = send_event("checkout.session.expired", stripe_standin.expire(payment.provider_ref))

    assert response.status_code == 200
    db.session.refresh(order)
    db.session.refresh(lot)
    assert order.status == OrderStatus.confirmed
    assert lot.remaining == 6


def test_completed_for_an_unknown_session_is_logged_and_changes_nothing(
    checkout, stripe_standin, send_event, caplog, monkeypatch
):
    # Alembic's fileConfig (run by the migrations fixture) disables loggers that existed.
    monkeypatch.setattr(logging.getLogger("marketplace.payments.webhooks"), "disabled", False)
    order, _, payment = checkout()
    stranger = dict(stripe_standin.pay(payment.provider_ref), id="cs_test_not_ours")

    with caplog.at_level(logging.WARNING, logger="marketplace.payments.webhooks"):
        response = send_event("checkout.session.completed", stranger)

    assert response.status_code == 200
    assert response.json["outcome"] == "unknown session"
    assert "cs_test_not_ours" in caplog.text
    db.session.refresh(order)
    assert order.status == OrderStatus.pending_payment
    assert db.session.get(Payment, payment.id).status == PaymentStatus.pending


@pytest.mark.parametrize(
    "secret, age_seconds",
    [("whsec_wrong", 0), ("whsec_test_standin", 301)],
    ids=["bad signature", "stale timestamp"],
)
def test_a_webhook_with_a_bad_or_stale_signature_is_refused_and_changes_nothing(
    checkout, stripe_standin, send_event, secret, age_seconds
):
    order, _, payment = checkout()
    paid = stripe_standin.pay(payment.provider_ref)

    response = send_event(
        "checkout.session.completed",
        paid,
        secret=secret,
        timestamp=int(time.time()) - age_seconds,
    )

    assert response.status_code == 400
    db.session.refresh(order)
    assert order.status == OrderStatus.pending_payment
    assert _count(WebhookEvent) == 0


def test_a_webhook_without_a_signature_is_refused(client):
    response = client.post("/payments/stripe/webhook", data="{}", content_type="application/json")

    assert response.status_code == 400
    assert _count(WebhookEvent) == 0


def test_events_we_do_not_act_on_are_acknowledged(send_event):
    response = send_event("customer.created", {"id": "cus_1", "object": "customer"})

    assert response.status_code == 200
    assert response.json["outcome"].startswith("ignored")


def test_money_arriving_after_a_reported_failure_is_still_used(
    checkout, stripe_standin, send_event
):
    order, lot, payment = checkout()
    unpaid = stripe_standin.pay(payment.provider_ref, payment_status="unpaid")
    send_event("checkout.session.async_payment_failed", unpaid)

    response = send_event(
        "checkout.session.async_payment_succeeded", dict(unpaid, payment_status="paid")
    )

    assert response.status_code == 200
    db.session.refresh(order)
    db.session.refresh(lot)
    assert order.status == OrderStatus.confirmed
    assert lot.remaining == 6


def test_a_concurrent_second_delivery_fails_on_the_event_row_and_changes_nothing(
    checkout, stripe_standin, send_event, monkeypatch
):
    from marketplace.payments import webhooks

    order, _, payment = checkout()
    paid = stripe_standin.pay(payment.provider_ref)
    send_event("checkout.session.completed", paid, event_id="evt_twice")
    # The second delivery's check ran before the first committed: only the row's primary
    # key stops it, and the view answers "already processed".
    checks = []
    real = webhooks.already_processed

    def first_check_misses(event_id):
        checks.append(event_id)
        return real(event_id) if len(checks) > 1 else False

    monkeypatch.setattr(webhooks, "already_processed", first_check_misses)

    response = send_event("checkout.session.completed", paid, event_id="evt_twice")

    assert response.status_code == 200
    assert response.json["outcome"] == "already processed"
    assert checks == ["evt_twice", "evt_twice"]  # the view asked again after the failure
    assert _count(WebhookEvent) == 1
    assert _order_events(order, "confirmed") == 1
