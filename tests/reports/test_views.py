"""Report pages: administrators only, both languages, filters, printable view, CSV and XLSX
exports; the public impact page shows no names or household numbers."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from marketplace.reports.registry import REPORTS

REPORT_PATHS = ["/reports/"] + [f"/reports/{name}" for name in REPORTS]
EXPORT_PATHS = [f"/reports/{name}/export.{fmt}" for name in REPORTS for fmt in ("csv", "xlsx")]


@pytest.fixture
def admin(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    return client


def test_reports_need_an_administrator(client, auth, create_user):
    for path in REPORT_PATHS + EXPORT_PATHS:
        assert client.get(path).status_code == 302, path  # to the login page
    create_user(email="buyer@example.com")
    auth.login("buyer@example.com")
    for path in REPORT_PATHS + EXPORT_PATHS:
        assert client.get(path).status_code == 403, path


def test_every_report_and_export_opens_for_an_administrator(admin, scenario):
    for path in REPORT_PATHS:
        page = admin.get(path)
        assert page.status_code == 200, path
        assert path == "/reports/" or b'class="table-responsive"' in page.data
    for path in EXPORT_PATHS:
        assert admin.get(path).status_code == 200, path


def test_reports_index_links_every_report(admin):
    html = admin.get("/reports/").get_data(as_text=True)
    for name in REPORTS:
        assert f'href="/reports/{name}"' in html
    assert "Household income" in html and "Coverage" in html


def test_household_report_in_english_shows_masked_names_and_totals(admin, scenario):
    html = admin.get("/reports/households").get_data(as_text=True)
    assert scenario.h1.household_no in html and "马*花" in html
    assert "马小花" not in html
    totals = html[html.index('data-testid="report-totals"') :]
    assert "¥437.91" in totals and "4 households" in totals


def test_household_report_in_chinese_has_no_untranslated_headings(admin, scenario):
    admin.set_cookie("lang", "zh")
    html = admin.get("/reports/households").get_data(as_text=True)
    assert "户编号" in html and "达到贫困线" in html and "合计" not in html[:100]
    table = html[html.index("<thead>") : html.index("</thead>")]
    assert not re.findall(r">\s*[A-Za-z]{3,}", table), table


def test_filters_narrow_the_report_and_keep_the_choices(admin, scenario):
    page = admin.get("/reports/households?county=622923&township=622923106")
    html = page.get_data(as_text=True)
    assert scenario.h3.household_no in html
    assert scenario.h1.household_no not in html
    assert re.search(r'<option selected value="622923106">', html)


def test_a_township_outside_the_county_is_ignored(admin, scenario):
    html = admin.get("/reports/households?county=622925&township=622923106").get_data(as_text=True)
    assert scenario.h4.household_no in html and scenario.h3.household_no not in html


def test_a_backwards_period_is_refused_with_a_message(admin, scenario):
    html = admin.get("/reports/households?start=2026-05-01&end=2026-01-01").get_data(as_text=True)
    assert "The end of the period is before its start." in html


def test_area_rows_link_down_to_the_next_level(admin, scenario):
    html = admin.get("/reports/areas").get_data(as_text=True)
    assert 'href="/reports/areas?county=622923"' in html
    html = admin.get("/reports/areas?county=622923").get_data(as_text=True)
    assert "county=622923&amp;township=622923106" in html


def test_sorting_by_a_column_links_back_with_the_other_direction(admin, scenario):
    html = admin.get("/reports/households?sort=income").get_data(as_text=True)
    assert "sort=income&amp;dir=asc" in html
    html = admin.get("/reports/households?sort=income&dir=asc").get_data(as_text=True)
    first = html.index(scenario.h2.household_no)  # 7,797: the smallest
    assert first < html.index(scenario.h3.household_no)


def test_printable_view_drops_the_filters_and_offers_print(admin, scenario):
    html = admin.get("/reports/households?print=1").get_data(as_text=True)
    assert "data-print" in html and "report-filters" not in html
    assert "css/reports.css" in html and "<script>" not in html


def test_csv_export_is_streamed_with_every_row_and_the_totals_in_yuan(admin, scenario):
    response = admin.get("/reports/households/export.csv?sort=household_no&dir=asc")
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:5] == [
        "Household no.",
        "Head of household",
        "Village",
        "Members",
        "Platform income (yuan)",
    ]
    assert [r[0] for r in rows[1:5]] == [
        scenario.h1.household_no,
        scenario.h2.household_no,
        scenario.h3.household_no,
        scenario.h4.household_no,
    ]
    assert [r[4] for r in rows[1:5]] == ["97.18", "77.97", "161.96", "100.80"]
    assert rows[1][7] == "Yes" and rows[3][7] == ""
    assert rows[5][0] == "4 households" and rows[5][4] == "437.91"


def test_csv_export_defuses_spreadsheet_formulas(admin, scenario, create_lot, create_sale):
    lot = create_lot(scenario.pear, contributions=[("=HYPERLINK(1)", 5)])
    create_sale((scenario.pear, [(lot, 1)]))
    text = admin.get(f"/reports/statement/{scenario.hezheng.id}/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text


def test_xlsx_export_has_exact_amounts_and_number_formats(admin, scenario):
    response = admin.get("/reports/areas/export.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    # Row 1 says what, where and when; the header is row 2, frozen, with a filter.
    assert rows[0][0].startswith("Income by area · All of Linxia Prefecture · ")
    assert rows[1][0] == "Area" and rows[1][2] == "Household income (yuan)"
    by_area = {r[0]: r for r in rows[2:]}
    assert float(by_area["Yongjing County"][2]) == 337.11
    assert by_area["Total"][2] * 100 == pytest.approx(43791)
    assert sheet.cell(row=3, column=3).number_format == "#,##0.00"
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:")
    assert sheet.column_dimensions["A"].width >= 10


def test_zh_xlsx_sheet_is_named_in_chinese(admin, scenario):
    admin.set_cookie("lang", "zh")
    response = admin.get("/reports/areas/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert not sheet.title.isascii() and "永靖" not in sheet.title
    assert "临夏" in sheet.cell(row=1, column=1).value


def test_zh_export_has_chinese_headings(admin, scenario):
    admin.set_cookie("lang", "zh")
    text = admin.get("/reports/coverage/export.csv").get_data(as_text=True)
    assert text.lstrip("\ufeff").startswith("县市,县级服务中心,乡镇服务站,村级服务点")
    assert "永靖县" in text and "合计" in text


def test_statement_rows_link_to_the_household_split(admin, scenario):
    html = admin.get("/reports/statement").get_data(as_text=True)
    assert f"/reports/statement/{scenario.yongjing.id}" in html
    split = admin.get(f"/reports/statement/{scenario.yongjing.id}").get_data(as_text=True)
    assert "收购点" in split and "韩*明" in split and "韩德明" not in split
    assert admin.get(f"/reports/statement/{scenario.yongjing.id}/export.xlsx").status_code == 200
    assert admin.get("/reports/statement/999999").status_code == 404


def test_unknown_reports_and_formats_are_not_found(admin):
    assert admin.get("/reports/nonsense").status_code == 404
    assert admin.get("/reports/households/export.pdf").status_code == 404


def test_trend_draws_an_svg_chart_on_the_server(admin, scenario):
    html = admin.get("/reports/trend?county=622923").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<rect") >= 2 and "chart-bar-income" in svg
    assert "<script" not in svg


def test_impact_page_is_public_and_shows_no_names_or_household_numbers(client, scenario):
    html = client.get("/impact").get_data(as_text=True)
    assert "¥437.91" in html  # this year's income to poor households
    assert 'data-testid="impact-households">4<' in html
    for household in (scenario.h1, scenario.h2, scenario.h3, scenario.h4):
        assert household.household_no not in html
        assert household.head_name not in html and household.head_name[0] + "*" not in html
    assert "Yongjing County" in html and "<svg" in html


def test_impact_page_in_chinese(client, scenario):
    client.set_cookie("lang", "zh")
    html = client.get("/impact").get_data(as_text=True)
    assert "受益户数" in html and "永靖县" in html


def test_long_reports_are_paged_and_the_pages_keep_the_filters(admin, scenario, monkeypatch):
    monkeypatch.setattr("marketplace.reports.views.ROWS_PER_PAGE", 3)
    first = admin.get("/reports/households?sort=household_no&dir=asc").get_data(as_text=True)
    assert scenario.h3.household_no in first and scenario.h4.household_no not in first
    assert "page=2" in first and "sort=household_no" in first and "1 / 2" in first
    second = admin.get("/reports/households?sort=household_no&dir=asc&page=2").get_data(
        as_text=True
    )
    assert scenario.h4.household_no in second and scenario.h1.household_no not in second
    assert "¥437.91" in second  # the totals cover every page
