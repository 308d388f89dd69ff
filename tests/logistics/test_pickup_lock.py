"""Pickup codes are six digits: after 5 wrong ones within 15 minutes the parcel refuses
every code for 15 minutes (429, `pickup_code_locked`), on the page and in the API, counted
in the database although each refused request rolls back."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from marketplace import transaction
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.logistics.models import Parcel, ParcelStatus, PickupCodeFailure, Station
from marketplace.logistics.scans import PickupRefused, pickup_locked_until, record_scan

from .test_operator_pages import _deliver_to_b

pytestmark = pytest.mark.usefixtures("english")


def _wrong(parcel):
    return "000000" if parcel.pickup_code != "000000" else "111111"


def _failures(parcel_id):
    stmt = db.select(db.func.count()).where(PickupCodeFailure.parcel_id == parcel_id)
    return db.session.scalar(stmt.select_from(PickupCodeFailure))


def _hand_over(client, line, parcel, code):
    return client.post(
        f"/stations/{line.b.id}/handover",
        data={"code": parcel.code, "pickup_code": code, "cash_received": "50.00"},
    )


def test_five_wrong_codes_lock_the_parcel_even_for_the_right_one(client, auth, line, place_order):
    parcel = place_order(quantity=2, price_fen=2500).parcel
    _deliver_to_b(parcel, line)
    auth.login("op-b@example.com")

    answers = [_hand_over(client, line, parcel, _wrong(parcel)) for _ in range(5)]
    right = _hand_over(client, line, parcel, parcel.pickup_code)

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert b"pickup code is wrong" in answers[0].data
    assert right.status_code == 429 and "Too many wrong pickup codes" in right.get_data(True)
    assert right.headers["Retry-After"]
    db.session.refresh(parcel)
    assert parcel.status == ParcelStatus.ready_for_pickup
    assert _failures(parcel.id) == 5  # a locked try is not even checked
    # The operator sees it on the station's page and on the hand-over form.
    assert 'data-testid="pickup-locked"' in client.get(f"/stations/{line.b.id}").get_data(True)
    form = client.get(f"/stations/{line.b.id}/handover?code={parcel.code}").get_data(True)
    assert 'data-testid="pickup-locked"' in form


def test_the_lock_ends_15_minutes_after_the_fifth_wrong_code(line, place_order):
    parcel = place_order(quantity=2, price_fen=2500).parcel
    _deliver_to_b(parcel, line)
    now = utcnow()
    # Four wrong codes spread over 14 minutes, the fifth now: locked from the fifth on.
    for minutes in (14, 10, 5, 1, 0):
        db.session.add(
            PickupCodeFailure(
                parcel_id=parcel.id, station_id=line.b.id, at=now - timedelta(minutes=minutes)
            )
        )
    db.session.commit()
    assert pickup_locked_until(parcel.id, now) == now + timedelta(minutes=15)
    assert pickup_locked_until(parcel.id, now + timedelta(minutes=14)) is not None
    assert pickup_locked_until(parcel.id, now + timedelta(minutes=15, seconds=1)) is None
    # Wrong codes further apart than the window never lock.
    db.session.execute(db.delete(PickupCodeFailure))
    for minutes in (40, 30, 20, 10, 0):
        db.session.add(
            PickupCodeFailure(
                parcel_id=parcel.id, station_id=line.b.id, at=now - timedelta(minutes=minutes)
            )
        )
    db.session.commit()
    assert pickup_locked_until(parcel.id, now) is None

    record_scan(parcel, line.b, "handed_over", line.ops["B"], pickup_code=parcel.pickup_code,
                cash_received_fen=5000)  # fmt: skip
    db.session.commit()
    assert parcel.status == ParcelStatus.handed_over


def test_concurrent_wrong_codes_never_get_past_five(app, line, place_order):
    parcel = place_order(quantity=2, price_fen=2500).parcel
    _deliver_to_b(parcel, line)
    parcel_id, station_id, operator = parcel.id, line.b.id, line.ops["B"]
    operator_id, user_model, wrong = operator.id, type(operator), _wrong(parcel)
    db.session.close()
    tries = 8
    start = threading.Barrier(tries)

    def guess():
        with app.test_request_context():
            try:
                parcel = db.session.get(Parcel, parcel_id)
                station = db.session.get(Station, station_id)
                by = db.session.get(user_model, operator_id)
                start.wait(timeout=30)
                try:
                    record_scan(parcel, station, "handed_over", by, pickup_code=wrong)
                except PickupRefused as refused:
                    transaction.commit()  # what after_commit does for the views
                    return refused.refusal.details["reason"]
                return "handed over"
            except Exception as exc:
                transaction.rollback()
                return f"error: {exc!r}"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=tries) as pool:
        outcomes = [f.result(timeout=120) for f in [pool.submit(guess) for _ in range(tries)]]

    assert sorted(outcomes) == ["pickup_code_locked"] * 4 + ["wrong_pickup_code"] * 4, outcomes
    assert _failures(parcel_id) == 5
