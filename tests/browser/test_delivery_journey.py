"""On a 360 px phone, in Chinese and in English: a new buyer estimates the delivery fee on
the product page, adds an address with the cascading province/city/district selects at
checkout, sees the fee per cooperative and reaches the payment page (Stripe stand-in)."""

import pytest

from marketplace.catalog import freight
from marketplace.extensions import db
from marketplace.regions.services import get_by_code
from tests.orders.shop import build_shop
from tests.payments.conftest import app_config, stripe_standin

from .conftest import fits_the_phone

pytestmark = pytest.mark.browser
STRIPE_FIXTURES = (app_config, stripe_standin)

TEXT = {
    "zh": {"saved": "地址已保存", "fee": "寄往北京市的运费"},
    "en": {"saved": "Address saved", "fee": "Delivery to Beijing"},
}  # fmt: skip


@pytest.fixture
def shop(request, create_station, create_link):
    """The small shop, with a county centre that hands parcels to an express carrier and a
    freight template for each cooperative."""
    shop = build_shop(request.getfixturevalue)
    centre = create_station("county_center", get_by_code("622923"), name="永靖县中心")
    for point in (shop.lily_point, shop.apple_point):
        create_link(point, centre, both_ways=True)
    create_link(centre, None, carrier="EMS")
    for cooperative in (shop.lily_coop, shop.apple_coop):
        freight.save_template(cooperative, {
            "name": "常温", "cold_chain": False, "is_default": True, "first_weight_g": 1000,
            "first_fen": 1200, "step_weight_g": 1000, "step_fen": 500, "regions": [
                {"province_codes": ["620000"], "first_weight_g": 1000, "first_fen": 800,
                 "step_weight_g": 1000, "step_fen": 300}],
            "free_over_fen": None, "free_province_codes": None,
            "not_delivered_province_codes": ["540000"]})  # fmt: skip
    db.session.commit()
    return shop


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_new_buyer_adds_an_address_sees_the_fee_and_reaches_payment(
    lang, live_server, browser, screenshot, shop, create_user, stripe_standin
):
    text = TEXT[lang]
    create_user(email="new@example.com", name="新买家")
    # bypass_csp: the CSP's form-action lets the checkout form's redirect reach only
    # checkout.stripe.com, and the stand-in Stripe lives on 127.0.0.1.
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="zh-CN" if lang == "zh" else "en-US",
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server + "/login")
        page.fill("#login", "new@example.com")
        page.fill("#password", "linxia-demo")
        page.click("#submit")

        # The product page estimates the fee with a plain GET form.
        page.goto(f"{live_server}/products/{shop.lily.id}")
        page.select_option("#ship_to", "110000")
        page.click("[data-testid=product-estimate] button[type=submit]")
        assert "¥12.00" in page.locator("[data-testid=product-shipping]").inner_text()
        assert fits_the_phone(page)
        screenshot(page, f"{lang}-1-product-estimate")

        page.locator("form[action$='/cart/add'] button[type=submit]").click()
        page.goto(f"{live_server}/products/{shop.apple.id}")
        page.locator("form[action$='/cart/add'] input[name=quantity]").fill("3")
        page.locator("form[action$='/cart/add'] button[type=submit]").click()

        page.goto(live_server + "/checkout")
        page.click("[data-testid=checkout-add-address]")
        page.fill("#recipient", "王芳")
        page.fill("#phone", "139 1234 5678")
        # The selects fill one another from /api/v1/divisions (JavaScript).
        page.select_option("#province_code", "110000")
        page.wait_for_selector("#city_code option[value='110100']", state="attached")
        page.select_option("#city_code", "110100")
        page.wait_for_selector("#district_code option[value='110105']", state="attached")
        page.select_option("#district_code", "110105")
        page.fill("#street", "望京街10号")
        assert fits_the_phone(page)
        screenshot(page, f"{lang}-2-address")
        page.click("[data-testid=save-address]")
        assert text["saved"] in page.locator("[role=alert]").first.inner_text()
        assert "/checkout" in page.url

        assert page.is_checked("input[name=delivery][value=express]")
        fees = page.locator("[data-testid=shipping-fee]")
        assert fees.count() == 2 and text["fee"] in fees.first.inner_text()
        # Lily 1 kg: 12.00; apples 3 x 1 kg: 12.00 + 2 x 5.00.
        assert page.locator("[data-testid=shipping-total]").inner_text() == "¥34.00"
        assert fits_the_phone(page)
        screenshot(page, f"{lang}-3-checkout")

        page.check("input[name=payment_method][value=stripe]")
        # The order is placed and the browser sent on to Stripe Checkout (the stand-in).
        page.click("[data-testid=place-order]")
        page.wait_for_url(stripe_standin.url + "/**")
        (session,) = stripe_standin.sessions.values()
        assert page.url == session["url"]
        assert session["amount_total"] == 3000 + 3 * 1200 + 3400
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cascading_selects_work_without_javascript(
    lang, live_server, browser, screenshot, create_user
):
    create_user(email="new@example.com", name="新买家")
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="zh-CN" if lang == "zh" else "en-US",
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server + "/login?next=/account/addresses/new")
        page.fill("#login", "new@example.com")
        page.fill("#password", "linxia-demo")
        page.click("#submit")
        page.fill("#recipient", "王芳")
        page.fill("#phone", "13912345678")
        page.fill("#street", "东岗西路1号")
        page.select_option("#province_code", "620000")
        page.click("[data-testid=choose-division]")
        page.select_option("#city_code", "620100")
        page.click("[data-testid=choose-division]")
        page.select_option("#district_code", "620102")
        assert page.input_value("#street") == "东岗西路1号"  # nothing typed is lost
        assert fits_the_phone(page)
        screenshot(page, f"{lang}-no-js-address")
        page.click("[data-testid=save-address]")
        assert page.locator("[data-testid=address]").count() == 1
        assert "139****5678" in page.locator("[data-testid=address]").inner_text()
        screenshot(page, f"{lang}-no-js-address-book")
    finally:
        context.close()
