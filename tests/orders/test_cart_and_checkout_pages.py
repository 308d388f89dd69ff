"""The cart (session for visitors, rows for accounts), its quantity checks, and checkout."""

import pytest

from marketplace.extensions import db
from marketplace.orders.models import CartItem, Order, OrderStatus


def cart_rows(user):
    db.session.expire_all()
    items = db.session.scalars(db.select(CartItem).where(CartItem.user_id == user.id))
    return {item.product_id: item.quantity for item in items}


def session_cart(client):
    with client.session_transaction() as session:
        return dict(session.get("cart") or {})


def add(client, product, quantity="1", **extra):
    data = {"product_id": product.id, "quantity": quantity, **extra}
    return client.post("/cart/add", data=data, follow_redirects=True)


def test_a_visitor_adds_products_to_a_cart_kept_in_the_session(client, shop):
    add(client, shop.lily, "2")
    page = add(client, shop.lily, "1")
    assert "Lanzhou lily is in your cart (3)" in page.get_data(as_text=True)
    assert session_cart(client) == {str(shop.lily.id): 3}
    html = client.get("/cart").get_data(as_text=True)
    assert "Lanzhou lily" in html and "¥90.00" in html and "Log in and check out" in html


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "at least 1"),
        ("-3", "at least 1"),
        ("abc", "whole number"),
        ("1.5", "whole number"),
        ("", "whole number"),
        ("1000", "At most 999"),
        ("99999999999999999999999", "At most 999"),
        ("26", "Only 25 left of Lanzhou lily"),
    ],
)
def test_bad_quantities_are_refused_with_a_message(client, shop, quantity, message):
    page = add(client, shop.lily, quantity)
    assert message in page.get_data(as_text=True)
    assert session_cart(client) == {}


def test_adding_beyond_the_stock_counts_what_is_already_in_the_cart(client, shop):
    add(client, shop.dried, "8")
    page = add(client, shop.dried, "3")
    assert "Only 10 left of Dried lily" in page.get_data(as_text=True)
    assert session_cart(client) == {str(shop.dried.id): 8}


def test_full_width_digits_from_a_chinese_keyboard_are_understood(client, shop):
    add(client, shop.apple, "１２")
    assert session_cart(client) == {str(shop.apple.id): 12}


def test_a_logged_in_buyer_changes_and_removes_cart_lines(client, auth, shop):
    auth.login("buyer@example.com")
    add(client, shop.lily, "2")
    add(client, shop.apple, "1")
    assert cart_rows(shop.buyer) == {shop.lily.id: 2, shop.apple.id: 1}

    client.post("/cart/update", data={"product_id": shop.lily.id, "quantity": "5"})
    bad = client.post(
        "/cart/update", data={"product_id": shop.lily.id, "quantity": "0"}, follow_redirects=True
    )
    assert "at least 1" in bad.get_data(as_text=True)
    client.post("/cart/remove", data={"product_id": shop.apple.id})
    assert cart_rows(shop.buyer) == {shop.lily.id: 5}
    html = client.get("/cart").get_data(as_text=True)
    assert "¥150.00" in html and 'data-testid="checkout"' in html


def test_the_visitors_cart_moves_into_the_account_at_login(client, auth, shop):
    add(client, shop.lily, "2")
    add(client, shop.apple, "4")
    auth.login("buyer@example.com")
    assert cart_rows(shop.buyer) == {shop.lily.id: 2, shop.apple.id: 4}
    assert session_cart(client) == {}


def test_a_cart_line_that_became_short_blocks_checkout(client, auth, shop):
    auth.login("buyer@example.com")
    add(client, shop.dried, "6")
    shop.dried_lot.remaining = 4
    db.session.commit()
    html = client.get("/cart").get_data(as_text=True)
    assert "Only 4 left: please lower the quantity." in html
    assert 'data-testid="checkout"' not in html


def test_checkout_needs_a_login(client, shop):
    add(client, shop.lily)
    response = client.get("/checkout")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_checkout_offers_village_points_grouped_by_county_and_township(client, auth, shop):
    auth.login("buyer@example.com")
    add(client, shop.lily)
    html = client.get("/checkout").get_data(as_text=True)
    assert '<optgroup label="Yongjing County · Liujiaxia Town">' in html
    assert "Test station" in html
    assert "Cash at the pickup point" in html and "Pay online" not in html


def test_checkout_places_the_order_and_empties_the_cart(client, auth, shop):
    auth.login("buyer@example.com")
    add(client, shop.lily, "2")
    add(client, shop.apple, "1")
    page = client.post(
        "/checkout",
        data={"pickup_station_id": shop.pickup.id, "payment_method": "cash_at_pickup"},
        follow_redirects=True,
    )
    html = page.get_data(as_text=True)
    order = db.session.scalar(db.select(Order))
    assert f"Your order {order.reference} is placed" in html
    assert html.count('data-testid="fulfilment"') == 2 and "¥72.00" in html
    assert order.status == OrderStatus.confirmed and cart_rows(shop.buyer) == {}
    # The next checkout suggests the same pickup point.
    add(client, shop.apple, "1")
    assert f'<option selected value="{shop.pickup.id}">' in client.get("/checkout").get_data(
        as_text=True
    )


def test_a_failed_checkout_says_what_is_short_and_changes_nothing(client, auth, shop, snapshot):
    auth.login("buyer@example.com")
    add(client, shop.dried, "9")
    add(client, shop.apple, "1")
    shop.dried_lot.remaining = 7  # someone bought meanwhile
    db.session.commit()
    before = snapshot()
    page = client.post(
        "/checkout",
        data={"pickup_station_id": shop.pickup.id, "payment_method": "cash_at_pickup"},
        follow_redirects=True,
    )
    assert "Not enough Dried lily: you asked for 9, only 7 left." in page.get_data(as_text=True)
    assert snapshot() == before


def test_online_payment_is_not_offered_without_stripe(client, auth, shop):
    auth.login("buyer@example.com")
    add(client, shop.lily)
    page = client.post(
        "/checkout", data={"pickup_station_id": shop.pickup.id, "payment_method": "stripe"}
    )
    assert page.status_code == 200 and db.session.scalar(db.select(Order)) is None


def test_a_township_station_is_not_a_pickup_point(client, auth, shop, create_station):
    township = create_station(kind="township_station")
    auth.login("buyer@example.com")
    add(client, shop.lily)
    client.post(
        "/checkout", data={"pickup_station_id": township.id, "payment_method": "cash_at_pickup"}
    )
    assert db.session.scalar(db.select(Order)) is None


def test_each_card_in_the_shop_leads_to_its_product_page(client, shop):
    import re

    html = client.get("/shop").get_data(as_text=True)
    cards = re.findall(r'<article class="card[^"]*product-card".*?</article>', html, re.S)
    assert cards
    for card in cards:
        links = set(re.findall(r'href="(/products/\d+)"', card))
        assert len(links) == 1, card  # the photo and the name, to the same page
    assert f'href="/products/{shop.lily.id}"' in html
    assert client.get(f"/products/{shop.lily.id}").status_code == 200


def test_registering_from_checkout_comes_back_to_checkout(client, shop):
    import re

    add(client, shop.lily, "1")
    from urllib.parse import unquote

    login_page = client.get("/login?next=/checkout").get_data(as_text=True)
    links = {unquote(link) for link in re.findall(r'href="(/register[^"]*)"', login_page)}
    assert "/register?next=/checkout" in links
    response = client.post(
        "/register?next=%2Fcheckout",
        data={
            "name": "新买家",
            "login": "new-buyer@example.com",
            "password": "a-long-pass-phrase",
            "confirm": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/checkout"
    assert client.get("/checkout").status_code == 200
