"""Importing the household registry from CSV or XLSX: every row is checked first, then all
rows are written or none; rows are matched on the household number, so importing the same
file twice changes nothing."""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from .. import spreadsheets
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
# No registry cell is longer than this; a longer one is refused, not echoed back.
MAX_CELL = 100
# Text stored as typed: at most what its database column holds.
TEXT_LIMITS = {
    key: Household.__table__.c[key].type.length for key in ("head_name", "natural_village")
}
# A yuan amount as people type it: digits, thousands commas, a decimal point; no exponent.
INCOME_RE = re.compile(r"-?[0-9][0-9,]*(\.[0-9]*)?")
MAX_INCOME_FEN = 10_000_000 * 100  # ten million yuan a person; the column is a 32-bit integer
# Cells right of these are ignored (a sheet may declare 16,384 columns).
MAX_COLUMNS = 64
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
        super().__init__(
            lazy_ngettext(
                "Nothing was imported: %(num)d row has a problem.",
                "Nothing was imported: %(num)d rows have problems.",
                lines,
            )
        )
        self.errors = errors


def template_csv() -> str:
    """The header line and one clearly marked example row, for administrators to fill in."""
    return spreadsheets.csv_text(
        [key for key, _ in COLUMNS],
        [
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
        ],
    )


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column key: text}) for each non-empty data row of a CSV or XLSX file.
    Rows are read lazily and the file is refused at the first row past MAX_ROWS."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        table = spreadsheets.xlsx_rows(data, MAX_ROWS + 1, MAX_COLUMNS)
    elif name.endswith(".csv"):
        table = spreadsheets.csv_rows(_csv_text(data), MAX_ROWS + 1, MAX_COLUMNS)
    else:
        raise DomainError(_l("Upload a .csv or .xlsx file."))
    first = next(table, None)
    if first is None:
        raise DomainError(_l("The file is empty."))
    keys = _header_keys([_cell_text(v) for v in first[1]])
    rows = []
    for line, values in table:
        cells = [_cell_text(v) for v in values]
        rows.append((line, {k: (cells[i].strip() if i < len(cells) else "") for i, k in keys}))
    return rows


def _csv_text(data: bytes) -> str:
    # Excel in China often saves CSV as GB18030; UTF-8 (with or without BOM) is tried first.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_l("The CSV file is neither UTF-8 nor GB18030 text."))


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


def _cell_problems(raw: dict[str, str]) -> list:
    """NULs and over-long cells, found before anything else looks at (or repeats) them."""
    problems = []
    for key, text in raw.items():
        limit = TEXT_LIMITS.get(key, MAX_CELL)
        if "\x00" in text:
            problems.append(_l("%(col)s contains a NUL character", col=key))
            raw[key] = ""
        elif len(text) > limit:
            problems.append(_l("%(col)s is longer than %(n)s characters", col=key, n=limit))
            raw[key] = ""
    return problems


def _income_fen(text: str) -> int:
    """Yuan as fen; ValueError unless a plain decimal number (no 1e30) of sensible size."""
    if not INCOME_RE.fullmatch(text):
        raise ValueError(text)
    whole, _, decimals = text.replace(",", "").lstrip("-").partition(".")
    if len(whole.lstrip("0")) > 9:  # 29 digits would overflow Decimal's 28-digit context
        raise OverflowError(text)
    if len(decimals) > 9:
        raise ValueError(text)
    fen = yuan_to_fen(text)
    if fen > MAX_INCOME_FEN:
        raise OverflowError(text)
    return fen


def parse_row(raw: dict[str, str], villages: dict[str, int]) -> tuple[dict, list]:
    """Typed registry values of one row and the reasons it is bad (empty when good). A row
    with a NUL or an over-long cell reports only that (its other checks would echo it)."""
    raw = dict(raw)
    cell_problems = _cell_problems(raw)
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
        values["net_income_per_person_fen"] = _income_fen(income) if income else None
    except OverflowError:
        values["net_income_per_person_fen"] = None
        limit = f"{MAX_INCOME_FEN // 100:,}"
        problems.append(_l("income %(value)s is more than %(max)s yuan", value=income, max=limit))
    except ValueError:
        values["net_income_per_person_fen"] = None
        problems.append(_l("income %(value)s is not an amount in yuan", value=income))
    problems += services.check_household_values(values)
    return values, cell_problems or problems


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
