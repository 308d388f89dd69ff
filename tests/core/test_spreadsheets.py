"""The one CSV/XLSX writer: text that a spreadsheet would run as a formula gets an
apostrophe, numbers stay numbers, and reading the file back takes the apostrophe off."""

import io

from marketplace import spreadsheets


def test_text_cells_that_look_like_formulas_are_escaped_and_read_back():
    cells = ["=1+1", "+86", "-3", "@x", "\tx", "\rx", "plain", "'quoted"]
    text = spreadsheets.csv_text(["h"], [[c] for c in cells])
    read = [row[0] for _, row in spreadsheets.csv_rows(text, 100, 5)][1:]
    assert text.splitlines()[1:4] == ["'=1+1", "'+86", "'-3"]
    assert read == [c for c in cells if c.strip()]


def test_numbers_stay_numbers():
    from decimal import Decimal

    assert spreadsheets.xlsx_value(-3) == -3 and spreadsheets.xlsx_value(Decimal("-1.50")) < 0
    assert spreadsheets.xlsx_value("-3") == "'-3"
    out = io.StringIO()
    spreadsheets.CsvWriter(out).writerow([-3, Decimal("-1.50"), "-x"])
    assert out.getvalue().strip() == "-3,-1.50,'-x"
