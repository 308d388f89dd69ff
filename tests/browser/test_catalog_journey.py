"""A cooperative manager, on a 360 px phone, lists a product with a photo, records a lot,
and opens the lot's traceability page from the address its QR code holds."""

import pytest

from marketplace.catalog.demo_photos import illustration
from marketplace.extensions import db
from tests.catalog.test_public_pages import expected_modules, qr_modules

from .conftest import fits_the_phone

pytestmark = pytest.mark.browser


@pytest.fixture
def lily_cooperative(
    create_user, create_village, create_cooperative, create_household, create_category
):
    manager = create_user(email="coop@example.com", name="马经理", roles=["cooperative_manager"])
    village = create_village(township_code="622923106", name="陈井示例1村")
    cooperative = create_cooperative(
        village=village, managers=[manager], name_zh="陈井百合合作社（示例）"
    )
    household = create_household(village=village, household_no="622923106201001")
    create_category(code="vegetables", name_zh="蔬菜", name_en="Vegetables")
    db.session.commit()
    return cooperative, household


def test_manager_lists_a_product_and_traces_its_lot(
    live_server, page, screenshot, lily_cooperative, tmp_path
):
    _, household = lily_cooperative
    photo = tmp_path / "百合.jpg"
    illustration("lily", "兰州鲜百合", "Fresh Lanzhou lily").save(photo, "JPEG")

    page.goto(live_server + "/login")
    page.fill("#login", "coop@example.com")
    page.fill("#password", "linxia-demo")
    page.click("#submit")
    page.goto(live_server + "/manage")
    page.click("[data-testid=add-product]")
    page.fill("#name_zh", "兰州鲜百合")
    page.select_option("#unit", "box_2kg")
    page.fill("#price", "68")
    page.set_input_files("#photos", str(photo))
    page.fill("#description_zh", "陈井镇高山旱塬上种了三年的百合。")
    page.check("#ovop")
    assert fits_the_phone(page)
    screenshot(page, "product-form")
    page.click("#submit")
    assert page.locator("[data-testid=product-photo]").count() == 1
    page.click("[data-testid=status-active]")
    assert page.locator("[data-testid=product-status]").inner_text() == "在售"
    assert fits_the_phone(page)
    screenshot(page, "product-saved")

    page.get_by_role("link", name="记录批次").first.click()
    page.fill("#quantity", "10")
    page.fill("#contributions-0-household_no", household.household_no)
    page.fill("#contributions-0-quantity", "6")
    page.fill("#contributions-1-supplier_name", "合作社基地")
    page.fill("#contributions-1-quantity", "4")
    rows = page.locator(".contribution-row").count()
    page.click("#add-contribution-row")
    assert page.locator(".contribution-row").count() == rows + 1
    assert page.locator(f"#contributions-{rows}-quantity").count() == 1
    assert fits_the_phone(page)
    page.click("#submit")
    label = page.locator("[data-testid=lot-label]")
    assert "兰州鲜百合" in label.inner_text()
    assert fits_the_phone(page)
    screenshot(page, "lot-label")

    # The QR code on the label holds exactly the address printed under it.
    trace_url = page.locator("[data-testid=trace-link]").inner_text().strip()
    qr_png = page.request.get(trace_url + "/qr.png").body()
    assert qr_modules(qr_png) == expected_modules(trace_url)

    page.goto(trace_url)
    assert "兰州鲜百合" in page.locator("h1").inner_text()
    assert "1" in page.locator("[data-testid=households-count]").inner_text()
    assert household.household_no not in page.content()
    assert fits_the_phone(page)
    screenshot(page, "trace")

    page.click("text=查看商品")
    assert page.locator("img.photo-main").count() == 1
    assert "1" in page.locator("[data-testid=supported]").inner_text()
    assert fits_the_phone(page)
    screenshot(page, "product-page")
