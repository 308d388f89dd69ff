"""An administrator opens every report on a 360 px phone in Chinese and in English,
exports each as CSV and XLSX, and looks at the charts; anyone opens the impact page."""

import csv
import io

import pytest
from openpyxl import load_workbook

from marketplace.reports.registry import REPORTS
from tests.browser.conftest import ARTIFACTS
from tests.reports.conftest import scenario

pytestmark = pytest.mark.browser
# Importing the fixtures registers them for this module.
SALE_FIXTURES = (scenario,)
HEADINGS = {
    "zh": {"households": "户编号", "coverage": "县级服务中心", "trend": "月份"},
    "en": {"households": "Household no.", "coverage": "Service centres", "trend": "Month"},
}


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def download(page, testid):
    with page.expect_download() as info:
        page.click(f"[data-testid={testid}]")
    return info.value


def check_exports(page, name, locale):
    csv_file = download(page, "export-csv")
    assert csv_file.suggested_filename.startswith(name) and csv_file.suggested_filename.endswith(
        ".csv"
    )
    text = csv_file.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) >= 2, (name, locale)
    if name in HEADINGS[locale]:
        assert HEADINGS[locale][name] in rows[0]
    xlsx_file = download(page, "export-xlsx")
    assert xlsx_file.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_file.path().read_bytes())).active
    # Row 1 is the title (report · area · period), the header row 2 (issue 19).
    assert "永靖" in sheet.cell(row=1, column=1).value or "Yongjing" in sheet.cell(1, 1).value
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))] == rows[0]
    assert sheet.max_row == len(rows) + 1


def test_reports_in_both_languages_with_exports_and_charts(
    live_server, page, screenshot, scenario, create_user
):
    create_user(email="admin@example.com", name="管理员", roles=["admin"])
    page.goto(live_server + "/login")
    page.fill("#login", "admin@example.com")
    page.fill("#password", "linxia-demo")
    page.click("#submit")

    for locale in ("zh", "en"):
        page.goto(f"{live_server}/language/{locale}?next=/reports/")
        assert page.locator("html").get_attribute("lang") == ("zh-CN" if locale == "zh" else "en")
        screenshot(page, f"index-{locale}")
        for name in REPORTS:
            page.goto(f"{live_server}/reports/{name}?county=622923")
            table = page.locator("[data-testid=report-table]")
            assert table.is_visible(), name
            assert fits_the_phone(page), name
            if name in HEADINGS[locale]:
                assert HEADINGS[locale][name] in table.locator("thead").inner_text()
            if locale == "zh" or name == "trend":
                screenshot(page, f"{name}-{locale}")
            check_exports(page, name, locale)
        page.goto(f"{live_server}/reports/trend")
        chart = page.locator("[data-testid=chart] svg")
        assert chart.is_visible() and chart.locator("rect").count() >= 2
        chart.screenshot(path=str(ARTIFACTS / f"reports-chart-trend-{locale}.png"))

    # The printable view at A4 landscape width.
    page.set_viewport_size({"width": 1100, "height": 800})
    page.goto(f"{live_server}/reports/households?print=1")
    page.emulate_media(media="print")
    assert page.locator(".report-filters").count() == 0
    assert not page.locator("nav.navbar").is_visible()
    screenshot(page, "households-print")


def test_impact_page_on_a_phone_in_both_languages(live_server, page, screenshot, scenario):
    page.goto(live_server + "/impact")
    assert page.locator("[data-testid=impact-households]").inner_text() == "4"
    assert "¥437.91" in page.locator("[data-testid=impact-income]").inner_text()
    assert "永靖县" in page.locator("[data-testid=impact-counties]").inner_text()
    assert fits_the_phone(page)
    screenshot(page, "impact-zh")
    page.goto(live_server + "/language/en?next=/impact")
    assert "Yongjing County" in page.locator("[data-testid=impact-counties]").inner_text()
    assert page.locator("[data-testid=impact-chart] svg rect").count() >= 1
    screenshot(page, "impact-en")
