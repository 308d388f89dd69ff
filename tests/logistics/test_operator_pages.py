"""Station operators' pages: only their own stations; scans, hand-over, manifests, cash."""

from marketplace.extensions import db
from marketplace.logistics.models import CashKind, CashMovement, ParcelStatus
from marketplace.logistics.scans import record_scan


def scan(client, station, code, action):
    return client.post(f"/stations/{station.id}/scan", data={"code": code, "action": action})


def test_an_operator_sees_only_their_own_stations(client, auth, line):
    auth.login("op-a@example.com")
    page = client.get("/stations").get_data(as_text=True)
    assert "甲村服务点" in page and "乙村服务点" not in page
    assert client.get(f"/stations/{line.a.id}").status_code == 200
    assert client.get(f"/stations/{line.b.id}").status_code == 403
    assert client.get(f"/stations/{line.b.id}/cash").status_code == 403
    assert client.get(f"/stations/{line.b.id}/handover").status_code == 403


def test_a_buyer_cannot_open_station_pages(client, auth, line, create_user):
    create_user(email="someone@example.com")
    auth.login("someone@example.com")
    assert client.get("/stations").status_code == 403
    assert client.get(f"/stations/{line.a.id}").status_code == 403


def test_the_operator_receives_a_parcel_by_typing_its_code(client, auth, line, place_order):
    parcel = place_order().parcel
    auth.login("op-a@example.com")
    dashboard = client.get(f"/stations/{line.a.id}").get_data(as_text=True)
    assert parcel.code in dashboard  # expected from the cooperative
    typed = " " + parcel.code.lower()[:4] + " " + parcel.code.lower()[4:] + " "
    response = scan(client, line.a, typed, "received")
    assert response.status_code == 302
    db.session.refresh(parcel)
    assert parcel.status == ParcelStatus.at_station
    page = client.get(f"/stations/{line.a.id}").get_data(as_text=True)
    assert f"Parcel {parcel.code}: Received." in page
    assert "刘家峡站" in page  # waiting for the run to the township station


def test_a_scan_out_of_order_shows_why_and_changes_nothing(client, auth, line, place_order):
    parcel = place_order().parcel
    auth.login("op-a@example.com")
    scan(client, line.a, parcel.code, "departed")
    page = client.get(f"/stations/{line.a.id}").get_data(as_text=True)
    assert "the next step is “Received”" in page
    db.session.refresh(parcel)
    assert parcel.status == ParcelStatus.awaiting_handover


def test_an_operator_of_station_a_cannot_scan_at_station_b(client, auth, line, place_order):
    parcel = place_order().parcel
    auth.login("op-a@example.com")
    assert scan(client, line.b, parcel.code, "received").status_code == 403
    db.session.refresh(parcel)
    assert parcel.status == ParcelStatus.awaiting_handover


def test_an_unknown_code_is_reported(client, auth, line):
    auth.login("op-a@example.com")
    scan(client, line.a, "PNOSUCH", "received")
    assert "No parcel has the code" in client.get(f"/stations/{line.a.id}").get_data(as_text=True)


def _deliver_to_b(parcel, line):
    steps = [
        (line.a, "received", "A"), (line.a, "departed", "A"), (line.t1, "arrived", "T1"),
        (line.t1, "departed", "T1"), (line.c, "arrived", "C"), (line.c, "departed", "C"),
        (line.t2, "arrived", "T2"), (line.t2, "departed", "T2"), (line.b, "arrived", "B"),
    ]  # fmt: skip
    for station, action, op in steps:
        record_scan(parcel, station, action, line.ops[op])
    db.session.commit()


def test_hand_over_needs_the_pickup_code_and_the_exact_cash(client, auth, line, place_order):
    fulfilment = place_order(quantity=2, price_fen=2500)
    parcel = fulfilment.parcel
    _deliver_to_b(parcel, line)
    auth.login("op-b@example.com")
    form = client.get(f"/stations/{line.b.id}/handover?code={parcel.code}").get_data(as_text=True)
    assert "Collect in cash: ¥50.00" in form
    wrong = "000000" if parcel.pickup_code != "000000" else "111111"
    page = client.post(
        f"/stations/{line.b.id}/handover",
        data={"code": parcel.code, "pickup_code": wrong, "cash_received": "50"},
    )
    assert page.status_code == 200 and b"pickup code is wrong" in page.data
    page = client.post(
        f"/stations/{line.b.id}/handover",
        data={"code": parcel.code, "pickup_code": parcel.pickup_code, "cash_received": "49.99"},
    )
    assert page.status_code == 200 and "Collect exactly ¥50.00" in page.get_data(as_text=True)
    db.session.refresh(parcel)
    assert parcel.status == ParcelStatus.ready_for_pickup
    response = client.post(
        f"/stations/{line.b.id}/handover",
        data={"code": parcel.code, "pickup_code": parcel.pickup_code, "cash_received": "50.00"},
    )
    assert response.status_code == 302
    db.session.refresh(parcel)
    assert parcel.status == ParcelStatus.handed_over
    sheet = client.get(f"/stations/{line.b.id}/cash").get_data(as_text=True)
    assert fulfilment.order.reference in sheet and "¥50.00" in sheet


def test_cash_is_handed_on_to_the_county_up_to_the_balance(client, auth, line, place_order):
    fulfilment = place_order(quantity=2, price_fen=2500)
    _deliver_to_b(fulfilment.parcel, line)
    record_scan(fulfilment.parcel, line.b, "handed_over", line.ops["B"],
                pickup_code=fulfilment.parcel.pickup_code, cash_received_fen=5000)  # fmt: skip
    db.session.commit()
    auth.login("op-b@example.com")
    client.post(f"/stations/{line.b.id}/cash", data={"amount": "60", "note": "county"})
    assert "holds only ¥50.00" in client.get(f"/stations/{line.b.id}/cash").get_data(as_text=True)
    client.post(f"/stations/{line.b.id}/cash", data={"amount": "30", "note": "county cashier"})
    sheet = client.get(f"/stations/{line.b.id}/cash").get_data(as_text=True)
    assert "county cashier" in sheet and "¥20.00" in sheet  # closing balance
    kinds = db.session.scalars(db.select(CashMovement.kind).order_by(CashMovement.id)).all()
    assert kinds == [CashKind.collected, CashKind.handed_on]


def test_a_manifest_lists_its_parcels_with_their_next_stop(client, auth, line, place_order):
    parcels = [place_order().parcel for _ in range(2)]
    for parcel in parcels:
        record_scan(parcel, line.a, "received", line.ops["A"])
    db.session.commit()
    auth.login("op-a@example.com")
    dashboard = client.get(f"/stations/{line.a.id}").get_data(as_text=True)
    assert "2 parcels" in dashboard
    manifest_id = parcels[0].fulfilment_id and _manifest_id(parcels[0])
    page = client.get(f"/manifests/{manifest_id}").get_data(as_text=True)
    assert all(p.code in page for p in parcels)
    assert "永靖县中心" in page  # after the township station, the county centre
    assert "assumed cost" in page and "data-print" in page
    auth.login("op-c@example.com")
    assert client.get(f"/manifests/{manifest_id}").status_code == 403


def _manifest_id(parcel):
    from marketplace.logistics.models import ManifestParcel

    return db.session.scalar(
        db.select(ManifestParcel.manifest_id).where(ManifestParcel.parcel_id == parcel.id)
    )


def test_the_buyer_and_operators_on_the_route_can_track_a_parcel(
    client, auth, line, place_order, create_user
):
    parcel = place_order().parcel
    record_scan(parcel, line.a, "received", line.ops["A"])
    db.session.commit()
    auth.login("buyer@example.com")
    page = client.get(f"/track/{parcel.code}").get_data(as_text=True)
    assert "甲村服务点" in page and "乙村服务点" in page and "Received" in page
    assert parcel.pickup_code in page
    auth.login("op-t2@example.com")  # an operator further along the route
    page = client.get(f"/track/{parcel.code}")
    assert page.status_code == 200 and parcel.pickup_code.encode() not in page.data
    # Anyone else is asked for the buyer's phone digits (issue 19): no route, no code.
    create_user(email="stranger@example.com")
    auth.login("stranger@example.com")
    page = client.get(f"/track/{parcel.code}").get_data(as_text=True)
    assert 'name="phone_last4"' in page and "乙村服务点" not in page
    create_user(email="other-op@example.com", roles=["station_operator"])
    auth.login("other-op@example.com")
    page = client.get(f"/track/{parcel.code}").get_data(as_text=True)
    assert 'name="phone_last4"' in page and parcel.pickup_code not in page


def test_the_assisted_order_form_is_for_village_points(client, auth, line, create_product):
    create_product(name_en="Fresh lily bulbs")
    auth.login("op-a@example.com")
    page = client.get(f"/stations/{line.a.id}/assisted-order").get_data(as_text=True)
    assert "Fresh lily bulbs" in page and "Villager's name" in page
    auth.login("op-t1@example.com")
    assert client.get(f"/stations/{line.t1.id}/assisted-order").status_code == 404


def test_an_operator_orders_for_a_villager_who_pays_cash_at_pickup(
    client, auth, line, create_cooperative, create_product, create_lot
):
    from marketplace.orders.models import Order

    cooperative = create_cooperative(village=line.village_b, home_station=line.b)
    product = create_product(cooperative=cooperative, price_fen=1200)
    create_lot(product=product, quantity=50)
    auth.login("op-a@example.com")
    response = client.post(
        f"/stations/{line.a.id}/assisted-order",
        data={"recipient_name": "马大爷", "recipient_phone": "13900000001",
              "items-0-product_id": product.id, "items-0-quantity": "2",
              "items-1-product_id": "0", "items-2-product_id": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    order = db.session.scalars(db.select(Order)).one()
    assert order.placed_by_id == line.ops["A"].id and order.recipient_name == "马大爷"
    assert order.pickup_station_id == line.a.id
    slip = client.get(response.headers["Location"]).get_data(as_text=True)
    assert order.fulfilments[0].parcel.pickup_code in slip


def test_the_tracking_partial_can_be_included_by_the_order_page(app, line, place_order):
    from flask import render_template_string

    from marketplace.logistics.pages import tracking_panel

    fulfilment = place_order()
    record_scan(fulfilment.parcel, line.a, "received", line.ops["A"])
    template = "{% include 'logistics/_tracking.html' %}"
    with app.test_request_context(headers={"Accept-Language": "zh"}):
        html = render_template_string(template, tracking=tracking_panel(fulfilment.parcel))
    assert fulfilment.parcel.code in html
    assert "甲村服务点" in html and "乙村服务点" in html
    assert "已接收" in html and 'data-state="here"' in html
