"""Importing the registry: every row checked first, all rows or none, each bad row reported
with its line number and reason, and importing the same file twice changes nothing."""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.households import registry_import
from marketplace.households.models import Household
from marketplace.households.registry_import import (
    ImportRejected,
    import_households,
    read_rows,
    template_csv,
)

from .conftest import HEADER, csv_bytes, registry_row


def count_households() -> int:
    return db.session.scalar(db.select(db.func.count(Household.id)))


def test_a_good_file_imports_every_row(yongjing_village):
    rows = [registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 6)]
    result = import_households("registry.csv", csv_bytes(rows))
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    household = db.session.scalar(db.select(Household).where(Household.household_no == "YJ000003"))
    assert household.village_id == yongjing_village.id
    assert household.net_income_per_person_fen == 320050
    assert household.members == 4 and household.poverty_causes == "illness"


def test_a_bad_row_in_the_middle_imports_nothing_and_names_every_problem(yongjing_village, english):
    good = [registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 7)]
    good[2] = registry_row(yongjing_village, "YJ000003", 3, village_code="622923106999")
    good[3] = registry_row(yongjing_village, "YJ000001", 4)  # number already on line 2
    good[4] = registry_row(yongjing_village, "YJ000005", 5, members="0", id_card_no="62292319800")
    with pytest.raises(ImportRejected) as rejected:
        import_households("registry.csv", csv_bytes(good))
    reasons = {(e.line, str(e.reason)) for e in rejected.value.errors}
    lines = sorted({line for line, _ in reasons})
    assert lines == [4, 5, 6]
    text = " | ".join(f"{line}: {reason}" for line, reason in sorted(reasons))
    assert "4: unknown village code 622923106999" in text
    assert "5: duplicate household number YJ000001 (also on line 2)" in text
    assert "6: bad household size" in text
    assert "6: an ID-card number has 17 digits" in text
    assert count_households() == 0


def test_importing_the_same_file_again_changes_nothing(yongjing_village):
    data = csv_bytes([registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 4)])
    import_households("registry.csv", data)
    db.session.commit()
    before = {h.household_no: h.updated_at for h in db.session.scalars(db.select(Household))}
    again = import_households("registry.csv", data)
    db.session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    after = {h.household_no: h.updated_at for h in db.session.scalars(db.select(Household))}
    assert after == before


def test_a_changed_row_updates_that_household_only(yongjing_village):
    rows = [registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 4)]
    import_households("registry.csv", csv_bytes(rows))
    rows[1]["members"] = "6"
    result = import_households("registry.csv", csv_bytes(rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert (
        db.session.scalar(db.select(Household.members).where(Household.household_no == "YJ000002"))
        == 6
    )


def test_an_id_card_of_another_registered_household_is_refused(
    yongjing_village, create_household, english
):
    create_household(village=yongjing_village, id_card_no="622923198001010014")
    row = registry_row(yongjing_village, "YJ000001", 1, id_card_no="622923198001010014")
    with pytest.raises(ImportRejected) as rejected:
        import_households("registry.csv", csv_bytes([row]))
    assert "already registered" in str(rejected.value.errors[0].reason)


def test_chinese_headers_and_values_and_gb18030_are_understood(yongjing_village):
    from marketplace.households.registry_import import COLUMNS

    chinese = dict(COLUMNS)
    row = registry_row(
        yongjing_village,
        "YJ000001",
        1,
        household_type="低保",
        status="已脱贫",
        exit_year="2019",
        poverty_causes="因病、缺技术",
    )
    data = csv_bytes(
        [{chinese[k]: v for k, v in row.items()}],
        header=[chinese[k] for k in HEADER],
        encoding="gb18030",
    )
    import_households("登记.csv", data)
    household = db.session.scalar(db.select(Household))
    assert household.household_type == "dibao" and household.status == "exited"
    assert household.poverty_causes == "illness,skills"


def test_xlsx_files_are_imported_with_their_row_numbers(yongjing_village, english):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    good = registry_row(yongjing_village, "YJ000001", 1)
    sheet.append([int(v) if k == "members" else v for k, v in good.items()])
    sheet.append(list(registry_row(yongjing_village, "YJ000002", 2, members="99").values()))
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportRejected) as rejected:
        import_households("registry.xlsx", out.getvalue())
    assert [e.line for e in rejected.value.errors] == [3]
    assert count_households() == 0


def test_the_template_has_every_column_and_an_example_that_would_import(yongjing_village):
    rows = read_rows("template.csv", template_csv().encode("utf-8"))
    assert list(rows[0][1]) == HEADER
    assert rows[0][0] == 2 and "示例" in rows[0][1]["head_name"]


def test_other_file_types_are_refused(english):
    from marketplace.errors import DomainError

    with pytest.raises(DomainError):
        read_rows("registry.pdf", b"%PDF-1.4")


def test_import_page_lists_bad_rows_and_writes_nothing(client, auth, create_user, yongjing_village):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    rows = [
        registry_row(yongjing_village, "YJ000001", 1),
        registry_row(yongjing_village, "YJ000002", 2, village_code="000000000000"),
        registry_row(yongjing_village, "YJ000003", 3),
    ]
    page = client.post(
        "/households/import",
        data={"file": (io.BytesIO(csv_bytes(rows)), "registry.csv")},
        content_type="multipart/form-data",
    )
    html = page.get_data(as_text=True)
    assert "Line 3: unknown village code 000000000000" in html
    assert html.count("Nothing was imported") == 1  # said once (issue 19), with its count
    assert "1 row has a problem" in html
    assert count_households() == 0
    ok = client.post(
        "/households/import",
        data={"file": (io.BytesIO(csv_bytes([rows[0], rows[2]])), "registry.csv")},
        content_type="multipart/form-data",
    )
    assert ok.get_data(as_text=True).count("2 new, 0 changed, 0 unchanged") == 1
    assert count_households() == 2


def test_template_download_is_a_csv_attachment(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    response = client.get("/households/import/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).lstrip("\ufeff").startswith("household_no,head_name")


# --- bombs and bad cells (issue 17, items 4 and 5) ------------------------------------------


def xlsx_declaring(rows: list[list], ref: str, far_cell: str | None = None, padding: int = 0):
    """A small XLSX whose sheet claims the range `ref` (and has a cell at `far_cell`, so
    the claim is real), optionally with `padding` bytes of XML whitespace that zip packs
    into almost nothing. Written member by member, so it never sits unpacked in memory."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, body)
                continue
            body = re.sub(
                rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="%s"/>' % ref.encode(), body
            )
            if far_cell:
                number = re.sub(r"[A-Z]", "", far_cell).encode()
                far = b'<row r="%s"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>'
                body = body.replace(
                    b"</sheetData>", far % (number, far_cell.encode()) + b"</sheetData>"
                )
            head, tail = body.split(b"</sheetData>")
            with target.open(info.filename, "w", force_zip64=True) as member:
                member.write(head)
                for _ in range(padding // (1 << 20)):
                    member.write(b" " * (1 << 20))
                member.write(b"</sheetData>" + tail)
    return out.getvalue()


def bounded(call):
    """(result, peak traced memory in MB, seconds) of `call()`."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return result, peak, elapsed


@pytest.mark.parametrize("far_cell", ["XFD3001", "XFD10000"])
def test_a_sheet_declaring_a_huge_range_is_read_in_bounded_memory(yongjing_village, far_cell):
    # On main, A1:XFD3001 took 464 MB and 12 s, A1:XFD10000 1.4 GB and 23 s.
    row = registry_row(yongjing_village, "YJ000001", 1)
    data = xlsx_declaring([HEADER, [row[k] for k in HEADER]], f"A1:{far_cell}", far_cell)
    assert len(data) < 20_000
    result, peak, elapsed = bounded(lambda: import_households("registry.xlsx", data))
    assert result.created == 1
    assert peak < 40 and elapsed < 5


def test_a_row_a_million_rows_down_is_refused_at_once(yongjing_village, english):
    row = registry_row(yongjing_village, "YJ000001", 1)
    data = xlsx_declaring([HEADER, [row[k] for k in HEADER]], "A1:N1048576", "A1048576")
    with pytest.raises(DomainError, match="goes on below row") as refused:
        bounded(lambda: read_rows("registry.xlsx", data))
    assert not isinstance(refused.value, ImportRejected)


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_reading(english):
    data = xlsx_declaring([HEADER], "A1:N1", padding=80 << 20)
    assert len(data) < 1_000_000
    with pytest.raises(DomainError, match="unpacks to 80 MB; at most 64 MB") as refused:
        _, peak, elapsed = bounded(lambda: read_rows("registry.xlsx", data))
    assert refused.type is DomainError


def test_a_file_past_the_row_limit_is_refused_before_any_check(
    yongjing_village, english, monkeypatch
):
    monkeypatch.setattr(registry_import, "MAX_ROWS", 3)
    rows = [registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 5)]
    with pytest.raises(DomainError, match="At most 3 rows per file"):
        import_households("registry.csv", csv_bytes(rows))
    book = [HEADER] + [[r[k] for k in HEADER] for r in rows]
    with pytest.raises(DomainError, match="At most 3 rows per file"):
        import_households("registry.xlsx", xlsx_declaring(book, "A1:N5"))


def test_bad_cells_are_named_by_line_and_column_and_nothing_is_saved(yongjing_village, english):
    rows = [registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 6)]
    rows[0]["head_name"] = "马" * 51  # the column holds 50
    rows[1]["natural_village"] = "一\x00社"
    rows[2]["net_income_per_person_yuan"] = "1e30"
    rows[3]["net_income_per_person_yuan"] = "100000000000000000000000000000"
    with pytest.raises(ImportRejected) as rejected:
        import_households("registry.csv", csv_bytes(rows))
    reasons = sorted((e.line, str(e.reason)) for e in rejected.value.errors)
    assert reasons == [
        (2, "head_name is longer than 50 characters"),
        (3, "natural_village contains a NUL character"),
        (4, "income 1e30 is not an amount in yuan"),
        (5, "income 100000000000000000000000000000 is more than 10,000,000 yuan"),
    ]
    # XML cannot hold a NUL, but a workbook cell can hold 200,000 characters.
    rows = [registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 3)]
    rows[1]["poverty_causes"] = "x" * 200_000
    book = [HEADER] + [[r[k] for k in HEADER] for r in rows]
    with pytest.raises(ImportRejected) as rejected:
        import_households("registry.xlsx", xlsx_declaring(book, "A1:N3"))
    reasons = [(e.line, str(e.reason)) for e in rejected.value.errors]
    assert reasons == [(3, "poverty_causes is longer than 100 characters")]
    assert count_households() == 0


def test_a_csv_cell_longer_than_the_reader_takes_names_its_line(yongjing_village, english):
    rows = [registry_row(yongjing_village, f"YJ{n:06d}", n) for n in range(1, 4)]
    rows[1]["head_name"] = "马" * 200_000
    with pytest.raises(DomainError, match="Line 3 cannot be read: a cell is longer than"):
        import_households("registry.csv", csv_bytes(rows))
    assert count_households() == 0
