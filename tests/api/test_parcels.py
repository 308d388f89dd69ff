"""Parcel scans through the API: who may scan, and every refusal is a 409 with its reason."""

import pytest

from marketplace.extensions import db
from marketplace.logistics.models import ParcelScan

from .documented import assert_documented


@pytest.fixture
def parcel(network, place_cash_order):
    """The lily parcel of a cash order of 2 (60.00 due), walked to the pickup point."""
    part = place_cash_order(lily=2)["fulfilments"][0]
    return {"code": part["parcel_code"], "pickup_code": part["pickup_code"], "due": 6000}


def _scan(api_as, network, code, at, action, operator=None, **extra):
    station = network.stations[at]
    return api_as(operator or network.operators[at]).post(
        f"/parcels/{code}/scans", {"station_id": station.id, "action": action, **extra}
    )


def _to_pickup_point(api_as, network, code):
    for at, action in [
        ("lily_point", "received"),
        ("lily_point", "departed"),
        ("liujiaxia", "arrived"),
        ("liujiaxia", "departed"),
        ("pickup_point", "arrived"),
    ]:
        status, body = _scan(api_as, network, code, at, action)
        assert status == 201, body


def _scans():
    return db.session.scalar(db.select(db.func.count(ParcelScan.id)))


def test_a_scan_answers_with_the_parcels_new_state(api_as, network, parcel):
    status, state = _scan(api_as, network, parcel["code"], "lily_point", "received")
    assert status == 201
    assert state["status"] == "at_station"
    assert state["current_station_id"] == network.stations["lily_point"].id
    assert state["next_scan"] == {
        "station_id": network.stations["lily_point"].id,
        "action": "departed",
    }
    assert state["fulfilment"]["status"] == "packed"
    assert state["scan"]["action"] == "received" and state["scan"]["at"].endswith("Z")


@pytest.mark.parametrize(
    ("at", "action", "reason"),
    [
        ("liujiaxia", "received", "wrong_station"),
        ("lily_point", "departed", "out_of_order"),
        ("lily_point", "handed_over", "out_of_order"),
    ],
)
def test_scans_out_of_order_or_at_the_wrong_station_are_409(
    api_as, network, parcel, at, action, reason
):
    status, error = _scan(api_as, network, parcel["code"], at, action)
    assert status == 409
    assert_documented(error, "Error")
    assert error["error"] == "conflict" and error["reason"] == reason
    assert error["message"]
    assert _scans() == 0


@pytest.mark.parametrize(
    ("pickup_code", "cash", "reason"),
    [
        ("000000x", 6000, "wrong_pickup_code"),
        (None, 6000, "wrong_pickup_code"),
        ("right", 5999, "wrong_cash_amount"),
        ("right", None, "wrong_cash_amount"),
    ],
)
def test_a_hand_over_needs_the_pickup_code_and_the_exact_cash(
    api_as, network, parcel, pickup_code, cash, reason
):
    _to_pickup_point(api_as, network, parcel["code"])
    typed = parcel["pickup_code"] if pickup_code == "right" else pickup_code
    status, error = _scan(
        api_as,
        network,
        parcel["code"],
        "pickup_point",
        "handed_over",
        pickup_code=typed,
        cash_received_fen=cash,
    )
    assert (status, error["reason"]) == (409, reason)
    assert _scans() == 5


def test_the_hand_over_with_code_and_cash_delivers(api_as, network, parcel):
    _to_pickup_point(api_as, network, parcel["code"])
    status, state = _scan(
        api_as,
        network,
        parcel["code"],
        "pickup_point",
        "handed_over",
        pickup_code=parcel["pickup_code"],
        cash_received_fen=parcel["due"],
    )
    assert status == 201
    assert state["status"] == "handed_over" and state["next_scan"] is None
    assert state["fulfilment"]["status"] == "delivered"
    status, error = _scan(api_as, network, parcel["code"], "pickup_point", "handed_over")
    assert (status, error["reason"]) == (409, "no_more_scans")


def test_operators_of_other_stations_and_buyers_may_not_scan(api_as, network, parcel):
    other = network.operators["liujiaxia"]
    status, error = _scan(api_as, network, parcel["code"], "lily_point", "received", other)
    assert (status, error["error"], error["reason"]) == (403, "forbidden", "not_your_station")
    status, error = _scan(api_as, network, parcel["code"], "lily_point", "received", network.buyer)
    assert (status, error["error"]) == (403, "forbidden")
    assert _scans() == 0


def test_an_administrator_may_scan_anywhere(api_as, network, parcel):
    status, _ = _scan(api_as, network, parcel["code"], "lily_point", "received", network.admin)
    assert status == 201


def test_parcel_codes_are_read_as_operators_type_them(api_as, network, parcel):
    typed = " ".join([parcel["code"][:5].lower(), parcel["code"][5:]])
    status, _ = _scan(api_as, network, typed, "lily_point", "received")
    assert status == 201


@pytest.mark.parametrize("code", ["PNOSUCHONE", "P%00X", "P-1"])
def test_unknown_parcels_are_404(api_as, network, parcel, code):
    status, error = _scan(api_as, network, code, "lily_point", "received")
    assert (status, error["error"]) == (404, "not_found")


def test_a_bad_scan_body_is_a_400_naming_the_field(api_as, network, parcel):
    operator = api_as(network.operators["lily_point"])
    path = f"/parcels/{parcel['code']}/scans"
    station_id = network.stations["lily_point"].id
    for body, field in [
        ({"station_id": station_id, "action": "lost"}, "action"),
        ({"station_id": 99999, "action": "received"}, "station_id"),
        (
            {"station_id": station_id, "action": "received", "cash_received_fen": -1},
            "cash_received_fen",
        ),
    ]:
        status, error = operator.post(path, body)
        assert (status, list(error["fields"])) == (400, [field])


def test_five_wrong_pickup_codes_lock_the_parcel_with_429(api_as, network, parcel):
    _to_pickup_point(api_as, network, parcel["code"])
    wrong = "000000" if parcel["pickup_code"] != "000000" else "111111"

    def hand_over(code):
        return _scan(api_as, network, parcel["code"], "pickup_point", "handed_over",
                     pickup_code=code, cash_received_fen=parcel["due"])  # fmt: skip

    answers = [hand_over(wrong) for _ in range(5)]
    status, error = hand_over(parcel["pickup_code"])

    assert [(s, e["reason"]) for s, e in answers] == [(409, "wrong_pickup_code")] * 4 + [
        (429, "pickup_code_locked")
    ]
    assert status == 429
    assert_documented(error, "Error")
    assert error["error"] == "rate_limited" and error["reason"] == "pickup_code_locked"
    assert error["locked_until"].endswith("Z") and error["retry_after"] > 0
    assert _scans() == 5
