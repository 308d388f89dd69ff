"""The region tree: loading the official codes, demo villages, and lookups."""

import csv
import random
from pathlib import Path

from blinker import Namespace
from pypinyin import lazy_pinyin

from ..extensions import db
from .models import Region, RegionLevel

DATA = Path(__file__).parent / "data"
PREFECTURE_CODE = "622900"
# What a village page shows of the packages above regions (which it does not import):
# each receiver answers `village_shown.send(village)` with a dict of lists to show,
# e.g. {"cooperatives": [...], "products": [...]} (catalog), {"points": [...]} (logistics).
village_shown = Namespace().signal("village-shown")
PREFECTURE_ZH = "临夏回族自治州"
PREFECTURE_EN = "Linxia Hui Autonomous Prefecture"
COUNTY_EN = {
    "622901": "Linxia City",
    "622921": "Linxia County",
    "622922": "Kangle County",
    "622923": "Yongjing County",
    "622924": "Guanghe County",
    "622925": "Hezheng County",
    "622926": "Dongxiang Autonomous County",
    "622927": "Jishishan Autonomous County",
}
# Longest suffix first: "东乡族乡" must win over "乡".
_SUFFIXES = [
    ("东乡族乡", "Dongxiang Ethnic Township"),
    ("街道", "Subdistrict"),
    ("镇", "Town"),
    ("乡", "Township"),
]
VILLAGES_PER_TOWNSHIP = 8


def english_place_name(name_zh: str) -> str:
    """'刘家峡镇' -> 'Liujiaxia Town' (pinyin of the proper name plus the kind of place)."""
    for suffix, kind in _SUFFIXES:
        if name_zh.endswith(suffix) and len(name_zh) > len(suffix):
            proper = "".join(lazy_pinyin(name_zh[: -len(suffix)]))
            return f"{proper.capitalize()} {kind}"
    return "".join(lazy_pinyin(name_zh)).capitalize()


def _upsert(code: str, **fields) -> Region:
    region = db.session.scalar(db.select(Region).where(Region.code == code))
    if region is None:
        region = Region(code=code, **fields)
        db.session.add(region)
    else:
        for key, value in fields.items():
            setattr(region, key, value)
    return region


def load_region_tree() -> int:
    """Load prefecture, counties and township-level units from the official lists (idempotent)."""
    prefecture = _upsert(
        PREFECTURE_CODE,
        name_zh=PREFECTURE_ZH,
        name_en=PREFECTURE_EN,
        level=RegionLevel.prefecture,
        parent=None,
    )
    count = 1
    counties = {}
    with (DATA / "linxia-counties.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            counties[row["code"]] = _upsert(
                row["code"],
                name_zh=row["name"],
                name_en=COUNTY_EN.get(row["code"]),
                level=RegionLevel.county,
                parent=prefecture,
            )
            count += 1
    with (DATA / "linxia-townships.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            _upsert(
                row["code"],
                name_zh=row["name"],
                name_en=english_place_name(row["name"]),
                level=RegionLevel.township,
                parent=counties[row["county_code"]],
            )
            count += 1
    db.session.flush()
    return count


def load_sample_villages(per_township: int = VILLAGES_PER_TOWNSHIP, seed: int = 622900) -> int:
    """Add invented villages (visibly marked as samples) under every township (idempotent).

    About half are poverty villages and a third deep-poverty villages, in the proportions
    the paper gives for 2016 (560 of about 1,090; 412 deep-poverty).
    """
    rng = random.Random(seed)
    townships = db.session.scalars(
        db.select(Region).where(Region.level == RegionLevel.township).order_by(Region.code)
    ).all()
    count = 0
    for township in townships:
        for n in range(1, per_township + 1):
            roll = rng.random()
            # Village 1 of each township is where the demo cooperatives sit: a poverty
            # village (so it has a village point) that cold-chain runs reach.
            poverty = roll < 0.51 or n == 1
            deep = roll < 0.38 and n != 1
            code = f"{township.code}{200 + n:03d}"
            _upsert(
                code,
                name_zh=f"{township.name_zh.rstrip('镇乡街道')}示例{n}村",
                name_en=f"Sample Village {n}, {township.name_en}",
                level=RegionLevel.village,
                parent=township,
                is_poverty_village=poverty,
                is_deep_poverty_village=deep,
                is_sample=True,
            )
            count += 1
    db.session.flush()
    return count


def get_by_code(code: str) -> Region | None:
    return db.session.scalar(db.select(Region).where(Region.code == code))


def regions_at(level: RegionLevel, parent: Region | None = None) -> list[Region]:
    """Regions of one level, optionally under one parent, by code."""
    stmt = db.select(Region).where(Region.level == level).order_by(Region.code)
    if parent is not None:
        stmt = stmt.where(Region.parent_id == parent.id)
    return list(db.session.scalars(stmt))


def child_counts(region: Region) -> dict[str, int]:
    """How many villages (and poverty / deep-poverty villages) lie under `region`."""
    prefix = region.code if region.level != RegionLevel.prefecture else region.code[:4]
    stmt = db.select(
        db.func.count(Region.id),
        db.func.sum(db.case((Region.is_poverty_village, 1), else_=0)),
        db.func.sum(db.case((Region.is_deep_poverty_village, 1), else_=0)),
    ).where(Region.level == RegionLevel.village, Region.code.startswith(prefix))
    total, poverty, deep = db.session.execute(stmt).one()
    return {"villages": total or 0, "poverty": poverty or 0, "deep": deep or 0}


def villages_choices(county_code: str | None = None) -> list[tuple[int, str]]:
    """(id, 'county / township / village') for village select boxes."""
    stmt = db.select(Region).where(Region.level == RegionLevel.village).order_by(Region.code)
    if county_code:
        stmt = stmt.where(Region.code.startswith(county_code))
    out = []
    for village in db.session.scalars(stmt):
        township = village.parent
        out.append(
            (village.id, f"{township.parent.name_zh} / {township.name_zh} / {village.name_zh}")
        )
    return out


def village_sections(village: Region) -> dict[str, list]:
    """What the packages above have to show on a village's page (see `village_shown`)."""
    sections: dict[str, list] = {}
    for _receiver, answer in village_shown.send(village):
        for key, items in (answer or {}).items():
            sections.setdefault(key, []).extend(items)
    return sections
