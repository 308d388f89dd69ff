"""On a 360 px phone, in Chinese: search 百合, put two cooperatives' products in the cart,
log in at checkout, pay cash at the village point and see the order."""

import pytest

from marketplace.extensions import db
from marketplace.orders.actions import place_order
from tests.orders.shop import build_shop

from .conftest import fits_the_phone

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(request):
    """The small shop of tests/orders/shop.py."""
    return build_shop(request.getfixturevalue)


def test_search_cart_checkout_with_cash_and_see_the_order(live_server, page, screenshot, shop):
    page.goto(live_server + "/shop")
    page.fill("input[name=q]", "百合")
    page.click("[data-testid=search]")
    cards = page.locator("[data-testid=product-card]")
    assert cards.count() == 2
    assert "兰州百合" in page.content() and "百合干" in page.content()
    assert fits_the_phone(page)
    screenshot(page, "1-search")

    card = page.locator("[data-testid=product-card]", has_text="兰州百合")
    card.locator("[data-testid=add-to-cart]").click()
    assert "已加入购物车" in page.locator(".alert-success").inner_text()
    card = page.locator("[data-testid=product-card]", has_text="百合干")
    card.locator("input[name=quantity]").fill("2")
    card.locator("[data-testid=add-to-cart]").click()
    assert "（2 件）" in page.locator(".alert-success").inner_text()

    page.click(".navbar-toggler")
    page.click("nav >> text=购物车")
    assert page.locator("[data-testid=cart-line]").count() == 2
    # 兰州百合 ¥30.00 + 2 x 百合干 ¥45.50
    assert page.locator("[data-testid=cart-total]").inner_text() == "¥121.00"
    assert fits_the_phone(page)
    screenshot(page, "2-cart")

    page.click("[data-testid=checkout]")
    page.fill("#login", "buyer@example.com")
    page.fill("#password", "linxia-demo")
    page.click("#submit")
    assert page.url.endswith("/checkout")
    page.select_option("#pickup_station_id", str(shop.pickup.id))
    assert page.is_checked("input[value=cash_at_pickup]")
    assert fits_the_phone(page)
    screenshot(page, "3-checkout")

    page.click("#submit")
    assert "已提交" in page.locator("[role=alert]").inner_text()
    assert page.locator("[data-testid=order-reference]").inner_text().startswith("LX-")
    assert page.locator("[data-testid=fulfilment]").count() == 2
    assert page.locator("[data-testid=pickup-code]").count() == 2
    assert page.locator("[data-testid=order-total]").inner_text() == "¥121.00"
    assert fits_the_phone(page)
    screenshot(page, "4-order")


def test_a_manager_packs_an_order_and_prints_its_slip(live_server, page, screenshot, shop, app):
    with app.test_request_context():
        order = place_order(
            shop.buyer, [(shop.lily.id, 7), (shop.apple.id, 1)], shop.pickup, "cash_at_pickup"
        )
        db.session.commit()
        reference = order.reference
    page.goto(live_server + "/login?next=/packing")
    page.fill("#login", "lily@example.com")
    page.fill("#password", "linxia-demo")
    page.click("#submit")
    assert page.locator("[data-testid=to-pack]").count() == 1
    assert reference in page.content() and "冰糖心苹果" not in page.content()
    assert fits_the_phone(page)
    screenshot(page, "1-to-pack")

    page.click("text=装箱单")
    assert shop.lily_old.code in page.content() and shop.lily_new.code in page.content()
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("[data-print]").is_visible()
    screenshot(page, "2-slip-printed")
    page.emulate_media(media="screen")

    page.go_back()
    page.click("[data-testid=mark-packed]")
    assert "已打包" in page.locator("[role=alert]").inner_text()
    assert page.locator("[data-testid=to-pack]").count() == 0
    screenshot(page, "3-packed")
