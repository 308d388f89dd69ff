"""Express parcels end at the county centre, are handed to a carrier with a tracking number,
and are delivered by the carrier's signed event, by the buyer's confirmation or
automatically; income is recognised once, from the goods only."""

from datetime import timedelta

import pytest
from click.testing import CliRunner

from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.logistics.models import CarrierEvent, ParcelStatus
from marketplace.orders.actions import auto_confirm_due
from marketplace.orders.models import Delivery, FulfilmentStatus, Order, OrderStatus
from tests.api.documented import assert_documented

from .carrier_standin import AggregatorStandin, sign
from .conftest import income_total, producers_share

F = FulfilmentStatus


@pytest.fixture
def caller(client):
    from marketplace.api.auth import issue_token

    def call(user, method, path, json=None):
        token, _ = issue_token(user, 30)
        db.session.commit()
        headers = {"Authorization": f"Bearer {token}"}
        response = getattr(client, method)(f"/api/v1{path}", headers=headers, json=json)
        return response.status_code, response.get_json(silent=True)

    return call


def hand_over(caller, express, parcel, carrier="sf", tracking_no=None, station=None):
    return caller(
        express.county_op,
        "post",
        f"/parcels/{parcel.code}/scans",
        {
            "station_id": (station or express.centre).id,
            "action": "handed_to_carrier",
            "carrier": carrier,
            "tracking_no": tracking_no or f"SF{parcel.id:013d}",
        },
    )


def test_handed_to_carrier_at_the_last_station_201_elsewhere_409_bad_carrier_400(express, caller):
    order = express.sale(until="ready")
    first, second = order.fulfilments
    assert all(f.parcel.route[-1] == express.centre.id for f in order.fulfilments)
    # Elsewhere on the route (its township, where the parcel was): 409.
    township_op = express.township_ops[0]
    status, body = caller(
        township_op,
        "post",
        f"/parcels/{first.parcel.code}/scans",
        {"station_id": first.parcel.route[1], "action": "handed_to_carrier", "carrier": "sf",
         "tracking_no": "SF1234567890123"},
    )  # fmt: skip
    assert status == 409 and body["reason"] == "wrong_station"
    # A carrier not on the list, or a tracking number that is not one: 400.
    status, body = hand_over(caller, express, first.parcel, carrier="dhl")
    assert status == 400 and "carrier" in body["fields"]
    status, body = hand_over(caller, express, first.parcel, tracking_no="12-34")
    assert status == 400 and "tracking_no" in body["fields"]
    # At the county centre, the route's last station: 201 (a scanner's spaces dropped).
    status, body = hand_over(caller, express, first.parcel, tracking_no="sf 1234 5678 9012 3")
    assert status == 201, body
    assert body["status"] == "handed_to_carrier"
    assert (body["carrier"], body["tracking_no"]) == ("sf", "SF1234567890123")
    assert_documented(body, "ParcelState")
    db.session.expire_all()
    assert first.parcel.carrier_handed_at is not None
    assert first.status == F.in_transit
    # The same carrier's number twice: 409; handed over again: 409.
    status, body = hand_over(caller, express, second.parcel, tracking_no="SF1234567890123")
    assert status == 409 and body["reason"] == "tracking_no_taken"
    status, body = hand_over(caller, express, first.parcel, tracking_no="SF9999999999999")
    assert status == 409


def test_a_signed_delivered_event_completes_one_confirm_receipt_the_other_income_once(
    express, caller, carrier
):
    order = express.sale(until="ready")
    first, second = order.fulfilments
    # A Beijing address, two cooperatives, shipping charged per parcel and paid online.
    assert order.delivery == Delivery.express and order.ship_province_code == "110000"
    assert first.shipping_fen > 0 and second.shipping_fen > 0
    assert order.total_fen == order.goods_fen + first.shipping_fen + second.shipping_fen
    assert all(f.parcel.route[-1] == express.centre.id for f in order.fulfilments)
    hand_over(caller, express, first.parcel, tracking_no="SF0000000000001")
    hand_over(caller, express, second.parcel, carrier="ems", tracking_no="EA123456789CN")
    assert income_total() == 0

    response, _ = carrier.send("SF0000000000001", "in_transit", location="兰州市")
    assert response.status_code == 200
    response, delivered = carrier.send("SF0000000000001", "delivered")
    assert response.status_code == 200 and response.get_json()["outcome"] == "delivered"
    db.session.expire_all()
    assert first.status == F.delivered and second.status == F.in_transit
    assert income_total() == producers_share(first)
    # The same event again, and a new id saying delivered again: nothing more.
    again = carrier.post(delivered)
    assert again.status_code == 200 and again.get_json()["outcome"] == "already processed"
    response, _ = carrier.send("SF0000000000001", "delivered")
    assert response.get_json()["outcome"] == "recorded; already delivered"
    assert income_total() == producers_share(first)

    # Another buyer cannot confirm (404); the buyer confirms the other parcel.
    status, _ = caller(express.other_buyer, "post", f"/orders/{order.id}/confirm-receipt")
    assert status == 404
    status, body = caller(express.buyer, "post", f"/orders/{order.id}/confirm-receipt")
    assert status == 200, body
    assert_documented(body, "OrderDetail")
    assert body["status"] == "completed"
    assert [f["status"] for f in body["fulfilments"]] == ["delivered", "delivered"]
    by_id = {f["id"]: f for f in body["fulfilments"]}
    shown = by_id[first.id]
    assert (shown["carrier"], shown["tracking_no"]) == ("sf", "SF0000000000001")
    assert [e["status"] for e in shown["carrier_events"]] == [
        "in_transit", "delivered", "delivered",
    ]  # fmt: skip
    assert by_id[second.id]["carrier"] == "ems" and by_id[second.id]["carrier_events"] == []
    db.session.expire_all()
    assert income_total() == producers_share(first) + producers_share(second)
    # Shipping is never household income, and confirming again changes nothing.
    status, _ = caller(express.buyer, "post", f"/orders/{order.id}/confirm-receipt")
    assert status == 200
    assert income_total() == producers_share(first) + producers_share(second)


def test_a_forged_or_stale_signature_changes_nothing(express, caller, carrier):
    order = express.sale(until="ready")
    parcel = order.fulfilments[0].parcel
    hand_over(caller, express, parcel, tracking_no="SF0000000000002")
    event = carrier.event("SF0000000000002", "delivered")
    forged = carrier.post(event, secret="not-the-secret")
    stale = carrier.post(event, timestamp=int(utcnow().timestamp()) - 301 - 8 * 3600 * 0)
    no_header = carrier.post(event, signature="t=1,v1=")
    body = b'{"id": "x"}'
    wrong_body = carrier.client.post(
        "/api/v1/carrier-events", data=body,
        headers={"Content-Type": "application/json",
                 "X-Carrier-Signature": sign(b'{"id": "y"}', "whsec_carrier_test")},
    )  # fmt: skip
    for response in (forged, stale, no_header, wrong_body):
        assert response.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(CarrierEvent.id))) == 0
    assert order.fulfilments[0].status == F.in_transit
    assert income_total() == 0
    # The very same event, signed now: accepted.
    assert carrier.post(event).status_code == 200


def test_an_unknown_tracking_number_is_acknowledged_and_ignored(express, carrier):
    response, _ = carrier.send("ZT0000000000099", "delivered", carrier="zto")
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "ignored: unknown tracking number"
    row = db.session.scalar(db.select(CarrierEvent))
    assert row.parcel_id is None


def test_a_bad_event_body_is_400(express, carrier):
    event = carrier.event("SF0000000000003", "lost")
    response = carrier.post(event)
    assert response.status_code == 400 and "status" in response.get_json()["fields"]


def test_confirm_receipt_before_any_parcel_reaches_a_carrier_is_409(express, caller):
    order = express.sale(until="ready")
    status, body = caller(express.buyer, "post", f"/orders/{order.id}/confirm-receipt")
    assert status == 409 and body["reason"] == "not_with_carrier"


def test_auto_confirm_with_zero_days(app, express, caller):
    order = express.sale(until="ready")
    first, second = order.fulfilments
    hand_over(caller, express, first.parcel, tracking_no="SF0000000000004")
    # Ten days by default: nothing is due yet.
    assert auto_confirm_due() == []
    app.config["AUTO_CONFIRM_DAYS"] = 0
    result = CliRunner().invoke(app.cli, ["orders", "auto-confirm"], catch_exceptions=False)
    db.session.expire_all()
    assert f"confirmed {order.reference} {first.parcel.code} sf SF0000000000004" in result.output
    assert "1 parcel(s) confirmed" in result.output
    assert first.status == F.delivered and second.status == F.in_transit
    assert income_total() == producers_share(first)
    # Nothing twice.
    assert auto_confirm_due() == []
    assert income_total() == producers_share(first)


def test_auto_confirm_after_the_configured_days(app, express, caller):
    order = express.sale(until="ready")
    first = order.fulfilments[0]
    hand_over(caller, express, first.parcel, tracking_no="SF0000000000005")
    handed = first.parcel.carrier_handed_at
    assert auto_confirm_due(now=handed + timedelta(days=9, hours=23)) == []
    confirmed = auto_confirm_due(now=handed + timedelta(days=10))
    db.session.commit()
    assert [f.id for f in confirmed] == [first.id]
    assert db.session.get(Order, order.id).status == OrderStatus.confirmed  # the other waits


def test_the_hand_over_subscribes_the_tracking_number_after_the_commit(app, express, caller):
    order = express.sale(until="ready")
    parcel = order.fulfilments[0].parcel
    with AggregatorStandin() as aggregator:
        app.config.update(CARRIER_API_BASE=aggregator.url, CARRIER_API_KEY="key_test")
        status, _ = hand_over(caller, express, parcel, tracking_no="SF0000000000006")
    assert status == 201
    assert aggregator.subscriptions == [
        {
            "carrier": "sf",
            "tracking_no": "SF0000000000006",
            "callback_url": app.config["PUBLIC_BASE_URL"] + "/api/v1/carrier-events",
        }
    ]
    assert aggregator.headers[0]["Authorization"] == "Bearer key_test"


def test_the_factory_takes_an_express_sale_all_the_way(express):
    order = express.sale(until="delivered")
    assert all(f.status == F.delivered for f in order.fulfilments)
    assert all(f.parcel.status == ParcelStatus.handed_to_carrier for f in order.fulfilments)
    assert income_total() == sum(producers_share(f) for f in order.fulfilments)


def test_the_carriers_report_sets_shipping_charged_against_carrier_cost(express, caller):
    from marketplace.clock import local_today
    from marketplace.logistics.models import ManifestParcel
    from marketplace.reports.queries import carriers
    from marketplace.reports.services import Filters

    order = express.sale(until="ready")
    first, second = order.fulfilments
    hand_over(caller, express, first.parcel, tracking_no="SF0000000000007")
    hand_over(caller, express, second.parcel, carrier="ems", tracking_no="EA000000007CN")
    # What checkout charged for delivery to Beijing (the parcels' freight template fees).
    charged = {f.id: f.shipping_fen for f in (first, second)}
    assert all(charged.values())
    shares = dict(
        db.session.execute(
            db.select(ManifestParcel.parcel_id, ManifestParcel.cost_share_fen)
            .join(ManifestParcel.manifest)
            .where(ManifestParcel.manifest.has(link_id=express.link.id))
        ).all()
    )
    assert set(shares) == {first.parcel.id, second.parcel.id}
    today = local_today()
    table = carriers.build(Filters(start=today, end=today, locale="en"))
    rows = {row["carrier"]: row for row in table.rows()}
    assert set(rows) == {"SF Express", "China Post EMS"}
    sf = rows["SF Express"]
    assert sf["county"] and sf["parcels"] == 1
    assert sf["charged"] == charged[first.id] and sf["cost"] == shares[first.parcel.id]
    assert sf["margin"] == charged[first.id] - shares[first.parcel.id]
    assert table.totals["charged"] == sum(charged.values()) and table.totals["parcels"] == 2
    assert table.totals["cost"] == sum(shares.values()) > 0


def test_the_jobs_runner_confirms_due_receipts_once(app, express, caller):
    order = express.sale(until="ready")
    first, second = order.fulfilments
    hand_over(caller, express, first.parcel, tracking_no="SF0000000000006")
    app.config["AUTO_CONFIRM_DAYS"] = 0
    result = CliRunner().invoke(app.cli, ["jobs", "run-due"], catch_exceptions=False)
    assert "auto-confirm" in result.output, result.output
    db.session.expire_all()
    assert first.status == F.delivered and second.status == F.in_transit
    assert income_total() == producers_share(first)
    again = CliRunner().invoke(app.cli, ["jobs", "run-due"], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert income_total() == producers_share(first)


def test_the_station_app_hands_parcels_to_a_carrier_in_a_batch(express, caller):
    import uuid
    from datetime import UTC, datetime

    order = express.sale(until="ready")
    first, second = order.fulfilments
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    one, two = str(uuid.uuid4()), str(uuid.uuid4())
    scan = {"station_id": express.centre.id, "action": "handed_to_carrier", "scanned_at": now}
    scans = [
        {**scan, "client_id": one, "parcel_code": first.parcel.code, "carrier": "sf",
         "tracking_no": "SF0000000000009"},
        # The same carrier's number again: refused for this parcel, the other one applied.
        {**scan, "client_id": two, "parcel_code": second.parcel.code, "carrier": "sf",
         "tracking_no": "SF0000000000009"},
    ]  # fmt: skip
    status, body = caller(express.county_op, "post", "/scans/batch", json={"scans": scans})
    assert status == 200, body
    results = {r["client_id"]: r for r in body["results"]}
    assert results[one]["status"] == "applied", results[one]
    assert results[two]["status"] == "refused" and results[two]["reason"], results[two]
    db.session.expire_all()
    assert (first.parcel.carrier, first.parcel.tracking_no) == ("sf", "SF0000000000009")
    assert first.parcel.status == ParcelStatus.handed_to_carrier
    assert second.parcel.carrier is None
