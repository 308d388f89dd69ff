"""Issue 19 item 12: a parcel can be followed without an account, with its code and the
last 4 digits of the buyer's phone: route and status only, wrong tries limited."""

import pytest

from marketplace.extensions import db
from marketplace.logistics.scans import record_scan


@pytest.fixture
def parcel(line, place_order, create_user):
    buyer = create_user(email="phone-buyer@example.com", name="王买家", phone="13912345678")
    parcel = place_order(buyer=buyer).parcel
    record_scan(parcel, line.a, "received", line.ops["A"])
    db.session.commit()
    return parcel


def test_without_login_the_page_asks_for_the_phone_digits(client, parcel):
    page = client.get(f"/track/{parcel.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="phone_last4"' in html and 'data-testid="route"' not in html
    assert page.headers["Cache-Control"].startswith("no-store")


def test_the_right_digits_show_route_and_status_but_nothing_personal(client, parcel):
    html = client.post(f"/track/{parcel.code}", data={"phone_last4": "5678"}).get_data(as_text=True)
    assert 'data-testid="route"' in html and "甲村服务点" in html
    order = parcel.fulfilment.order
    assert parcel.pickup_code not in html and order.reference not in html
    assert "王买家" not in html and "13912345678" not in html


def test_wrong_digits_say_why_and_reveal_nothing(client, parcel):
    html = client.post(f"/track/{parcel.code}", data={"phone_last4": "0000"}).get_data(as_text=True)
    assert "do not match" in html and 'data-testid="route"' not in html
    html = client.post(f"/track/{parcel.code}", data={"phone_last4": "12"}).get_data(as_text=True)
    assert "Enter 4 digits." in html


def test_the_buyer_logged_in_still_sees_everything(client, auth, parcel):
    auth.login("phone-buyer@example.com")
    html = client.get(f"/track/{parcel.code}").get_data(as_text=True)
    assert parcel.pickup_code in html and 'name="phone_last4"' not in html
