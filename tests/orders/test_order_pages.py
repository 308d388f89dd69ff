"""The buyer's order pages and the cooperative manager's packing pages, with their permissions."""

import pytest

from marketplace.extensions import db
from marketplace.orders.actions import place_order
from marketplace.orders.models import FulfilmentStatus, OrderStatus, PaymentMethod

CASH = PaymentMethod.cash_at_pickup


@pytest.fixture
def order(shop, in_request):
    order = place_order(shop.buyer, [(shop.lily.id, 2), (shop.apple.id, 1)], shop.pickup, CASH)
    db.session.commit()
    return order


def test_the_buyer_sees_lines_totals_statuses_history_and_pickup_codes(client, auth, shop, order):
    auth.login("buyer@example.com")
    html = client.get(f"/orders/{order.reference}").get_data(as_text=True)
    # An English page names the product in English (the name copied at checkout).
    assert order.reference in html and "Lanzhou lily" in html and "¥72.00" in html
    assert html.count('data-testid="fulfilment"') == 2 and "Being packed" in html
    for fulfilment in order.fulfilments:
        assert fulfilment.parcel.pickup_code in html
    assert "To pay in cash at pickup:" in html and "Order history" in html
    assert "Cancel this order" in html


def test_orders_open_by_id_too_and_are_listed(client, auth, shop, order):
    auth.login("buyer@example.com")
    assert order.reference in client.get(f"/orders/{order.id}").get_data(as_text=True)
    listing = client.get("/orders").get_data(as_text=True)
    assert order.reference in listing and "2 parcels" in listing


def test_another_buyer_gets_404_on_someone_elses_order(client, auth, shop, order, create_user):
    create_user(email="other@example.com")
    auth.login("other@example.com")
    assert client.get(f"/orders/{order.reference}").status_code == 404
    assert client.get(f"/orders/{order.id}").status_code == 404
    assert client.post(f"/orders/{order.reference}/cancel").status_code == 404
    assert order.reference not in client.get("/orders").get_data(as_text=True)


def test_an_administrator_sees_the_order_but_not_the_pickup_codes(
    client, auth, shop, order, create_user
):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    html = client.get(f"/orders/{order.reference}").get_data(as_text=True)
    assert order.reference in html
    assert all(f.parcel.pickup_code not in html for f in order.fulfilments)
    assert "Cancel this order" not in html


def test_order_pages_need_a_login(client, order):
    assert client.get(f"/orders/{order.reference}").status_code == 302
    assert client.get("/orders").status_code == 302


def test_the_buyer_cancels_from_the_order_page(client, auth, shop, order):
    auth.login("buyer@example.com")
    page = client.post(
        f"/orders/{order.reference}/cancel", data={"reason": "wrong address"}, follow_redirects=True
    )
    html = page.get_data(as_text=True)
    assert "is cancelled" in html and "Cancel this order" not in html
    assert "will be refunded" not in html  # paid in cash at pickup: nothing was paid yet
    db.session.expire_all()
    assert order.status == OrderStatus.cancelled


def test_the_manager_sees_only_their_cooperatives_fulfilments_to_pack(client, auth, shop, order):
    auth.login("lily@example.com")
    html = client.get("/packing").get_data(as_text=True)
    assert order.reference in html and "Lanzhou lily" in html and "Bingtangxin apple" not in html
    assert shop.lily_old.code in html  # which lot to take the units from


def test_marking_packed_and_printing_the_slip(client, auth, shop, order):
    lily_part = order.fulfilments[0]
    auth.login("lily@example.com")
    slip = client.get(f"/packing/{lily_part.id}/slip").get_data(as_text=True)
    assert lily_part.parcel.code in slip and "马小花" in slip and "data-print" in slip
    assert lily_part.parcel.pickup_code not in slip
    page = client.post(f"/packing/{lily_part.id}/packed", follow_redirects=True)
    assert "is packed" in page.get_data(as_text=True)
    db.session.expire_all()
    assert lily_part.status == FulfilmentStatus.packed


def test_a_manager_of_another_cooperative_gets_403(client, auth, shop, order):
    lily_part = order.fulfilments[0]
    auth.login("apple@example.com")
    assert client.post(f"/packing/{lily_part.id}/packed").status_code == 403
    assert client.get(f"/packing/{lily_part.id}/slip").status_code == 403
    db.session.expire_all()
    assert lily_part.status == FulfilmentStatus.to_pack


def test_a_buyer_cannot_open_the_packing_pages(client, auth, shop, order):
    auth.login("buyer@example.com")
    assert client.get("/packing").status_code == 403
    assert client.post(f"/packing/{order.fulfilments[0].id}/packed").status_code == 403
