"""Issue 19 items 8, 11 and 15: one date format per language in Beijing time, plurals,
and report workbooks people can read (title row, widths, frozen header, filter)."""

import io
from datetime import date, datetime

from flask_babel import force_locale, ngettext
from openpyxl import load_workbook

from marketplace import datefmt, spreadsheets


def test_dates_and_times_are_written_once_per_language_in_beijing_time(app):
    moment = datetime(2026, 12, 2, 20, 32)  # UTC: 04:32 on 3 December in Beijing
    with app.test_request_context("/"):
        with force_locale("zh"):
            assert datefmt.when(moment) == "2026年12月3日 04:32"
            assert datefmt.day(date(2026, 12, 3)) == "2026年12月3日"
            assert datefmt.when(moment, "short") == "12月3日 04:32"
            assert datefmt.when(moment, "%H:%M") == "04:32"  # the old strftime styles
        with force_locale("en"):
            assert datefmt.when(moment) == "3 Dec 2026, 04:32"
            assert datefmt.day(moment) == "3 Dec 2026"  # a moment's Beijing day
            assert datefmt.when(None) == "" and datefmt.day(None) == ""


def test_a_pickup_window_is_a_day_and_two_times(app):
    start, end = datetime(2026, 12, 3, 6, 0), datetime(2026, 12, 3, 12, 0)  # 14:00-20:00
    with app.test_request_context("/"), force_locale("zh"):
        assert datefmt.window(start, end) == "12月3日 14:00–20:00"


def test_no_template_writes_a_raw_date(app):
    from pathlib import Path

    for path in Path(app.root_path).parent.joinpath("templates").rglob("*.html"):
        text = path.read_text()
        for line in text.splitlines():
            if "isoformat()" in line and 'type="date"' not in line:
                raise AssertionError(f"{path}: {line.strip()}")
            assert "datetimeformat('short')" not in line, path


def test_plurals_in_both_languages(app):
    with app.test_request_context("/"):
        with force_locale("en"):
            assert ngettext("%(num)d row imported.", "%(num)d rows imported.", 1) == (
                "1 row imported."
            )
            assert ngettext("%(num)d row imported.", "%(num)d rows imported.", 3) == (
                "3 rows imported."
            )
        with force_locale("zh"):
            assert ngettext("%(num)d row imported.", "%(num)d rows imported.", 3) == (
                "已导入 3 行。"
            )


def test_a_report_workbook_has_title_widths_frozen_header_and_filter():
    out = io.BytesIO()
    spreadsheets.write_xlsx(
        out,
        sheet="贫困户收益: 2026/1?",
        title="贫困户收益 · 永靖县 · 2026年1月1日 – 2026年12月3日",
        header=["户编号", "户主", "收益（元）"],
        rows=[["622923100201000001", "马*花", 12.5], ["=cmd()", "韩*明", 3]],
        number_formats=[None, None, "#,##0.00"],
    )
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet.title == "贫困户收益  2026 1"  # characters Excel refuses are spaces
    assert sheet["A1"].value.startswith("贫困户收益 · 永靖县")
    assert [c.value for c in sheet[2]] == ["户编号", "户主", "收益（元）"]
    assert sheet["A3"].value == "622923100201000001"  # text: Excel keeps every digit
    assert sheet["A4"].value == "'=cmd()"  # never a formula
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:C4"
    assert sheet.column_dimensions["A"].width >= 18 and sheet["C3"].number_format == "#,##0.00"


def test_chinese_characters_count_double_for_width():
    assert spreadsheets.text_width("永靖县") == 6 and spreadsheets.text_width("abc") == 3


def test_a_printed_label_carries_no_flash_message(app):
    from pathlib import Path

    css = Path(app.root_path).parent.joinpath("static/css/app.css").read_text()
    assert "@media print { main > .flash { display: none !important; } }" in css
