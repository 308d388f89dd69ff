"""Issue 19 items 8, 11, 12: the 代买 slip lists its items, quantities are refused in the
page's language, and the delivery estimate follows packing, the runs and opening hours."""

from datetime import datetime

from marketplace.clock import to_local, to_utc
from marketplace.extensions import db
from marketplace.logistics import estimate


def _assisted(client, line, product, quantity="2"):
    return client.post(
        f"/stations/{line.a.id}/assisted-order",
        data={"recipient_name": "马大爷", "recipient_phone": "13900000001",
              "items-0-product_id": product.id, "items-0-quantity": quantity,
              "items-1-product_id": "0", "items-2-product_id": "0"},
        headers={"Accept-Language": "zh"},
    )  # fmt: skip


def test_the_assisted_slip_lists_the_items(
    client, auth, line, create_cooperative, create_product, create_lot
):
    cooperative = create_cooperative(village=line.village_b, home_station=line.b)
    product = create_product(cooperative=cooperative, price_fen=1200, name_zh="鲜百合")
    create_lot(product=product, quantity=50)
    auth.login("op-a@example.com")
    response = _assisted(client, line, product)
    slip = client.get(response.headers["Location"], headers={"Accept-Language": "zh"})
    html = slip.get_data(as_text=True)
    assert 'data-testid="slip-items"' in html and "鲜百合 × 2" in html
    assert "预计送达" in html and "–20:00" in html  # a day and a time window


def test_a_quantity_out_of_range_is_refused_in_chinese(
    client, auth, line, create_cooperative, create_product, create_lot
):
    cooperative = create_cooperative(village=line.village_b, home_station=line.b)
    product = create_product(cooperative=cooperative)
    create_lot(product=product, quantity=50)
    auth.login("op-a@example.com")
    html = _assisted(client, line, product, quantity="120").get_data(as_text=True)
    assert "代买时每种商品最多 99 件。" in html
    assert "Number must be between" not in html


def test_opening_hours_push_an_evening_arrival_to_the_next_morning():
    evening = to_utc(datetime(2026, 12, 3, 21, 30))
    assert to_local(estimate.open_at_or_after(evening)) == datetime(2026, 12, 4, 8, 0)
    early = to_utc(datetime(2026, 12, 3, 6, 0))
    assert to_local(estimate.open_at_or_after(early)) == datetime(2026, 12, 3, 8, 0)
    noon = to_utc(datetime(2026, 12, 3, 12, 0))
    assert estimate.open_at_or_after(noon) == noon
    start, end = estimate.window(noon)
    assert (to_local(start).hour, to_local(end).hour) == (12, 20)


def test_an_order_in_the_evening_is_not_expected_at_the_moment_it_was_placed(line, place_order):
    ordered = to_utc(datetime(2026, 9, 7, 22, 0))  # a Monday, 22:00 in Beijing
    parcel = place_order(now=ordered).parcel
    assert parcel.eta > ordered
    local = to_local(parcel.eta)
    assert estimate.OPENS <= local.time() < estimate.CLOSES
    assert parcel.promised_by is not None and parcel.promised_by >= parcel.eta
    db.session.rollback()
