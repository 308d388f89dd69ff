"""The county centre's carrier pages and the buyer's order page for express parcels."""

from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.orders.models import FulfilmentStatus

from .conftest import income_total, producers_share

F = FulfilmentStatus


def test_the_county_operator_hands_a_parcel_to_a_carrier_and_prints_the_day_list(
    express, client, auth
):
    order = express.sale(until="ready")
    first, second = order.fulfilments
    auth.login("county-op@example.com")
    centre = express.centre.id
    page = client.get(f"/stations/{centre}").get_data(as_text=True)
    assert f"/stations/{centre}/carrier-handover?code={first.parcel.code}" in page
    form_page = client.get(f"/stations/{centre}/carrier-handover?code={first.parcel.code}")
    assert form_page.status_code == 200
    html = form_page.get_data(as_text=True)
    assert "SF Express" in html and "autofocus" in html
    # A tracking number that is not one: the error beside the field, nothing recorded.
    bad = client.post(
        f"/stations/{centre}/carrier-handover",
        data={"code": first.parcel.code, "carrier": "sf", "tracking_no": "12-3"},
    )
    assert bad.status_code == 200 and "8 to 32" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert first.parcel.tracking_no is None
    done = client.post(
        f"/stations/{centre}/carrier-handover",
        data={"code": first.parcel.code, "carrier": "sf", "tracking_no": "SF1122334455667"},
    )
    assert done.status_code == 302 and "carrier=sf" in done.headers["Location"]
    client.post(
        f"/stations/{centre}/carrier-handover",
        data={"code": second.parcel.code, "carrier": "ems", "tracking_no": "EA000000001CN"},
    )
    listing = client.get(f"/stations/{centre}/carrier-handovers").get_data(as_text=True)
    assert "SF1122334455667" in listing and "EA000000001CN" in listing
    assert f"/stations/{centre}/carrier-handovers?day={local_today().isoformat()}" in listing
    printed = client.get(
        f"/stations/{centre}/carrier-handovers?day={local_today().isoformat()}&carrier=sf&print=1"
    ).get_data(as_text=True)
    assert "SF1122334455667" in printed and "EA000000001CN" not in printed
    assert "signature" in printed and 'data-testid="signature-line"' in printed
    assert client.get(f"/stations/{centre}/carrier-handovers?day=nonsense").status_code == 400
    assert client.get(f"/stations/{centre}/carrier-handovers?carrier=dhl").status_code == 400
    # A township station has no carrier hand-over.
    township = first.parcel.route[1]
    assert client.get(f"/stations/{township}/carrier-handover").status_code in (403, 404)


def test_the_buyer_follows_the_carrier_and_confirms_receipt_on_the_order_page(
    express, client, auth, carrier
):
    order = express.sale(until="with_carrier")
    first, second = order.fulfilments
    carrier.send(first.parcel.tracking_no, "in_transit", location="兰州转运中心")
    carrier.send(first.parcel.tracking_no, "out_for_delivery", location="北京市朝阳区")
    auth.login("beijing-buyer@example.com")
    html = client.get(f"/orders/{order.reference}").get_data(as_text=True)
    assert "SF Express" in html and first.parcel.tracking_no in html
    assert "兰州转运中心" in html and "Out for delivery" in html
    assert "Confirm receipt" in html
    # Another buyer sees no such order and cannot confirm it.
    client.post("/logout")
    auth.login("other-buyer@example.com")
    assert client.post(f"/orders/{order.reference}/confirm-receipt").status_code == 404
    client.post("/logout")
    auth.login("beijing-buyer@example.com")
    response = client.post(f"/orders/{order.reference}/confirm-receipt")
    assert response.status_code == 302
    db.session.expire_all()
    assert first.status == F.delivered and second.status == F.delivered
    assert income_total() == producers_share(first) + producers_share(second)
    html = client.get(f"/orders/{order.reference}").get_data(as_text=True)
    assert 'data-testid="confirm-receipt"' not in html


def test_the_dashboard_scan_form_sends_a_carrier_hand_over_to_its_page(express, client, auth):
    order = express.sale(until="ready")
    code = order.fulfilments[0].parcel.code
    auth.login("county-op@example.com")
    response = client.post(
        f"/stations/{express.centre.id}/scan", data={"code": code, "action": "handed_to_carrier"}
    )
    assert response.status_code == 302
    assert f"/carrier-handover?code={code}" in response.headers["Location"]
