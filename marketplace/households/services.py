"""The registry of poor households: field rules, masking, who may see which households,
saving one household, and the poverty line of each year."""

import re
from dataclasses import dataclass
from datetime import date

from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..errors import Conflict, DomainError, Forbidden
from ..extensions import db
from ..regions.models import Region, RegionLevel
from ..transaction import verb
from .models import Household, HouseholdType, PovertyLine, PovertyStatus

HOUSEHOLD_TYPES = {
    HouseholdType.ordinary: _l("Ordinary poor household"),
    HouseholdType.dibao: _l("Minimum-living-allowance household"),
    HouseholdType.wubao: _l("Extreme-poverty support household"),
}
POVERTY_STATUSES = {
    PovertyStatus.not_exited: _l("Not yet out of poverty"),
    PovertyStatus.exited: _l("Out of poverty"),
    PovertyStatus.fell_back: _l("Fell back into poverty"),
}
# The causes the registry records (at most two per household).
POVERTY_CAUSES = {
    "illness": _l("Illness"),
    "disability": _l("Disability"),
    "schooling": _l("Schooling costs"),
    "disaster": _l("Disaster"),
    "land": _l("Lack of land"),
    "water": _l("Lack of water"),
    "skills": _l("Lack of skills"),
    "labour": _l("Lack of labour"),
    "capital": _l("Lack of capital"),
    "transport": _l("Poor transport"),
    "drive": _l("Lack of own drive"),
}
MAX_CAUSES = 2
HOUSEHOLD_NO_RE = re.compile(r"^[A-Za-z0-9-]{4,30}$")
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
# Poverty line per person per year in yuan (linxia.md; 2014-2018 not verified, so editable).
DEFAULT_POVERTY_LINES_YUAN = {
    2014: 2800,
    2015: 2855,
    2016: 2952,
    2017: 2952,
    2018: 2995,
    2019: 3218,
    2020: 4000,
}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_card_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of an 18-character resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_card_problem(value: str):
    """Why `value` is not a valid resident ID number (a lazy string), or None if it is."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return _l("an ID-card number has 17 digits and a final digit or X")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _l("the ID-card number holds an impossible birth date")
    if id_card_check_digit(value[:17]) != value[17]:
        return _l("the ID-card number's check digit is wrong")
    return None


def normalise_id_card(value: str | None) -> str | None:
    """Strip spaces and upper-case the final x; None when empty."""
    value = (value or "").replace(" ", "").strip().upper()
    return value or None


def normalise_phone(value: str | None) -> str | None:
    """Drop spaces; None when empty."""
    value = re.sub(r"\s", "", value or "")
    return value or None


def mask_id_card(value: str | None) -> str:
    """'622923198001011234' -> '6229********1234' (length hidden too)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}********{value[-4:]}"


def mask_phone(value: str | None) -> str:
    """'13912345678' -> '139****5678'."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * (len(value) - 2) + value[-2:]
    return f"{value[:3]}****{value[-4:]}"


def mask_name(value: str | None) -> str:
    """'马玉花' -> '马*花', '马花' -> '马*'; a trailing '(示例)' marker stays readable."""
    if not value:
        return ""
    match = re.fullmatch(r"(.*?)(\s*[(（][^()（）]*[)）])?", value.strip())
    name, marker = match.group(1), match.group(2) or ""
    if len(name) <= 1:
        masked = "*"
    elif len(name) == 2:
        masked = name[0] + "*"
    else:
        masked = name[0] + "*" * (len(name) - 2) + name[-1]
    return masked + marker


@dataclass(frozen=True)
class HouseholdView:
    """What one viewer may see of a household (masked unless the viewer is an admin)."""

    id: int
    household_no: str
    head_name: str
    id_card_no: str
    phone: str
    village: Region
    members: int
    full: bool


def present_household(household: Household, viewer) -> HouseholdView:
    """The household as `viewer` may see it: in full for admins, masked for everyone else."""
    full = bool(viewer is not None and getattr(viewer, "is_admin", False))
    return HouseholdView(
        id=household.id,
        household_no=household.household_no,
        head_name=household.head_name if full else mask_name(household.head_name),
        id_card_no=(household.id_card_no or "") if full else mask_id_card(household.id_card_no),
        phone=(household.phone or "") if full else mask_phone(household.phone),
        village=household.village,
        members=household.members,
        full=full,
    )


# Who manages which cooperative is the catalogue's to say, and the catalogue stands above the
# registry (its lots come from households), so the catalogue answers this signal with the
# ids of the townships `user` works in (catalog/services.py). Unanswered: no households.
manager_townships = Namespace().signal("manager-townships")


def manager_township_ids(user) -> set[int]:
    """The townships of the cooperatives `user` manages (where their households live)."""
    return set().union(*(ids for _receiver, ids in manager_townships.send(user)))


def visible_households(viewer, query: str | None = None, area_code: str | None = None):
    """A select of the households `viewer` may list: all for admins, own townships for managers."""
    stmt = (
        db.select(Household)
        .join(Household.village)
        .options(selectinload(Household.village).selectinload(Region.parent))
        .order_by(Household.household_no)
    )
    if not viewer.is_admin:
        if not viewer.has_role("cooperative_manager"):
            raise Forbidden(_l("Only administrators and cooperative managers see households."))
        stmt = stmt.where(Region.parent_id.in_(manager_township_ids(viewer) or {-1}))
    if query:
        like = f"%{query.strip()}%"
        if viewer.is_admin:
            stmt = stmt.where(Household.household_no.ilike(like) | Household.head_name.ilike(like))
        else:
            # Managers may not probe full names: they search by household number only.
            stmt = stmt.where(Household.household_no.ilike(like))
    if area_code:
        stmt = stmt.where(Region.code.startswith(area_code.strip()))
    return stmt


def list_households(viewer, query=None, area_code=None, page: int = 1, per_page: int = 50):
    """One page of the households `viewer` may see."""
    stmt = visible_households(viewer, query, area_code)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def get_by_number(household_no: str) -> Household | None:
    """The household with this registry number, if any."""
    stmt = db.select(Household).where(Household.household_no == household_no.strip())
    return db.session.scalar(stmt)


def households_in_township(township_id: int) -> list[Household]:
    """Every household living in one township's villages, by number."""
    stmt = (
        db.select(Household)
        .join(Household.village)
        .where(Region.parent_id == township_id)
        .order_by(Household.household_no)
    )
    return list(db.session.scalars(stmt))


def village_by_code(code: str) -> Region | None:
    """The village with this code (None for unknown codes or other levels)."""
    stmt = db.select(Region).where(Region.code == code.strip(), Region.level == RegionLevel.village)
    return db.session.scalar(stmt)


def check_household_values(values: dict) -> list:
    """Reasons (lazy strings) `values` break the registry's rules; empty if none."""
    problems = []
    if not HOUSEHOLD_NO_RE.match(values.get("household_no") or ""):
        problems.append(_l("household number: 4 to 30 letters, digits or dashes"))
    if not (values.get("head_name") or "").strip():
        problems.append(_l("the head of household's name is missing"))
    members = values.get("members")
    if not isinstance(members, int) or not 1 <= members <= 30:
        problems.append(_l("bad household size (1 to 30 people)"))
    if values.get("id_card_no"):
        problem = id_card_problem(values["id_card_no"])
        if problem:
            problems.append(problem)
    if values.get("phone") and not PHONE_RE.match(values["phone"]):
        problems.append(_l("bad phone number"))
    causes = [c for c in (values.get("poverty_causes") or "").split(",") if c]
    if len(causes) > MAX_CAUSES or any(c not in POVERTY_CAUSES for c in causes):
        problems.append(_l("at most two known causes of poverty"))
    if values.get("status") == PovertyStatus.exited and not values.get("exit_year"):
        problems.append(_l("an exited household needs its exit year"))
    for key in ("planned_exit_year", "exit_year", "income_year"):
        year = values.get(key)
        if year is not None and not 2013 <= year <= 2035:
            problems.append(_l("years run from 2013 to 2035"))
            break
    income = values.get("net_income_per_person_fen")
    if income is not None and income < 0:
        problems.append(_l("income cannot be negative"))
    return problems


HOUSEHOLD_FIELDS = (
    "household_no",
    "head_name",
    "id_card_no",
    "phone",
    "village_id",
    "natural_village",
    "members",
    "household_type",
    "poverty_causes",
    "status",
    "planned_exit_year",
    "exit_year",
    "net_income_per_person_fen",
    "income_year",
)


@verb
def save_household(household: Household | None, values: dict) -> Household:
    """Create (household None) or update one registry record after checking the rules."""
    values = dict(values)
    values["id_card_no"] = normalise_id_card(values.get("id_card_no"))
    values["phone"] = normalise_phone(values.get("phone"))
    values["household_no"] = (values.get("household_no") or "").strip()
    problems = check_household_values(values)
    if problems:
        raise DomainError("; ".join(str(p) for p in problems))
    other = get_by_number(values["household_no"])
    if other is not None and other is not household:
        raise Conflict(_l("Household number %(no)s is already registered.", no=other.household_no))
    if household is None:
        household = Household()
        db.session.add(household)
    apply_values(household, values)
    db.session.flush()
    return household


def apply_values(household: Household, values: dict) -> bool:
    """Copy registry fields onto `household`, touching only what differs; True if any did."""
    changed = False
    for key in HOUSEHOLD_FIELDS:
        if key in values and getattr(household, key) != values[key]:
            setattr(household, key, values[key])
            changed = True
    return changed


def poverty_lines() -> list[PovertyLine]:
    """Every year's poverty line, oldest first."""
    return list(db.session.scalars(db.select(PovertyLine).order_by(PovertyLine.year)))


def poverty_line_fen(year: int) -> int | None:
    """The poverty line per person in force in `year`, in fen: that year's, else the latest
    earlier one (a line stays in force until a new one is published; none before the first)."""
    return db.session.scalar(
        db.select(PovertyLine.amount_fen)
        .where(PovertyLine.year <= year)
        .order_by(PovertyLine.year.desc())
        .limit(1)
    )


@verb
def set_poverty_line(year: int, amount_fen: int, note: str | None = None) -> PovertyLine:
    """Record or change the poverty line of one year."""
    if not 2000 <= year <= 2100:
        raise DomainError(_l("Enter a year between 2000 and 2100."))
    if amount_fen <= 0:
        raise DomainError(_l("The poverty line must be more than zero."))
    line = db.session.get(PovertyLine, year)
    if line is None:
        line = PovertyLine(year=year, amount_fen=amount_fen)
        db.session.add(line)
    line.amount_fen = amount_fen
    line.note = note or None
    db.session.flush()
    return line


def ensure_default_poverty_lines() -> int:
    """Add the published lines for years that have none (never overwrites an edit)."""
    added = 0
    for year, yuan in DEFAULT_POVERTY_LINES_YUAN.items():
        if db.session.get(PovertyLine, year) is None:
            db.session.add(PovertyLine(year=year, amount_fen=yuan * 100))
            added += 1
    db.session.flush()
    return added
