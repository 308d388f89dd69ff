"""Issue 19, items 4 and 7 on the order pages: a refused cart quantity says why under its
own box (after the redirect, in the user's language), and the pickup point is chosen, never
defaulted to the first village of the list, narrowed by county, township and name."""

import re

import pytest

from marketplace.extensions import db
from marketplace.orders.models import Order


def session_cart(client):
    with client.session_transaction() as session:
        return dict(session.get("cart") or {})


def error_under_box(html: str, product_id: int) -> str:
    """The message shown under the quantity box of `product_id` ('' if none)."""
    box = re.search(rf'<input class="([^"]*)"[^>]*id="qty-{product_id}"', html)
    assert box and "is-invalid" in box.group(1), "box not marked invalid"
    found = re.search(rf'id="qty-{product_id}-error"[^>]*>([^<]*)<', html)
    return found.group(1).strip() if found else ""


@pytest.mark.parametrize(
    ("typed", "en", "zh"),
    [
        ("-1", "at least 1", "至少"),
        ("abc", "whole number", "整数"),
        ("1.5", "whole number", "整数"),
        ("", "whole number", "整数"),
    ],
)
def test_a_refused_quantity_is_explained_under_its_box_on_the_shop_card(
    client, shop, typed, en, zh
):
    for lang, word in (("en", en), ("zh", zh)):
        client.get(f"/language/{lang}?next=/")
        response = client.post(
            "/cart/add", data={"product_id": shop.lily.id, "quantity": typed, "next": "/shop"}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == f"/shop#qty-{shop.lily.id}"
        html = client.get("/shop").get_data(as_text=True)
        assert word in error_under_box(html, shop.lily.id), (lang, typed)
        assert f'value="{typed}"' in html  # what was typed stays in the box
        # Shown once: the next page has no stale message.
        assert f'id="qty-{shop.lily.id}-error"' not in client.get("/shop").get_data(as_text=True)
    assert session_cart(client) == {}


def test_a_refused_quantity_on_the_product_page_comes_back_to_it(client, shop):
    response = client.post(
        "/cart/add",
        data={"product_id": shop.lily.id, "quantity": "26"},
        headers={"Referer": f"http://localhost/products/{shop.lily.id}"},
    )
    assert response.headers["Location"] == f"/products/{shop.lily.id}#qty-{shop.lily.id}"
    html = client.get(f"/products/{shop.lily.id}").get_data(as_text=True)
    assert "Only 25 left" in error_under_box(html, shop.lily.id)


def test_a_refused_quantity_in_the_cart_is_explained_under_that_line(client, shop):
    client.post("/cart/add", data={"product_id": shop.lily.id, "quantity": "2"})
    response = client.post("/cart/update", data={"product_id": shop.lily.id, "quantity": "abc"})
    assert response.headers["Location"] == f"/cart#qty-{shop.lily.id}"
    html = client.get("/cart").get_data(as_text=True)
    assert "whole number" in error_under_box(html, shop.lily.id)
    assert session_cart(client) == {str(shop.lily.id): 2}


def test_full_width_digits_are_a_quantity(client, shop):
    client.post("/cart/add", data={"product_id": shop.apple.id, "quantity": "２"})
    assert session_cart(client) == {str(shop.apple.id): 2}


def checkout_page(client, query=""):
    return client.get(f"/checkout{query}").get_data(as_text=True)


def options(html: str) -> list[tuple[bool, str]]:
    select = html[html.index('id="pickup_station_id"') :]
    select = select[: select.index("</select>")]
    return [(bool(s), v) for s, v in re.findall(r"<option (selected )?value=\"(\d*)\"", select)]


def test_checkout_preselects_no_pickup_point_for_a_first_order(client, auth, shop):
    auth.login("buyer@example.com")
    client.post("/cart/add", data={"product_id": shop.lily.id, "quantity": "1"})
    html = checkout_page(client)
    listed = options(html)
    assert [v for s, v in listed if s] == []  # not even the first village of the list
    assert {str(shop.lily_point.id), str(shop.apple_point.id)} <= {v for _, v in listed}
    # Sending the form untouched is refused beside the list, in the user's language.
    page = client.post(
        "/checkout", data={"pickup_station_id": "", "payment_method": "cash_at_pickup"}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and db.session.scalar(db.select(Order)) is None
    assert re.search(r'data-testid="pickup-error">Choose a village point', html)
    client.get("/language/zh?next=/")
    page = client.post(
        "/checkout", data={"pickup_station_id": "", "payment_method": "cash_at_pickup"}
    )
    error = re.search(r'data-testid="pickup-error">([^<]*)<', page.get_data(as_text=True))
    assert "请选择" in error.group(1)
    # An id that is no village point is refused the same way.
    page = client.post(
        "/checkout", data={"pickup_station_id": "999999", "payment_method": "cash_at_pickup"}
    )
    assert 'data-testid="pickup-error"' in page.get_data(as_text=True)
    assert db.session.scalar(db.select(Order)) is None


def test_the_pickup_list_narrows_by_county_township_and_name(
    client, auth, shop, create_village, create_station
):
    far = create_station(region=create_village("622921100", name="远村"), name="远村服务点")
    auth.login("buyer@example.com")
    client.post("/cart/add", data={"product_id": shop.lily.id, "quantity": "1"})
    everything = {v for _, v in options(checkout_page(client)) if v}
    assert str(far.id) in everything and len(everything) == 3
    # County: Yongjing (622923) has the two shop points, not the far one.
    html = checkout_page(client, "?county=622923")
    assert {v for _, v in options(html) if v} == {str(shop.lily_point.id), str(shop.apple_point.id)}
    assert 'id="finder-township"' in html  # its townships are offered next
    # A name finds one point, which is then chosen for the buyer.
    listed = options(checkout_page(client, "?q=苹果"))
    assert listed == [(False, ""), (True, str(shop.apple_point.id))]
    # Nothing matches: the page says so.
    assert 'data-testid="no-points"' in checkout_page(client, "?q=nowhere-at-all")
    # The narrowing stays on the order form's address, and the order goes through.
    html = checkout_page(client, "?q=苹果")
    assert 'action="/checkout?q=' in html
    response = client.post(
        "/checkout?q=%E8%8B%B9%E6%9E%9C",
        data={"pickup_station_id": shop.apple_point.id, "payment_method": "cash_at_pickup"},
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(Order)).pickup_station_id == shop.apple_point.id
