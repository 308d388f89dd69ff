"""Refunds of a fulfilment, whole or in part: through Stripe, or as cash at the pickup point."""

import pytest

from marketplace import transaction
from marketplace.errors import Conflict, DomainError
from marketplace.extensions import db
from marketplace.households.models import IncomeEntry, IncomeKind
from marketplace.logistics.models import CashKind, CashMovement
from marketplace.orders.actions import recognise_income_if_due
from marketplace.orders.models import FulfilmentStatus as F
from marketplace.orders.models import Order
from marketplace.orders.status import mark_paid, move_fulfilment
from marketplace.payments import services, stripe_gateway
from marketplace.payments.models import Payment, PaymentProvider, Refund, RefundStatus
from marketplace.status import events_for
from tests.payments.conftest import open_checkout


@pytest.fixture
def paid_online_order(app, create_order, create_lot, create_product, stripe_standin, send_event):
    """An online order of 2 x ¥25.00 plus ¥8.00 delivery, paid through the webhook."""
    lot = create_lot(product=create_product(price_fen=2500), quantity=10)
    order = create_order(items=[(lot, 2)], shipping_fen=800)
    payment = open_checkout(order)
    send_event("checkout.session.completed", stripe_standin.pay(payment.provider_ref))
    db.session.expire_all()
    return db.session.get(Order, order.id)


def _deliver(fulfilment):
    for status in (F.packed, F.ready_for_pickup, F.delivered):
        move_fulfilment(fulfilment, status)


def test_a_partial_then_a_full_refund_go_back_through_stripe(paid_online_order, stripe_standin):
    fulfilment = paid_online_order.fulfilments[0]
    assert services.refundable_fen(fulfilment) == 5800

    first = services.refund_fulfilment(fulfilment, 2500, "One bag was crushed", by=None)
    transaction.commit()  # sends it to Stripe
    second = services.refund_fulfilment(fulfilment, 3300, "Buyer returned the rest", by=None)
    transaction.commit()  # sends it to Stripe

    assert [r.status for r in (first, second)] == [RefundStatus.succeeded] * 2
    sent = stripe_standin.posts_to("/v1/refunds")
    assert [int(call["params"]["amount"]) for call in sent] == [2500, 3300]
    assert [call["key"] for call in sent] == [f"refund-{first.id}", f"refund-{second.id}"]
    assert {r["id"] for r in stripe_standin.refunds.values()} == {
        first.provider_ref,
        second.provider_ref,
    }
    assert services.refundable_fen(fulfilment) == 0
    with pytest.raises(Conflict):
        services.refund_fulfilment(fulfilment, 1, "Once more", by=None)


def test_a_refund_larger_than_what_is_left_is_refused(paid_online_order, stripe_standin):
    fulfilment = paid_online_order.fulfilments[0]
    services.refund_fulfilment(fulfilment, 5000, "Most of it", by=None)
    transaction.commit()  # sends it to Stripe

    with pytest.raises(DomainError, match="at most ¥8.00"):
        services.refund_fulfilment(fulfilment, 801, "A little more", by=None)
    db.session.rollback()

    assert len(stripe_standin.posts_to("/v1/refunds")) == 1
    assert db.session.scalar(db.select(db.func.count(Refund.id))) == 1


def test_the_refund_page_says_when_stripe_cannot_be_reached(
    app, client, auth, paid_online_order, create_user, closed_port_url
):
    fulfilment = paid_online_order.fulfilments[0]
    create_user(email="admin@example.com", roles=["admin"])
    app.config["STRIPE_API_BASE"] = closed_port_url
    auth.login("admin@example.com")

    done = client.post(
        f"/payments/fulfilments/{fulfilment.id}/refund",
        data={"amount": "10.00", "reason": "Bruised"},
        follow_redirects=True,
    )

    assert "nothing was refunded" in done.get_data(as_text=True)
    db.session.expire_all()
    assert services.refundable_fen(fulfilment) == 5800


def test_the_refund_page_refuses_more_than_is_left_and_sends_nothing(
    client, auth, paid_online_order, create_user, stripe_standin
):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    fulfilment_id = paid_online_order.fulfilments[0].id

    response = client.post(
        f"/payments/fulfilments/{fulfilment_id}/refund",
        data={"amount": "58.01", "reason": "Too much"},
    )

    assert response.status_code == 400
    assert "You can refund at most ¥58.00 for this parcel." in response.get_data(as_text=True)
    assert stripe_standin.posts_to("/v1/refunds") == []


def test_a_manager_refunds_on_the_page_and_the_buyer_sees_it_on_the_order(
    client, auth, paid_online_order, create_user
):
    fulfilment = paid_online_order.fulfilments[0]
    manager = create_user(email="manager@example.com", roles=["cooperative_manager"])
    fulfilment.cooperative.managers.append(manager)
    db.session.commit()
    auth.login("manager@example.com")

    page = client.get(f"/payments/fulfilments/{fulfilment.id}/refund")
    done = client.post(
        f"/payments/fulfilments/{fulfilment.id}/refund",
        data={"amount": "12.50", "reason": "Half a bag was spoiled"},
        follow_redirects=True,
    )

    assert 'value="58.00"' in page.get_data(as_text=True)
    assert "Refunded ¥12.50." in done.get_data(as_text=True)
    auth.logout()
    auth.login("buyer@example.com")
    html = client.get(f"/payments/orders/{paid_online_order.id}/return").get_data(as_text=True)
    assert "Half a bag was spoiled" in html
    assert "−¥12.50" in html


@pytest.mark.parametrize(
    "who, expected",
    [(None, 302), ("buyer", 403), ("other manager", 403), ("manager", 200), ("admin", 200)],
)
def test_only_administrators_and_the_cooperatives_managers_may_refund(
    client, auth, paid_online_order, create_user, create_cooperative, who, expected
):
    fulfilment = paid_online_order.fulfilments[0]
    manager = create_user(email="manager@example.com", roles=["cooperative_manager"])
    fulfilment.cooperative.managers.append(manager)
    other = create_user(email="other@example.com", roles=["cooperative_manager"])
    create_cooperative(managers=[other])
    create_user(email="admin@example.com", roles=["admin"])
    db.session.commit()
    logins = {
        "buyer": "buyer@example.com",
        "other manager": "other@example.com",
        "manager": "manager@example.com",
        "admin": "admin@example.com",
    }
    if who:
        auth.login(logins[who])

    response = client.get(f"/payments/fulfilments/{fulfilment.id}/refund")

    assert response.status_code == expected


def test_a_cash_refund_is_recorded_as_cash_paid_back_at_the_pickup_point(
    create_order, create_user, stripe_standin
):
    order = create_order(payment_method="cash_at_pickup")
    fulfilment = order.fulfilments[0]
    mark_paid(fulfilment)
    staff = create_user(email="admin@example.com", roles=["admin"])

    refund = services.refund_fulfilment(fulfilment, 1000, "Short weight", by=staff)
    transaction.commit()  # sends it to Stripe

    assert refund.status == RefundStatus.succeeded
    payment = db.session.get(Payment, refund.payment_id)
    assert (payment.provider, payment.amount_fen) == (PaymentProvider.cash, order.total_fen)
    movement = db.session.scalar(db.select(CashMovement))
    assert movement.kind == CashKind.refunded
    assert movement.amount_fen == 1000
    assert movement.station_id == order.pickup_station_id
    assert movement.by_id == staff.id
    assert stripe_standin.requests == []


def test_an_unpaid_cash_order_has_nothing_to_refund(create_order):
    fulfilment = create_order(payment_method="cash_at_pickup").fulfilments[0]

    with pytest.raises(Conflict):
        services.refund_fulfilment(fulfilment, 100, "Nothing paid yet", by=None)


def test_a_refund_after_the_sale_was_recognised_reverses_the_households_income(
    create_order, create_lot, create_product, create_household
):
    household = create_household()
    lot = create_lot(product=create_product(price_fen=1000), contributions=[(household, 10)])
    order = create_order(items=[(lot, 4)], payment_method="cash_at_pickup")
    fulfilment = order.fulfilments[0]
    _deliver(fulfilment)
    mark_paid(fulfilment)
    [sale] = recognise_income_if_due(fulfilment)
    db.session.commit()
    assert sale.amount_fen == 3200  # 80 % of ¥40.00

    refund = services.refund_fulfilment(fulfilment, 1000, "One bag missing", by=None)
    transaction.commit()  # sends it to Stripe

    [reversal] = db.session.scalars(
        db.select(IncomeEntry).where(IncomeEntry.kind == IncomeKind.reversal)
    ).all()
    assert (reversal.amount_fen, reversal.refund_id) == (-800, refund.id)
    assert reversal.household_id == household.id


def test_a_refund_looks_up_the_payment_intent_when_the_webhook_did_not_carry_it(
    paid_online_order, stripe_standin
):
    payment = db.session.scalar(db.select(Payment))
    payment.payment_intent_ref = None
    db.session.commit()

    refund = services.refund_fulfilment(paid_online_order.fulfilments[0], 100, "Late", by=None)
    transaction.commit()  # sends it to Stripe

    assert refund.status == RefundStatus.succeeded
    gets = [r for r in stripe_standin.requests if r["method"] == "GET"]
    assert [r["path"] for r in gets] == [f"/v1/checkout/sessions/{payment.provider_ref}"]
    assert payment.payment_intent_ref in stripe_standin.intents


def test_stripe_unreachable_during_a_refund_refunds_nothing(
    app, paid_online_order, closed_port_url
):
    app.config["STRIPE_API_BASE"] = closed_port_url
    fulfilment = paid_online_order.fulfilments[0]

    refund = services.refund_fulfilment(fulfilment, 100, "Late", by=None)
    transaction.commit()  # Stripe is asked after the commit, and cannot be reached

    # Recorded as failed (with why), so it counts for nothing and can be asked again.
    assert refund.status == RefundStatus.failed and refund.provider_ref is None
    assert services.refundable_fen(fulfilment) == 5800
    assert events_for("refund", refund.id)[-1].note.startswith("Stripe:")


def test_the_gateway_replays_a_refund_sent_twice_with_the_same_key(
    paid_online_order, stripe_standin
):
    intent = db.session.scalar(db.select(Payment)).payment_intent_ref
    first = stripe_gateway.create_refund(
        payment_intent=intent, amount_fen=300, idempotency_key="refund-42", metadata={}
    )
    again = stripe_gateway.create_refund(
        payment_intent=intent, amount_fen=300, idempotency_key="refund-42", metadata={}
    )

    assert first == again
    assert len(stripe_standin.refunds) == 1


def test_the_demo_records_each_paid_cash_fulfilment_once(create_order):
    from marketplace.payments import demo

    order = create_order(payment_method="cash_at_pickup")
    mark_paid(order.fulfilments[0])
    create_order(payment_method="cash_at_pickup")  # not paid yet

    demo.load()
    demo.load()

    [payment] = db.session.scalars(db.select(Payment)).all()
    assert payment.fulfilment_id == order.fulfilments[0].id
    assert payment.amount_fen == order.total_fen
