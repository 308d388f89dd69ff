"""Issue 19, item 13 on a 360 px phone in both languages, with and without JavaScript: the
shop weighs little (purged, compressed, cached CSS and JS; thumbnails), its first photos
load at once, and adding to the cart returns to the card, which says so."""

import pytest

from tests.orders.shop import build_shop

from .conftest import PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(request):
    return build_shop(request.getfixturevalue)


@pytest.mark.parametrize(
    ("locale", "javascript", "added"),
    [("zh-CN", True, "已加入购物车"), ("en", False, "Added to your cart")],
)
def test_the_shop_is_light_and_adding_returns_to_the_card(
    live_server, browser, screenshot, shop, locale, javascript, added
):
    context = browser.new_context(viewport=PHONE, locale=locale, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sizes = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body() or b"")))
    try:
        page.goto(live_server + "/shop", wait_until="networkidle")  # everything it loads
        assert sum(sizes.values()) < 120 * 1024, sizes  # was 446 KiB, 227 of it Bootstrap
        first_photo = page.locator("[data-testid=product-card] img").first
        assert first_photo.get_attribute("loading") is None  # on screen: load it at once
        card = page.locator(f"#product-{shop.apple.id}")
        card.locator("[data-testid=add-to-cart]").click()
        page.wait_for_url(f"**/shop#product-{shop.apple.id}")
        note = card.locator("[data-testid=added]")
        assert added in note.inner_text()
        box, height = note.bounding_box(), page.viewport_size["height"]
        assert 0 <= box["y"] < height, "the card is on screen after adding"
        screenshot(page, f"added-{locale}")
    finally:
        context.close()
