"""People and producers: sample users (buyers, cooperative managers, station operators), the
registry of poor households, categories, cooperatives and their products."""

import random
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..money import split_largest_remainder
from .bulk import BulkWriter, next_id
from .config import ScaleConfig
from .network import Network
from .vocabulary import (
    CATEGORIES,
    COMMON_GOODS,
    COUNTY_GOODS,
    GIVEN,
    HOUSEHOLD_SIZES,
    POVERTY_CAUSES,
    SURNAMES,
    VARIANTS,
)

USER_COLUMNS = (
    "id", "email", "phone", "password_hash", "name", "locale", "active", "session_version",
    "created_at",
)  # fmt: skip
HOUSEHOLD_COLUMNS = (
    "id", "household_no", "head_name", "id_card_no", "phone", "village_id", "natural_village",
    "members", "household_type", "poverty_causes", "status", "planned_exit_year", "exit_year",
    "net_income_per_person_fen", "income_year", "is_sample", "created_at", "updated_at",
)  # fmt: skip
COOPERATIVE_COLUMNS = (
    "id", "name_zh", "name_en", "village_id", "registration_no", "description_zh",
    "description_en", "phone", "home_station_id", "producer_share_bp", "created_at",
)  # fmt: skip
PRODUCT_COLUMNS = (
    "id", "cooperative_id", "name_zh", "name_en", "category_id", "unit", "unit_weight_g",
    "price_fen", "description_zh", "description_en", "ovop", "perishable", "status",
    "created_at", "updated_at",
)  # fmt: skip


@dataclass
class Registry:
    """What later stages need to know about people and producers, as plain lists."""

    buyers: list[int] = field(default_factory=list)
    operator_of: dict[int, int] = field(default_factory=dict)  # station id -> user id
    households_by_township: dict[int, list[int]] = field(default_factory=dict)
    households_by_county: dict[int, list[int]] = field(default_factory=dict)
    household_village: dict[int, int] = field(default_factory=dict)
    coop_ids: list[int] = field(default_factory=list)
    coop_village: list[int] = field(default_factory=list)
    coop_share_bp: list[int] = field(default_factory=list)
    coop_home: list[int] = field(default_factory=list)
    coop_manager: list[int] = field(default_factory=list)
    coop_products: list[list[int]] = field(default_factory=list)  # product indexes
    product_ids: list[int] = field(default_factory=list)
    product_coop: list[int] = field(default_factory=list)  # cooperative index
    product_price: list[int] = field(default_factory=list)
    product_weight: list[int] = field(default_factory=list)
    product_perishable: list[bool] = field(default_factory=list)
    product_name: list[str] = field(default_factory=list)
    product_unit: list[str] = field(default_factory=list)
    product_sellable: list[bool] = field(default_factory=list)


def _demo_user(email: str):
    return db.session.execute(
        sa.text("SELECT id, password_hash FROM users WHERE email = :e"), {"e": email}
    ).first()


def build_registry(writer: BulkWriter, rng: random.Random, cfg: ScaleConfig, net: Network):
    """Write users, households, categories, cooperatives and products."""
    reg = Registry()
    admin = _demo_user("admin@example.com")
    # One scrypt hash for every generated account (password `linxia-demo`): hashing 100,000
    # passwords would take longer than generating the rest of the prefecture.
    password_hash = admin.password_hash if admin else generate_password_hash("linxia-demo")
    _write_users(writer, rng, cfg, net, reg, password_hash)
    _write_households(writer, rng, cfg, net, reg)
    categories = _write_categories(writer)
    _write_cooperatives(writer, rng, cfg, net, reg)
    _write_products(writer, rng, cfg, net, reg, categories)
    return reg


def _write_users(writer, rng, cfg, net, reg, password_hash) -> None:
    uid = next_id("users")
    users, roles = [], []
    joined = cfg.start - timedelta(days=30)

    def add(email, name, role=None):
        nonlocal uid
        users.append((uid, email, None, password_hash, name, None, True, 1, joined))
        if role:
            roles.append((uid, role))
        uid += 1
        return uid - 1

    demo_buyer = _demo_user("buyer@example.com")
    if demo_buyer:
        reg.buyers.append(demo_buyer.id)
    for n in range(cfg.buyers - len(reg.buyers)):
        reg.buyers.append(add(f"buyer{n + 1}@buyers.example.com", f"示例买家 Buyer {n + 1}"))
    for n in range(cfg.cooperatives):
        reg.coop_manager.append(
            add(f"coop{n + 1}@coops.example.com", f"示例合作社经理 {n + 1}", "cooperative_manager")
        )
    for sid, region in net.station_region.items():
        code = net.code_of[region]
        reg.operator_of[sid] = add(
            f"station{code}@stations.example.com", f"示例操作员 {code}", "station_operator"
        )
    writer.write("users", USER_COLUMNS, users)
    writer.write("user_roles", ("user_id", "role"), roles)


def _write_households(writer, rng, cfg, net, reg) -> None:
    # Registered poor households live mostly in the poverty villages.
    weights = [
        4 if v in net.deep else 3 if v in net.poverty else 1 for v in net.villages
    ]  # fmt: skip
    per_village = split_largest_remainder(cfg.households, weights)
    hid = next_id("households")
    rows = []
    for village, count in zip(net.villages, per_village, strict=True):
        township, county = net.township_of[village], net.county_of[village]
        county_code = net.code_of[county]
        for k in range(1, count + 1):
            members = rng.choices(range(1, 9), HOUSEHOLD_SIZES)[0]
            kind = rng.choices(("ordinary", "dibao", "wubao"), (78, 17, 5))[0]
            roll = rng.random()
            status = "exited" if roll < 0.85 else "not_exited" if roll < 0.97 else "fell_back"
            exit_year = rng.randint(2016, 2020) if status != "not_exited" else None
            causes = ",".join(rng.sample(POVERTY_CAUSES, rng.choice((1, 1, 2))))
            born = f"{rng.randint(1950, 1995)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            id17 = f"{county_code}{born}{rng.randint(0, 999):03d}"
            rows.append(
                (hid, f"{net.code_of[village]}{k:04d}",
                 rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)), id17 + _check_digit(id17),
                 f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"
                 if rng.random() < 0.7 else None,
                 village, f"{rng.randint(1, 6)}社", members, kind, causes, status,
                 exit_year or 2020, exit_year, rng.randint(3_000, 12_000) * 100, 2025, True,
                 cfg.start - timedelta(days=400), cfg.start - timedelta(days=400))
            )  # fmt: skip
            reg.households_by_township.setdefault(township, []).append(hid)
            reg.households_by_county.setdefault(county, []).append(hid)
            reg.household_village[hid] = village
            hid += 1
    writer.write("households", HOUSEHOLD_COLUMNS, rows)


def _check_digit(id17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a resident ID number."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(id17, weights, strict=True))
    return "10X98765432"[total % 11]


def _write_categories(writer) -> dict[str, int]:
    existing = dict(db.session.execute(sa.text("SELECT code, id FROM categories")).all())
    cid = next_id("categories")
    rows = []
    for position, (code, zh, en) in enumerate(CATEGORIES):
        if code not in existing:
            rows.append((cid, code, zh, en, position))
            existing[code] = cid
            cid += 1
    writer.write("categories", ("id", "code", "name_zh", "name_en", "position"), rows)
    return existing


def _write_cooperatives(writer, rng, cfg, net, reg) -> None:
    homes = list(net.village_points)
    rng.shuffle(homes)
    homes = [homes[i % len(homes)] for i in range(cfg.cooperatives)]
    homes.sort(key=lambda s: net.code_of[net.station_region[s]])
    coop_id = next_id("cooperatives")
    rows, managers = [], []
    for n, station in enumerate(homes):
        village = net.station_region[station]
        zh, en = net.names[village]
        county_code = net.code_of[net.county_of[village]]
        good = rng.choice(_goods(COUNTY_GOODS[county_code], station in net.cold))
        rows.append(
            (coop_id, f"{zh}{good.zh}专业合作社（示例）", f"{en} {good.en} Cooperative (sample)",
             village, f"93{county_code}MA{n + 1:08d}", f"示例合作社，主营{good.zh}。",
             f"Sample cooperative selling {good.en}.", f"0930-{rng.randint(0, 9_999_999):07d}",
             station, rng.choice((7000, 7500, 8000, 8000, 8000, 8500, 9000)),
             cfg.start - timedelta(days=200))
        )  # fmt: skip
        reg.coop_ids.append(coop_id)
        reg.coop_village.append(village)
        reg.coop_share_bp.append(rows[-1][9])
        reg.coop_home.append(station)
        reg.coop_products.append([])
        managers.append((coop_id, reg.coop_manager[n]))
        coop_id += 1
    operators = sorted(reg.operator_of.items())
    # The demo manager and operator logins get the first cooperative and its village point.
    coop, operator = _demo_user("coop@example.com"), _demo_user("station@example.com")
    if coop and reg.coop_ids:
        managers.append((reg.coop_ids[0], coop.id))
    if operator and reg.coop_home:
        operators.append((reg.coop_home[0], operator.id))
    writer.write("cooperatives", COOPERATIVE_COLUMNS, rows)
    writer.write("cooperative_managers", ("cooperative_id", "user_id"), managers)
    writer.write("station_operators", ("station_id", "user_id"), operators)


def _goods(goods, cold_chain: bool):
    """Perishable goods only for cooperatives whose village point keeps the cold chain."""
    return goods if cold_chain else [g for g in goods if not g.perishable]


def _write_products(writer, rng, cfg, net, reg, categories) -> None:
    counts = split_largest_remainder(
        cfg.products - len(reg.coop_ids), [rng.randint(1, 4) for _ in reg.coop_ids]
    )
    pid = next_id("products")
    rows = []
    cold = {c for c, home in enumerate(reg.coop_home) if home in net.cold}
    for c, extra in enumerate(counts):
        village = reg.coop_village[c]
        county_goods = _goods(COUNTY_GOODS[net.code_of[net.county_of[village]]], c in cold)
        place_zh, place_en = net.names[net.township_of[village]]
        for k in range(extra + 1):
            # The first product is the cooperative's own good and the last one keeps without
            # a cold chain, both on sale: every pickup point can buy from every cooperative.
            first, last = k == 0, k == extra and k > 0
            own = first or rng.random() < 0.5
            shelf = county_goods if own else COMMON_GOODS
            good = rng.choice(_goods(shelf, False) or COMMON_GOODS if last else shelf)
            own = own and good in shelf
            v_zh, v_en, percent = VARIANTS[0] if first else rng.choice(VARIANTS)
            price = rng.randint(*good.price_yuan) * percent // 100 * 100 + rng.choice((0, 80))
            status = "active"
            if not (first or last):
                status = rng.choices(("active", "archived", "draft"), (94, 3, 3))[0]
            name_zh = f"{place_zh}{good.zh}{v_zh}"
            name_en = f"{place_en} {good.en}" + (f", {v_en}" if v_en else "")
            created = cfg.start - timedelta(days=rng.randint(30, 120))
            rows.append(
                (pid, reg.coop_ids[c], name_zh, name_en, categories[good.category], good.unit,
                 good.unit_weight_g, price, f"{good.zh}，示例数据。", f"{good.en}; sample data.",
                 own, good.perishable, status, created, created)
            )  # fmt: skip
            reg.coop_products[c].append(len(reg.product_ids))
            reg.product_ids.append(pid)
            reg.product_coop.append(c)
            reg.product_price.append(price)
            reg.product_weight.append(good.unit_weight_g)
            reg.product_perishable.append(good.perishable)
            reg.product_name.append(name_zh)
            reg.product_unit.append(good.unit)
            reg.product_sellable.append(status != "draft")
            pid += 1
    writer.write("products", PRODUCT_COLUMNS, rows)
