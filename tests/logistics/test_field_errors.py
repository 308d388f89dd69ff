"""Issue 19, item 4 at the village point: each refusal is shown under the field it belongs
to (a wrong cash amount under the cash box, not the pickup code), and 代买 without a
product says so instead of doing nothing."""

import re

from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.logistics.test_operator_pages import _deliver_to_b


def feedback_after(html: str, field_id: str) -> str:
    """The invalid-feedback text right after the input `field_id` ('' if none)."""
    options = r"(?:(?:(?!<div).)*?</select>)?"  # a select's options come first
    feedback = r'\s*<div class="invalid-feedback[^>]*>\s*([^<]*)'
    found = re.search(rf'id="{field_id}"[^>]*>{options}{feedback}', html, re.S)
    return found.group(1).strip() if found else ""


def test_a_wrong_cash_amount_is_shown_under_the_cash_box(client, auth, line, place_order):
    fulfilment = place_order(quantity=2, price_fen=2500)
    parcel = fulfilment.parcel
    _deliver_to_b(parcel, line)
    auth.login("op-b@example.com")
    page = client.post(
        f"/stations/{line.b.id}/handover",
        data={"code": parcel.code, "pickup_code": parcel.pickup_code, "cash_received": "49.99"},
    ).get_data(as_text=True)
    assert "Collect exactly ¥50.00" in feedback_after(page, "cash_received")
    assert feedback_after(page, "pickup_code") == ""
    wrong = "000000" if parcel.pickup_code != "000000" else "111111"
    page = client.post(
        f"/stations/{line.b.id}/handover",
        data={"code": parcel.code, "pickup_code": wrong, "cash_received": "50"},
    ).get_data(as_text=True)
    assert "pickup code is wrong" in feedback_after(page, "pickup_code")
    assert feedback_after(page, "cash_received") == ""


def test_an_assisted_order_without_a_product_says_why(
    client, auth, line, create_cooperative, create_product, create_lot
):
    cooperative = create_cooperative(village=line.village_b, home_station=line.b)
    product = create_product(cooperative=cooperative, price_fen=1200)
    create_lot(product=product, quantity=50)
    auth.login("op-a@example.com")
    url = f"/stations/{line.a.id}/assisted-order"
    base = {"recipient_name": "马大爷", "items-1-product_id": "0", "items-2-product_id": "0"}
    cases = [
        ({"items-0-product_id": "0", "items-0-quantity": ""}, "items-0-product_id",
         "Choose at least one product"),
        ({"items-0-product_id": "0", "items-0-quantity": "2"}, "items-0-product_id",
         "Choose the product"),
        ({"items-0-product_id": str(product.id), "items-0-quantity": ""}, "items-0-quantity",
         "Enter how many"),
        ({"items-0-product_id": str(product.id), "items-0-quantity": "abc"}, "items-0-quantity",
         "whole number"),
        ({"items-0-product_id": str(product.id), "items-0-quantity": "1.5"}, "items-0-quantity",
         "whole number"),
        ({"items-0-product_id": str(product.id), "items-0-quantity": "-1"}, "items-0-quantity",
         "at least 1"),
    ]  # fmt: skip
    for data, field, message in cases:
        page = client.post(url, data=base | data)
        assert page.status_code == 200
        assert message in feedback_after(page.get_data(as_text=True), field), (data, field)
    assert db.session.scalar(db.select(Order)) is None
    # Full-width digits from a Chinese keyboard are a quantity.
    response = client.post(
        url, data=base | {"items-0-product_id": str(product.id), "items-0-quantity": "２"}
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Order)).lines[0].quantity == 2
