"""The `uncollected-parcels` job: a parcel nobody collects is reminded after
PICKUP_REMINDER_DAYS, then goes back after PICKUP_HOLD_DAYS: the fulfilment is cancelled,
money paid online refunded, and when its origin point scans it back, shelf-stable units
return to their lot while perishable ones are written off."""

from datetime import timedelta

import pytest

from marketplace.catalog.writeoffs import StockWriteOff
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.jobs import runner as jobs
from marketplace.logistics.itinerary import next_scan
from marketplace.logistics.models import ParcelStatus, Station
from marketplace.logistics.scans import record_scan
from marketplace.notifications.models import Notification, SmsMessage
from marketplace.orders.models import CancelReason, FulfilmentStatus, OrderStatus
from marketplace.payments.models import Refund, RefundStatus
from tests.factories import DEFAULT_PASSWORD
from tests.notifications.conftest import sms_config, sms_standin  # noqa: F401

PHONE = "13900000002"


@pytest.fixture
def app_config(app_config, sms_standin):  # noqa: F811
    return {
        **app_config,
        **sms_config(sms_standin),
        "PICKUP_REMINDER_DAYS": 3,
        "PICKUP_HOLD_DAYS": 7,
    }


def _register_intent(stripe_standin, intent, amount):
    stripe_standin.intents[intent] = {
        "id": intent,
        "amount": amount,
        "currency": "cny",
        "charge": "ch_test_uncollected",
        "refunded": 0,
    }


def _operator(station):
    return station.operators[0]


def _scan_back(parcel):
    while (step := next_scan(parcel)) is not None:
        station = db.session.get(Station, step.station_id)
        record_scan(parcel, station, step.action, _operator(station))
        db.session.commit()
        db.session.refresh(parcel)


def test_a_parcel_not_collected_is_reminded_then_returned_refunded_and_restocked(
    app,
    client,
    auth,
    create_sale,
    create_lot,
    create_user,
    stripe_standin,
    sms_standin,  # noqa: F811
):
    from marketplace.payments.models import Payment

    buyer = create_user(email="far@example.com", name="马兰", phone=PHONE)
    lot = create_lot(quantity=10)
    fulfilment = create_sale(
        (lot.product, [(lot, 3)]), buyer=buyer, payment="stripe", until="ready"
    )
    order, parcel = fulfilment.order, fulfilment.parcel
    payment = db.session.scalars(db.select(Payment).where(Payment.order_id == order.id)).one()
    _register_intent(stripe_standin, payment.payment_intent_ref, order.total_fen)
    db.session.refresh(lot)
    assert lot.remaining == 7
    now = utcnow()

    # Day 4: reminded (inbox and SMS with the code and the day it goes back); once only.
    jobs.run_due(now=now + timedelta(days=4))
    jobs.run_due(now=now + timedelta(days=4, hours=2))
    templates = [m["template"] for m in sms_standin.to(PHONE)]
    assert templates.count("SMS_PICKUP_REMINDER") == 1
    reminder = next(m for m in sms_standin.to(PHONE) if m["template"] == "SMS_PICKUP_REMINDER")
    assert reminder["params"]["pickup_code"] == parcel.pickup_code
    db.session.refresh(fulfilment)
    assert fulfilment.status == FulfilmentStatus.ready_for_pickup

    # Day 8: it goes back, the fulfilment is cancelled and the money refunded at Stripe.
    outcomes = jobs.run_due(now=now + timedelta(days=8))
    assert any(o.job == "uncollected-parcels" and o.result.get("returned") == 1 for o in outcomes)
    db.session.refresh(fulfilment)
    db.session.refresh(order)
    db.session.refresh(parcel)
    assert fulfilment.status == FulfilmentStatus.cancelled
    assert (order.status, order.cancel_reason) == (
        OrderStatus.cancelled,
        CancelReason.not_collected,
    )
    assert parcel.status == ParcelStatus.at_station and parcel.is_returning
    [refund] = db.session.scalars(db.select(Refund)).all()
    assert (refund.amount_fen, refund.status) == (order.total_fen, RefundStatus.succeeded)
    assert refund.idempotency_key == f"refund-return-{fulfilment.id}"
    assert len(stripe_standin.posts_to("/v1/refunds")) == 1
    # The station's page lists it among the parcels to send back.
    from marketplace.logistics.services import parcels_to_return

    station = db.session.get(Station, parcel.current_station_id)
    assert parcel in parcels_to_return(station)
    auth.login(_operator(station).email, DEFAULT_PASSWORD)
    page = client.get(f"/stations/{station.id}").get_data(as_text=True)
    assert 'data-testid="returns"' in page and parcel.code in page
    # The stock comes back only when the origin point receives the parcel.
    db.session.refresh(lot)
    assert lot.remaining == 7
    _scan_back(parcel)
    db.session.refresh(lot)
    assert parcel.status == ParcelStatus.returned
    assert lot.remaining == 10
    # The buyer heard about each step, once; texts went out once each.
    jobs.run_due(now=now + timedelta(days=9))
    kinds = sorted(db.session.scalars(db.select(Notification.kind)).all())
    assert kinds == ["parcel_ready", "parcel_returned", "pickup_reminder", "refund"]
    assert db.session.scalar(db.select(db.func.count(SmsMessage.id))) == 4
    assert sorted(m["template"] for m in sms_standin.to(PHONE)) == sorted(
        ["SMS_PARCEL_READY", "SMS_PICKUP_REMINDER", "SMS_PARCEL_RETURNED", "SMS_REFUND"]
    )


def test_perishable_units_of_a_returned_parcel_are_written_off(
    app,
    create_sale,
    create_lot,
    create_product,
    stripe_standin,  # noqa: F811
):
    lamb = create_product(perishable=True)
    lot = create_lot(product=lamb, quantity=5)
    fulfilment = create_sale((lamb, [(lot, 2)]), payment="cash", until="ready")
    parcel = fulfilment.parcel

    jobs.run_due(now=utcnow() + timedelta(days=8))
    db.session.refresh(parcel)
    _scan_back(parcel)

    db.session.refresh(lot)
    assert lot.remaining == 3
    [written] = db.session.scalars(db.select(StockWriteOff)).all()
    assert (written.lot_id, written.quantity) == (lot.id, 2)
    assert db.session.scalar(db.select(db.func.count(Refund.id))) == 0  # nothing was paid
    # The nightly check still balances: the units left the lot with their allocation.
    from marketplace.reports.reconcile import lots_vs_allocations

    assert lots_vs_allocations() == []
