"""Importing the household registry from CSV or XLSX: every row is checked first, then all
rows are written or none; rows are matched on the household number, so importing the same
file twice changes nothing."""

import csv
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from ..errors import DomainError
from ..extensions import db
from ..money import yuan_to_fen
from ..regions.models import Region, RegionLevel
from ..transaction import verb
from . import services
from .models import Household, HouseholdType, PovertyStatus

# (column key, Chinese header accepted as an alias). Keys are what the template uses.
COLUMNS = (
    ("household_no", "户编号"),
    ("head_name", "户主姓名"),
    ("id_card_no", "身份证号"),
    ("phone", "联系电话"),
    ("village_code", "村代码"),
    ("natural_village", "自然村"),
    ("members", "家庭人口"),
    ("household_type", "贫困户属性"),
    ("poverty_causes", "致贫原因"),
    ("status", "脱贫状态"),
    ("planned_exit_year", "计划脱贫年度"),
    ("exit_year", "脱贫年度"),
    ("net_income_per_person_yuan", "人均纯收入"),
    ("income_year", "收入年度"),
)
REQUIRED = ("household_no", "head_name", "village_code", "members")
MAX_ROWS = 50_000
TYPE_ALIASES = {
    "一般": "ordinary",
    "一般贫困户": "ordinary",
    "低保": "dibao",
    "低保贫困户": "dibao",
}
TYPE_ALIASES |= {"五保": "wubao", "五保贫困户": "wubao", "特困": "wubao"}
STATUS_ALIASES = {"未脱贫": "not_exited", "已脱贫": "exited", "返贫": "fell_back"}
CAUSE_ALIASES = {
    "因病": "illness",
    "因残": "disability",
    "因学": "schooling",
    "因灾": "disaster",
    "缺土地": "land",
    "缺水": "water",
    "缺技术": "skills",
    "缺劳力": "labour",
    "缺资金": "capital",
    "交通条件落后": "transport",
    "自身发展动力不足": "drive",
}


@dataclass
class RowError:
    line: int
    reason: object  # a lazy string, translated when shown


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportRejected(DomainError):
    """The file had bad rows; nothing was imported. `errors` lists each bad row."""

    def __init__(self, errors: list[RowError]):
        lines = len({e.line for e in errors})
        super().__init__(_l("Nothing was imported: %(n)s rows have problems.", n=lines))
        self.errors = errors


def template_csv() -> str:
    """The header line and one clearly marked example row, for administrators to fill in."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([key for key, _ in COLUMNS])
    writer.writerow(
        [
            "622923106201999",
            "马玉花（示例）",
            "622923198001010014",
            "13900000000",
            "622923106201",
            "示例自然村",
            "4",
            "ordinary",
            "illness,skills",
            "not_exited",
            "2020",
            "",
            "3200.00",
            "2019",
        ]
    )
    return out.getvalue()


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column key: text}) for each non-empty data row of a CSV or XLSX file."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        table = _xlsx_table(data)
    elif name.endswith(".csv"):
        table = _csv_table(data)
    else:
        raise DomainError(_l("Upload a .csv or .xlsx file."))
    if not table:
        raise DomainError(_l("The file is empty."))
    keys = _header_keys(table[0][1])
    rows = []
    for line, cells in table[1:]:
        if not any(c.strip() for c in cells):
            continue
        rows.append((line, {k: (cells[i].strip() if i < len(cells) else "") for i, k in keys}))
    if len(rows) > MAX_ROWS:
        raise DomainError(_l("At most %(n)s rows per file.", n=MAX_ROWS))
    return rows


def _csv_table(data: bytes) -> list[tuple[int, list[str]]]:
    # Excel in China often saves CSV as GB18030; UTF-8 (with or without BOM) is tried first.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError(_l("The CSV file is neither UTF-8 nor GB18030 text."))
    reader = csv.reader(io.StringIO(text, newline=""))
    return [(reader.line_num, row) for row in reader]


def _xlsx_table(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError(_l("The file is not a readable XLSX workbook.")) from exc
    sheet = book.worksheets[0]
    table = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        table.append((number, [_cell_text(v) for v in row]))
    book.close()
    return table


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Numbers typed into Excel come back as floats (4.0); registry numbers are integers.
        return str(int(value))
    return str(value)


def _header_keys(header: list[str]) -> list[tuple[int, str]]:
    aliases = {key: key for key, _ in COLUMNS} | {zh: key for key, zh in COLUMNS}
    found = []
    for i, cell in enumerate(header):
        key = aliases.get(cell.strip().lstrip("\ufeff"))
        if key:
            found.append((i, key))
    missing = [key for key in REQUIRED if key not in {k for _, k in found}]
    if missing:
        raise DomainError(
            _l("The header line lacks the columns: %(cols)s.", cols=", ".join(missing))
        )
    return found


def _int(text: str) -> int | None:
    return int(text) if text else None


def parse_row(raw: dict[str, str], villages: dict[str, int]) -> tuple[dict, list]:
    """Typed registry values of one row and the reasons it is bad (empty when good)."""
    problems = []
    values = {
        "household_no": raw.get("household_no", ""),
        "head_name": raw.get("head_name", ""),
        "id_card_no": services.normalise_id_card(raw.get("id_card_no")),
        "phone": services.normalise_phone(raw.get("phone")),
        "natural_village": raw.get("natural_village") or None,
    }
    code = raw.get("village_code", "")
    values["village_id"] = villages.get(code)
    if values["village_id"] is None:
        problems.append(_l("unknown village code %(code)s", code=code or "-"))
    for key in ("members", "planned_exit_year", "exit_year", "income_year"):
        try:
            values[key] = _int(raw.get(key, ""))
        except ValueError:
            values[key] = None
            problems.append(_l("%(col)s is not a whole number", col=key))
    kind = raw.get("household_type") or "ordinary"
    kind = TYPE_ALIASES.get(kind, kind)
    if kind not in HouseholdType.__members__:
        problems.append(_l("unknown household type %(value)s", value=kind))
    values["household_type"] = HouseholdType(kind) if kind in HouseholdType.__members__ else None
    status = raw.get("status") or "not_exited"
    status = STATUS_ALIASES.get(status, status)
    if status not in PovertyStatus.__members__:
        problems.append(_l("unknown poverty status %(value)s", value=status))
    values["status"] = PovertyStatus(status) if status in PovertyStatus.__members__ else None
    causes = [c.strip() for c in _split_causes(raw.get("poverty_causes", "")) if c.strip()]
    values["poverty_causes"] = ",".join(CAUSE_ALIASES.get(c, c) for c in causes) or None
    income = raw.get("net_income_per_person_yuan", "")
    try:
        values["net_income_per_person_fen"] = yuan_to_fen(income) if income else None
    except ValueError:
        values["net_income_per_person_fen"] = None
        problems.append(_l("income %(value)s is not an amount in yuan", value=income))
    problems += services.check_household_values(values)
    return values, problems


def _split_causes(text: str) -> list[str]:
    for sep in ("、", ";", "；", "，", "|"):
        text = text.replace(sep, ",")
    return text.split(",")


def check_rows(rows) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Parse every row and find every problem, including duplicates within the file."""
    villages = dict(
        db.session.execute(
            db.select(Region.code, Region.id).where(Region.level == RegionLevel.village)
        ).all()
    )
    parsed, errors = [], []
    seen_no: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    for line, raw in rows:
        values, problems = parse_row(raw, villages)
        number, card = values["household_no"], values["id_card_no"]
        if number in seen_no:
            reason = _l(
                "duplicate household number %(no)s (also on line %(line)s)",
                no=number,
                line=seen_no[number],
            )
            problems.insert(0, reason)
        seen_no.setdefault(number, line)
        if card and card in seen_id:
            problems.append(_l("ID-card number also used on line %(line)s", line=seen_id[card]))
        if card:
            seen_id.setdefault(card, line)
        errors += [RowError(line, reason) for reason in problems]
        parsed.append((line, values))
    errors += _id_cards_used_elsewhere(parsed)
    return parsed, errors


def _id_cards_used_elsewhere(parsed) -> list[RowError]:
    """Rows whose ID-card number belongs to a different household already registered."""
    cards = {values["id_card_no"]: (line, values["household_no"]) for line, values in parsed}
    cards.pop(None, None)
    keys, errors = list(cards), []
    for start in range(0, len(keys), 500):
        stmt = db.select(Household.id_card_no, Household.household_no).where(
            Household.id_card_no.in_(keys[start : start + 500])
        )
        for card, number in db.session.execute(stmt):
            line, row_number = cards[card]
            if number != row_number:
                reason = _l("ID-card number already registered to %(no)s", no=number)
                errors.append(RowError(line, reason))
    return errors


def _existing_by_number(numbers: list[str]) -> dict[str, Household]:
    # In chunks: SQLite limits the number of bound parameters in one statement.
    found = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        stmt = db.select(Household).where(Household.household_no.in_(chunk))
        found.update((h.household_no, h) for h in db.session.scalars(stmt))
    return found


@verb
def import_households(filename: str, data: bytes) -> ImportResult:
    """Check every row; if all are good, create or update them all (else raise ImportRejected)."""
    parsed, errors = check_rows(read_rows(filename, data))
    if errors:
        raise ImportRejected(errors=sorted(errors, key=lambda e: e.line))
    existing = _existing_by_number([values["household_no"] for _, values in parsed])
    result = ImportResult()
    for _line, values in parsed:
        household = existing.get(values["household_no"])
        if household is None:
            household = Household()
            db.session.add(household)
            services.apply_values(household, values)
            result.created += 1
        elif services.apply_values(household, values):
            result.updated += 1
        else:
            result.unchanged += 1
    db.session.flush()
    return result
