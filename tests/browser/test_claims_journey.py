"""On a 360 px phone, in Chinese and in English: the buyer opens a claim with a photo from
the order page (申请售后), the cooperative's manager accepts it, the buyer sees the refund."""

import io

import pytest
from PIL import Image

from tests.browser.conftest import PHONE
from tests.claims.conftest import buyer, delivered, manager  # noqa: F401  (fixtures)

from .conftest import fits_the_phone

pytestmark = pytest.mark.browser

TEXT = {
    "zh": {"sent": "已提交给合作社", "decided": "处理结果已记录", "accepted": "已同意"},
    "en": {
        "sent": "sent to the cooperative",
        "decided": "decision has been recorded",
        "accepted": "Accepted",
    },
}


def _photo(tmp_path):
    path = tmp_path / "crushed-box.jpg"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (150, 90, 40)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def _login(page, live_server, login, next_path):
    page.goto(f"{live_server}/login?next={next_path}")
    page.fill("#login", login)
    page.fill("#password", "linxia-demo")
    page.click("#submit")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_claim_with_a_photo_accepted_and_refunded(
    live_server,
    browser,
    screenshot,
    delivered,  # noqa: F811  (the claims fixture, imported above)
    tmp_path,
    lang,
):
    fulfilment = delivered(quantity=4, price_fen=3333)
    reference, line_id = fulfilment.order.reference, fulfilment.lines[0].id
    text = TEXT[lang]
    context = browser.new_context(viewport=PHONE, locale="zh-CN" if lang == "zh" else "en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _login(page, live_server, "buyer@example.com", f"/orders/{reference}")
        page.click("[data-testid=open-claim]")
        page.wait_for_selector(f"#units-{line_id}")
        assert fits_the_phone(page)
        page.fill(f"#units-{line_id}", "1")
        page.select_option("[data-testid=claim-reason]", "damaged")
        page.fill("[data-testid=claim-description]", "箱子压坏了，一袋百合碎了。")
        page.set_input_files("[data-testid=claim-photos]", str(_photo(tmp_path)))
        screenshot(page, f"{lang}-1-claim-form")
        page.click("[data-testid=claim-submit]")
        assert text["sent"] in page.locator("[role=alert]").inner_text()
        assert page.locator("[data-testid=claim-photo-list] img").count() == 1
        assert fits_the_phone(page)
        screenshot(page, f"{lang}-2-claim-open")
        page.context.clear_cookies()

        if lang == "en":
            page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
        _login(page, live_server, "manager@example.com", "/manage")
        assert page.locator("[data-testid=claims-to-answer]").count() == 1
        screenshot(page, f"{lang}-3-manager-home")
        page.locator("[data-testid=claims-to-answer] a").click()
        page.click("[data-testid=claim-row]")
        assert page.locator("#decide-amount").input_value() == "33.33"
        assert fits_the_phone(page)
        screenshot(page, f"{lang}-4-manager-decides")
        page.click("#decide-submit")
        assert text["decided"] in page.locator("[role=alert]").inner_text()
        page.context.clear_cookies()

        _login(page, live_server, "buyer@example.com", f"/orders/{reference}")
        assert text["accepted"] in page.locator("[data-testid=claim-status]").inner_text()
        assert "33.33" in page.locator("[data-testid=claim-refund]").inner_text()
        assert fits_the_phone(page)
        screenshot(page, f"{lang}-5-buyer-sees-refund")
    finally:
        context.close()
