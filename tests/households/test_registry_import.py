"""Importing the registry: every row checked first, all rows or none, each bad row reported
with its line number and reason, and importing the same file twice changes nothing."""

import io

import pytest
from openpyxl import Workbook

from marketplace.extensions import db
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
    assert "Nothing was imported" in html
    assert count_households() == 0
    ok = client.post(
        "/households/import",
        data={"file": (io.BytesIO(csv_bytes([rows[0], rows[2]])), "registry.csv")},
        content_type="multipart/form-data",
    )
    assert "2 new, 0 changed, 0 unchanged" in ok.get_data(as_text=True)
    assert count_households() == 2


def test_template_download_is_a_csv_attachment(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    response = client.get("/households/import/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).lstrip("\ufeff").startswith("household_no,head_name")
