"""The station app's sync: a station's expected parcels, and batches of scans recorded offline,
each applied once (by its client id), in the order they were scanned, one refusal leaving
the others applied."""

import base64
import hashlib
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.extensions import db
from marketplace.logistics.models import ParcelScan, PickupCodeFailure
from marketplace.logistics.offline_models import ClientScan
from tests.conftest import make_test_config

from .documented import assert_documented


@pytest.fixture
def lily(network, place_cash_order):
    """place() -> (parcel code, pickup code) of a new cash order of 2 lilies (60.00 due)."""

    def place():
        part = place_cash_order(lily=2)["fulfilments"][0]
        return part["parcel_code"], part["pickup_code"]

    return place


_clock = [datetime(2026, 12, 7, 1, 0, tzinfo=UTC)]


def scan(network, code, at, action, minutes=None, client_id=None, **extra):
    """One scan as the phone records it (device time a minute after the last one)."""
    if minutes is None:
        _clock[0] += timedelta(minutes=1)
        moment = _clock[0]
    else:
        moment = datetime(2026, 12, 7, 1, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    return {
        "client_id": client_id or str(uuid.uuid4()),
        "parcel_code": code,
        "station_id": network.stations[at].id,
        "action": action,
        "scanned_at": moment.isoformat().replace("+00:00", "Z"),
        **extra,
    }


def send(api_as, user, *scans):
    status, body = api_as(user).post("/scans/batch", {"scans": list(scans)})
    assert status == 200, body
    assert_documented(body, "ScanBatchResults")
    return body["results"]


def statuses(results):
    return [r["status"] for r in results]


def count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_batch_applies_in_order_and_the_same_scans_again_are_duplicates(api_as, network, lily):
    code, _ = lily()
    op = network.operators["lily_point"]
    batch = [
        scan(network, code, "lily_point", "received"),
        scan(network, code, "lily_point", "departed"),
    ]
    results = send(api_as, op, *batch)
    assert statuses(results) == ["applied", "applied"]
    assert [r["client_id"] for r in results] == [s["client_id"] for s in batch]
    assert results[-1]["parcel"]["status"] == "in_transit"
    assert count(ParcelScan) == 2

    again = send(api_as, op, *batch)
    assert statuses(again) == ["duplicate", "duplicate"]
    assert count(ParcelScan) == 2 and count(ClientScan) == 2

    # The event keeps the phone's time and the time it reached the server.
    row = db.session.scalar(
        db.select(ClientScan).where(ClientScan.client_id == batch[0]["client_id"])
    )
    assert row.scanned_at == datetime.fromisoformat(batch[0]["scanned_at"]).replace(tzinfo=None)
    assert row.received_at > row.scanned_at
    assert row.scan.at == row.scanned_at


def test_a_phone_clock_running_ahead_does_not_date_the_scan_in_the_future(api_as, network, lily):
    code, _ = lily()
    ahead = {
        **scan(network, code, "lily_point", "received"),
        "scanned_at": "2099-01-01T08:00:00+08:00",
    }
    assert statuses(send(api_as, network.operators["lily_point"], ahead)) == ["applied"]
    row = db.session.scalar(db.select(ClientScan))
    assert row.scanned_at == datetime(2099, 1, 1, 0, 0)  # kept as the phone said, in UTC
    assert row.scan.at <= row.received_at


def test_the_same_client_id_twice_in_one_batch_applies_once(api_as, network, lily):
    code, _ = lily()
    one = scan(network, code, "lily_point", "received")
    results = send(api_as, network.operators["lily_point"], one, dict(one))
    assert statuses(results) == ["applied", "duplicate"]
    assert count(ParcelScan) == 1


def test_scans_arriving_out_of_order_apply_in_the_order_they_were_scanned(api_as, network, lily):
    code, _ = lily()
    op = network.operators["lily_point"]
    received = scan(network, code, "lily_point", "received", minutes=1)
    departed = scan(network, code, "lily_point", "departed", minutes=2)
    results = send(api_as, op, departed, received)
    assert statuses(results) == ["applied", "applied"]
    scans = db.session.scalars(db.select(ParcelScan).order_by(ParcelScan.id)).all()
    assert [str(s.action) for s in scans] == ["received", "departed"]


def test_a_later_step_sent_before_the_earlier_one_is_refused_then_applies(api_as, network, lily):
    code, _ = lily()
    op = network.operators["lily_point"]
    departed = scan(network, code, "lily_point", "departed", minutes=2)
    [refused] = send(api_as, op, departed)
    assert refused["status"] == "refused" and refused["reason"] == "out_of_order"
    assert refused["message"] and refused["advice"]
    send(api_as, op, scan(network, code, "lily_point", "received", minutes=1))
    assert statuses(send(api_as, op, departed)) == ["applied"]


def test_one_refused_scan_leaves_the_others_applied(api_as, network, lily):
    first, second, third = lily()[0], lily()[0], lily()[0]
    op = network.operators["lily_point"]
    results = send(
        api_as,
        op,
        scan(network, first, "lily_point", "received"),
        scan(network, second, "lily_point", "departed"),  # not received yet
        scan(network, third, "lily_point", "received"),
        scan(network, "PNOSUCHONE", "lily_point", "received"),
    )
    assert statuses(results) == ["applied", "refused", "applied", "refused"]
    assert [r["reason"] for r in results] == [None, "out_of_order", None, "unknown_parcel"]
    assert results[1]["parcel"]["status"] == "awaiting_handover"
    assert count(ParcelScan) == 2 and count(ClientScan) == 2


def test_a_scan_of_a_cancelled_order_is_refused_with_its_reason(api_as, network, place_cash_order):
    order = place_cash_order(lily=1)
    code = order["fulfilments"][0]["parcel_code"]
    status, _ = api_as(network.buyer).post(f"/orders/{order['id']}/cancel")
    assert status == 200
    [result] = send(
        api_as, network.operators["lily_point"], scan(network, code, "lily_point", "received")
    )
    assert result["status"] == "refused" and result["reason"] == "order_cancelled"
    assert "cancelled" in result["message"] or "取消" in result["message"]


def test_another_stations_scans_are_refused_without_showing_the_parcel(api_as, network, lily):
    code, _ = lily()
    [result] = send(
        api_as, network.operators["liujiaxia"], scan(network, code, "lily_point", "received")
    )
    assert (result["status"], result["reason"], result["parcel"]) == (
        "refused",
        "not_your_station",
        None,
    )


def _walk_to_pickup(api_as, network, code):
    steps = [
        ("lily_point", "received"),
        ("lily_point", "departed"),
        ("liujiaxia", "arrived"),
        ("liujiaxia", "departed"),
    ]
    for at, action in steps:
        assert statuses(send(api_as, network.operators[at], scan(network, code, at, action))) == [
            "applied"
        ]


def test_a_hand_over_checks_the_real_pickup_code_and_counts_wrong_ones(api_as, network, lily):
    code, pickup = lily()
    _walk_to_pickup(api_as, network, code)
    op = network.operators["pickup_point"]
    wrong = "000000" if pickup != "000000" else "111111"
    results = send(
        api_as,
        op,
        scan(network, code, "pickup_point", "arrived"),
        scan(
            network, code, "pickup_point", "handed_over", pickup_code=wrong, cash_received_fen=6000
        ),
    )
    assert statuses(results) == ["applied", "refused"]
    assert results[1]["reason"] == "wrong_pickup_code"
    assert count(PickupCodeFailure) == 1  # kept although the scan was refused
    results = send(
        api_as,
        op,
        scan(
            network, code, "pickup_point", "handed_over", pickup_code=pickup, cash_received_fen=6000
        ),
    )
    assert statuses(results) == ["applied"]
    assert results[0]["parcel"]["fulfilment"]["status"] == "delivered"


def test_a_bad_scan_is_a_400_naming_it(api_as, network, lily):
    code, _ = lily()
    op = api_as(network.operators["lily_point"])
    good = scan(network, code, "lily_point", "received")
    for bad, field in [
        ({**good, "client_id": "nope"}, "scans[1].client_id"),
        ({**good, "action": "lost"}, "scans[1].action"),
        ({**good, "scanned_at": "yesterday"}, "scans[1].scanned_at"),
        ({**good, "colour": "red"}, "scans[1].colour"),
    ]:
        status, error = op.post("/scans/batch", {"scans": [good, bad]})
        assert (status, list(error["fields"])) == (400, [field])
    assert count(ParcelScan) == 0
    status, _ = op.post("/scans/batch", {"scans": []})
    assert status == 400


def test_buyers_and_anonymous_callers_may_not_send_scans(client, api_as, network, lily):
    code, _ = lily()
    status, _ = api_as(network.buyer).post(
        "/scans/batch", {"scans": [scan(network, code, "lily_point", "received")]}
    )
    assert status == 403
    response = client.post("/api/v1/scans/batch", json={"scans": []})
    assert response.status_code == 401


def test_the_expected_parcels_carry_the_next_scan_and_a_pickup_check(api_as, network, lily):
    code, pickup = lily()
    status, body = api_as(network.operators["lily_point"]).get(
        f"/stations/{network.stations['lily_point'].id}/expected"
    )
    assert status == 200
    assert_documented(body, "ExpectedParcels")
    [parcel] = body["parcels"]
    assert (parcel["parcel_code"], parcel["next_action"]) == (code, "received")
    assert parcel["later_actions"] == ["departed"]
    assert parcel["pickup_check"] is None and parcel["amount_due_fen"] == 6000
    assert parcel["buyer_masked_name"] == "马*花"

    _walk_to_pickup(api_as, network, code)
    status, body = api_as(network.operators["pickup_point"]).get(
        f"/stations/{network.stations['pickup_point'].id}/expected"
    )
    [parcel] = body["parcels"]
    assert (parcel["next_action"], parcel["later_actions"]) == ("arrived", ["handed_over"])
    check = parcel["pickup_check"]
    assert pickup not in str(check)
    digest = hashlib.pbkdf2_hmac(
        "sha256", pickup.encode(), base64.b64decode(check["salt"]), check["iterations"]
    )
    assert digest.hex()[: check["bits"] // 4] == check["prefix"]
    assert check["bits"] <= 16  # a stolen phone cannot tell the code from many others

    status, _ = api_as(network.operators["lily_point"]).get(
        f"/stations/{network.stations['pickup_point'].id}/expected"
    )
    assert status == 403


class TestSessionCookie:
    """The station app calls the API with the site's session; a POST needs the CSRF header."""

    @pytest.fixture
    def app_config(self, database_url, upload_dir, _migrated):
        return make_test_config(database_url, upload_dir, WTF_CSRF_ENABLED=True)

    def test_the_session_works_and_a_post_needs_the_csrf_header(self, app, client, network, lily):
        code, _ = lily()
        with client.session_transaction() as session:
            session["_user_id"] = network.operators["lily_point"].get_id()
            session["_fresh"] = True
        station = network.stations["lily_point"]
        response = client.get(f"/api/v1/stations/{station.id}/expected")
        assert response.status_code == 200 and response.get_json()["parcels"]
        body = {"scans": [scan(network, code, "lily_point", "received")]}
        response = client.post("/api/v1/scans/batch", json=body)
        assert response.status_code == 400
        assert count(ParcelScan) == 0
        token = client.get("/station-app/csrf").get_json()["csrf_token"]
        response = client.post("/api/v1/scans/batch", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 200
        assert statuses(response.get_json()["results"]) == ["applied"]


class TestConcurrentBatches:
    @pytest.fixture
    def app_config(self, database_url, upload_dir, _migrated):
        engine = {"pool_pre_ping": True, "pool_size": 6, "max_overflow": 0}
        if database_url.startswith("sqlite"):
            engine["connect_args"] = {"timeout": 60}
        return make_test_config(database_url, upload_dir, SQLALCHEMY_ENGINE_OPTIONS=engine)

    def test_two_batches_with_the_same_client_id_at_once_apply_it_once(
        self, app, bearer, network, lily
    ):
        code, _ = lily()
        other, _ = lily()
        op = network.operators["lily_point"]
        headers = bearer(op)
        shared = scan(network, code, "lily_point", "received")
        batches = [
            [shared, scan(network, other, "lily_point", "received")],
            [dict(shared)],
        ]
        db.session.close()
        start = threading.Barrier(len(batches))
        answers = [None] * len(batches)

        def post(i):
            start.wait(timeout=30)
            response = app.test_client().post(
                "/api/v1/scans/batch", json={"scans": batches[i]}, headers=headers
            )
            answers[i] = (response.status_code, response.get_json())

        threads = [threading.Thread(target=post, args=(i,)) for i in range(len(batches))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert [a[0] for a in answers] == [200, 200], answers
        shared_statuses = sorted(
            r["status"]
            for _, body in answers
            for r in body["results"]
            if r["client_id"] == shared["client_id"]
        )
        assert shared_statuses == ["applied", "duplicate"]
        assert count(ClientScan) == 2 and count(ParcelScan) == 2
