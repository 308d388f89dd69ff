"""Demo data: the poverty lines of linxia.md and about 300 sample poor households (260+ in
Yongjing, as in the paper) in the sample villages of the cooperatives' townships.

Every name carries the marker （示例） and every record is flagged is_sample.
"""

import random

from ..extensions import db
from ..regions.services import get_by_code
from . import services
from .models import Household, HouseholdType, PovertyStatus

# (township code, households): the townships where the demo cooperatives work.
HOUSEHOLD_PLAN = (
    ("622923106", 150),  # Yongjing, Chenjing: Lanzhou lilies
    ("622923104", 112),  # Yongjing, Sanyuan: Bingtangxin apples
    ("622927102", 4),  # Jishishan, Juji: Sichuan pepper
    ("622927101", 4),  # Jishishan, Dahejia: thin-shell walnuts
    ("622921103", 4),  # Linxia County, Lianhua: Dahongpao pepper
    ("622921101", 4),  # Linxia County, Tuqiao: summer vegetables
    ("622926107", 4),  # Dongxiang, Longquan: potatoes
    ("622926101", 4),  # Dongxiang, Daban: tribute mutton
    ("622922102", 4),  # Kangle, Yanzhi: beef cattle
    ("622925107", 4),  # Hezheng, Luojiaji: Pite pears
    ("622925101", 4),  # Hezheng, Sanhe: red pine mushrooms
    ("622901103", 4),  # Linxia City, Zheqiao: peony-seed oil
    ("622924101", 4),  # Guanghe, Sanjiaji: mutton
)
VILLAGES_USED = 4  # households spread over the first sample villages of each township
SURNAMES = "马王张李何韩妥赵杨陈孔汪罗蒲冶祁"
GIVEN = [
    "玉花",
    "建国",
    "小平",
    "海军",
    "秀英",
    "文忠",
    "福禄",
    "得胜",
    "尕西",
    "永福",
    "兰英",
    "学军",
    "志明",
    "桂香",
    "国强",
    "有福",
    "梅花",
    "德明",
    "成林",
    "明珠",
    "哈三",
    "尕娃",
    "春生",
    "金花",
    "存良",
    "占林",
    "秀兰",
    "进财",
    "正义",
    "福英",
]
CAUSES = list(services.POVERTY_CAUSES)


def _id_card(county_code: str, rng: random.Random, serial: int) -> str:
    year = rng.randint(1950, 1995)
    body = f"{county_code}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{serial % 1000:03d}"
    return body + services.id_card_check_digit(body)


def _values(village, number: str, rng: random.Random, serial: int) -> dict:
    status = rng.choices(
        [PovertyStatus.exited, PovertyStatus.not_exited, PovertyStatus.fell_back], [75, 20, 5]
    )[0]
    causes = rng.sample(CAUSES, rng.choice([1, 1, 2]))
    return {
        "household_no": number,
        "head_name": f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}（示例）",
        "id_card_no": _id_card(village.code[:6], rng, serial),
        "phone": f"1390930{rng.randint(0, 9999):04d}" if rng.random() < 0.6 else None,
        "village_id": village.id,
        "natural_village": f"示例{rng.randint(1, 6)}社",
        "members": rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8]),
        "household_type": rng.choices(list(HouseholdType), [80, 15, 5])[0],
        "poverty_causes": ",".join(causes),
        "status": status,
        "planned_exit_year": rng.choice([2018, 2019, 2020]),
        "exit_year": rng.choice([2017, 2018, 2019, 2020])
        if status == PovertyStatus.exited
        else None,
        "net_income_per_person_fen": rng.randint(2600, 9000) * 100,
        "income_year": 2020,
    }


def load(scale: str = "demo") -> str:
    """Seed the poverty lines and the sample households (only what is missing)."""
    lines = services.ensure_default_poverty_lines()
    rng = random.Random(622900)
    existing = set(db.session.scalars(db.select(Household.household_no)))
    created = 0
    serial = 0
    for township_code, count in HOUSEHOLD_PLAN:
        villages = [
            get_by_code(f"{township_code}{200 + n:03d}") for n in range(1, VILLAGES_USED + 1)
        ]
        villages = [v for v in villages if v is not None]
        if not villages:
            continue  # the regions demo (sample villages) has not been loaded
        for i in range(count):
            serial += 1
            village = villages[i % len(villages)]
            number = f"{village.code}{i // len(villages) + 1:03d}"
            # Draw the values even for existing rows so the sequence stays the same.
            values = _values(village, number, rng, serial)
            if number in existing:
                continue
            household = Household(is_sample=True)
            services.apply_values(household, values)
            db.session.add(household)
            created += 1
    db.session.flush()
    return f"{lines} poverty lines, {created} sample households created"
