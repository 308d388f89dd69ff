"""The `unpaid-orders` job: an online order whose time to pay has passed is settled with
Stripe (the stand-in) by `flask jobs run-due`, even when no webhook ever arrives."""

import threading

import pytest

from marketplace.extensions import db
from marketplace.jobs import runner as jobs
from marketplace.jobs.models import JobRun
from marketplace.orders.models import FulfilmentStatus, OrderStatus
from marketplace.payments.models import Payment, PaymentStatus


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PAYMENT_HOLD_MINUTES": 0}


def _reload(*objects):
    for obj in objects:
        db.session.refresh(obj)


def test_an_unpaid_order_past_its_hold_is_expired_at_stripe_and_its_stock_returns(
    runner, checkout, stripe_standin
):
    order, lot, payment = checkout(quantity=4)
    _reload(lot)
    assert lot.remaining == 6

    result = runner.invoke(args=["jobs", "run-due"])

    assert result.exit_code == 0, result.output
    assert "unpaid-orders" in result.output and "expired at Stripe" in result.output
    assert stripe_standin.sessions[payment.provider_ref]["status"] == "expired"
    assert len(stripe_standin.posts_to(f"/v1/checkout/sessions/{payment.provider_ref}/expire")) == 1
    _reload(order, lot, payment)
    assert order.status == OrderStatus.cancelled
    assert payment.status == PaymentStatus.expired
    assert lot.remaining == 10
    # A second run in the same period does nothing; the order is no longer waiting either.
    again = runner.invoke(args=["jobs", "run-due"])
    assert "unpaid-orders" not in again.output


def test_a_paid_session_found_by_the_job_confirms_the_order_once(
    runner, checkout, stripe_standin, send_event
):
    order, lot, payment = checkout(quantity=4)
    paid = stripe_standin.pay(payment.provider_ref)  # the webhook is lost

    result = runner.invoke(args=["jobs", "run-due"])

    assert "paid: confirmed" in result.output, result.output
    _reload(order, lot, payment)
    assert order.status == OrderStatus.confirmed
    assert payment.status == PaymentStatus.succeeded
    assert {f.status for f in order.fulfilments} == {FulfilmentStatus.to_pack}
    assert lot.remaining == 6
    assert stripe_standin.posts_to(f"/v1/checkout/sessions/{payment.provider_ref}/expire") == []
    # The webhook arriving late changes nothing: the same handler finds it already paid.
    response = send_event("checkout.session.completed", paid)
    assert response.status_code == 200
    _reload(order)
    assert order.status == OrderStatus.confirmed
    succeeded = db.session.scalars(
        db.select(Payment).where(Payment.status == PaymentStatus.succeeded)
    ).all()
    assert len(succeeded) == 1
    assert stripe_standin.posts_to("/v1/refunds") == []


def test_two_run_due_at_the_same_moment_do_each_thing_once(app, checkout, stripe_standin):
    order, lot, payment = checkout(quantity=4)
    db.session.commit()
    moment = jobs.utcnow()
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def run_due():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                outcomes.extend(jobs.run_due(now=moment))
            except Exception as exc:  # pragma: no cover - shown by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run_due) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert [o.job for o in outcomes].count("unpaid-orders") == 1
    assert [o.job for o in outcomes].count("reconcile") == 1
    runs = db.session.scalars(db.select(JobRun).where(JobRun.job == "unpaid-orders")).all()
    assert len(runs) == 1
    assert len(stripe_standin.posts_to(f"/v1/checkout/sessions/{payment.provider_ref}/expire")) == 1
    _reload(lot, order)
    assert lot.remaining == 10
    assert order.status == OrderStatus.cancelled
