"""Stripe's refund events: asynchronous refunds settled by charge.refunded or refund.updated."""

import pytest

from marketplace import transaction
from marketplace.extensions import db
from marketplace.payments import services
from marketplace.payments.models import Refund, RefundStatus


def test_charge_refunded_marks_a_pending_refund_succeeded(
    checkout, stripe_standin, send_event, app
):
    order, _, payment = checkout()
    paid = stripe_standin.pay(payment.provider_ref)
    send_event("checkout.session.completed", paid)
    stripe_standin.refund_status = "pending"
    fulfilment = db.session.get(type(order), order.id).fulfilments[0]
    refund = services.refund_fulfilment(fulfilment, 1000, "Bruised fruit", by=None)
    transaction.commit()  # sends it to Stripe
    assert refund.status == RefundStatus.pending

    send_event("charge.refunded", stripe_standin.charge_for(paid["payment_intent"]))

    assert db.session.get(Refund, refund.id).status == RefundStatus.succeeded


def test_charge_refunded_without_a_refund_list_trusts_the_refunded_total(
    checkout, stripe_standin, send_event
):
    order, _, payment = checkout()
    paid = stripe_standin.pay(payment.provider_ref)
    send_event("checkout.session.completed", paid)
    stripe_standin.refund_status = "pending"
    fulfilment = db.session.get(type(order), order.id).fulfilments[0]
    first = services.refund_fulfilment(fulfilment, 1000, "Late", by=None)
    transaction.commit()  # sends it to Stripe
    charge = stripe_standin.charge_for(paid["payment_intent"], with_refund_list=False)
    second = services.refund_fulfilment(fulfilment, 500, "Also late", by=None)
    transaction.commit()  # sends it to Stripe

    send_event("charge.refunded", charge)

    assert db.session.get(Refund, first.id).status == RefundStatus.succeeded
    assert db.session.get(Refund, second.id).status == RefundStatus.pending


@pytest.mark.parametrize("stripe_status, ours", [("succeeded", "succeeded"), ("failed", "failed")])
def test_refund_updated_settles_an_asynchronous_refund(
    checkout, stripe_standin, send_event, stripe_status, ours
):
    order, _, payment = checkout()
    send_event("checkout.session.completed", stripe_standin.pay(payment.provider_ref))
    stripe_standin.refund_status = "pending"
    fulfilment = db.session.get(type(order), order.id).fulfilments[0]
    refund = services.refund_fulfilment(fulfilment, 700, "Wrong size", by=None)
    transaction.commit()  # sends it to Stripe
    sent = dict(stripe_standin.refunds[refund.provider_ref], status=stripe_status)

    send_event("refund.updated", sent)

    assert db.session.get(Refund, refund.id).status == RefundStatus(ours)
