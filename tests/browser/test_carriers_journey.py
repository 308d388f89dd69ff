"""Express parcels on 360 px phones, in Chinese and in English: the county centre's operator
hands two parcels to carriers (tracking numbers typed as a scanner types them) and prints
the day's hand-over list; the carrier's signed events arrive; the buyer follows them on
the order page and confirms receipt (确认收货)."""

import pytest

from tests.browser.conftest import PHONE
from tests.carriers import conftest as carrier_fixtures
from tests.carriers.carrier_standin import CarrierStandin

from .conftest import fits_the_phone as fits

app_config = carrier_fixtures.app_config
express = carrier_fixtures.express

pytestmark = pytest.mark.browser

TEXT = {
    "zh": {
        "lang": "zh-CN",
        "handed": "已交给",
        "sf": "顺丰速运",
        "ems": "中国邮政EMS",
        "out": "派送中",
        "signature": "快递员签字",
        "confirmed": "已确认收货",
        "delivered": "已送达",
    },
    "en": {
        "lang": "en-US",
        "handed": "handed to",
        "sf": "SF Express",
        "ems": "China Post EMS",
        "out": "Out for delivery",
        "signature": "Courier's signature",
        "confirmed": "receipt confirmed",
        "delivered": "Delivered",
    },
}


def log_in(page, base, login):
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.fill("#login", login)
    page.fill("#password", "linxia-demo")
    with page.expect_navigation():
        page.click("#submit")
    assert "/login" not in page.url


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_county_hands_to_carriers_and_the_buyer_follows_and_confirms(
    live_server, browser, screenshot, express, lang
):
    text = TEXT[lang]
    order = express.sale(until="ready")
    first, second = order.fulfilments
    codes = first.parcel.code, second.parcel.code
    centre = express.centre.id

    operator = browser.new_context(viewport=PHONE, locale=text["lang"]).new_page()
    operator.set_default_timeout(10_000)
    log_in(operator, live_server, "county-op@example.com")
    operator.goto(f"{live_server}/stations/{centre}")
    assert fits(operator)
    operator.click(f"[data-testid=to-carrier-{codes[0]}]")
    assert operator.locator("#code").input_value() == codes[0]
    # The tracking number field has the focus: a scanner types the number and Enter.
    assert operator.evaluate("document.activeElement.id") == "tracking_no"
    operator.select_option("#carrier", "sf")
    operator.keyboard.type("SF1234567890123")
    with operator.expect_navigation():
        operator.keyboard.press("Enter")
    flash = operator.locator(".alert-success").first.inner_text()
    assert codes[0] in flash and "SF1234567890123" in flash
    assert operator.locator("#carrier").input_value() == "sf"  # kept for the next parcel
    # The second: chosen from the waiting list, a number that is no tracking number first.
    operator.click(f"[data-testid=choose-{codes[1]}]")
    operator.select_option("#carrier", "ems")
    operator.fill("#tracking_no", "12-3")
    operator.click("#submit")
    assert operator.locator(".invalid-feedback, .text-danger").count() >= 1
    operator.fill("#tracking_no", "EA123456789CN")
    with operator.expect_navigation():
        operator.click("#submit")
    assert fits(operator)
    screenshot(operator, f"{lang}-carrier-handover")
    operator.click("[data-testid=handover-list-link]")
    assert text["sf"] in operator.content() and text["ems"] in operator.content()
    assert fits(operator)
    screenshot(operator, f"{lang}-handover-list")
    operator.click("[data-testid=print-view]")
    assert text["signature"] in operator.inner_text("body")
    assert operator.locator("[data-testid=tracking-no]").count() == 2
    screenshot(operator, f"{lang}-handover-list-print")
    operator.context.close()

    carrier = CarrierStandin(carrier_fixtures.SECRET, base_url=live_server)
    for status, place in (("in_transit", "兰州转运中心"), ("out_for_delivery", "北京市朝阳区")):
        answer, _ = carrier.send("SF1234567890123", status, location=place)
        assert answer[0] == 200

    buyer = browser.new_context(viewport=PHONE, locale=text["lang"]).new_page()
    buyer.set_default_timeout(10_000)
    log_in(buyer, live_server, "beijing-buyer@example.com")
    buyer.goto(f"{live_server}/orders/{order.reference}")
    body = buyer.inner_text("body")
    assert text["sf"] in body and "SF1234567890123" in body and "EA123456789CN" in body
    assert "北京市朝阳区" in body and text["out"] in body
    assert buyer.locator("[data-testid=carrier-events] li").count() == 2
    assert fits(buyer)
    screenshot(buyer, f"{lang}-buyer-tracking")
    with buyer.expect_navigation():
        buyer.click(
            "[data-testid=confirm-receipt] button, [data-testid=confirm-receipt] input[type=submit]"
        )
    assert text["confirmed"] in buyer.locator(".alert-success").first.inner_text()
    assert buyer.locator("[data-testid=confirm-receipt]").count() == 0
    assert fits(buyer)
    screenshot(buyer, f"{lang}-buyer-confirmed")
    buyer.context.close()
