"""Demo data: a dozen cooperatives across all 8 counties with the real products of
linxia.md, drawn product pictures, and supply lots from the sample households."""

from datetime import timedelta

from ..accounts.services import find_user_by_login
from ..clock import local_today
from ..extensions import db
from ..households import services as households
from ..logistics.models import Station, StationKind
from ..money import yuan_to_fen
from ..regions.services import get_by_code
from . import categories, lots, photos, services
from .demo_data import COOPERATIVES
from .demo_photos import illustration
from .models import Category, Cooperative, Product, ProductStatus

LILY_MANAGER = "coop@example.com"


def _cooperative(number: int, spec) -> Cooperative | None:
    township_code, name_zh, name_en, story_zh, story_en, _products = spec
    village = get_by_code(f"{township_code}201")
    if village is None:
        return None  # sample villages come from the regions demo
    registration_no = f"93{township_code[:6]}SAMPLE{number:04d}"
    cooperative = db.session.scalar(
        db.select(Cooperative).where(Cooperative.registration_no == registration_no)
    )
    if cooperative is None:
        cooperative = Cooperative(
            registration_no=registration_no,
            name_zh=name_zh,
            name_en=name_en,
            village_id=village.id,
            description_zh=story_zh,
            description_en=story_en,
            phone=f"0930-{5550000 + number}",
            producer_share_bp=8000,
        )
        db.session.add(cooperative)
    if cooperative.home_station_id is None:
        # The logistics demo, when loaded first, has put a village point in the village.
        cooperative.home_station_id = db.session.scalar(
            db.select(Station.id).where(
                Station.region_id == village.id, Station.kind == StationKind.village_point
            )
        )
    db.session.flush()
    return cooperative


def _product(cooperative: Cooperative, spec, story: tuple[str, str], category_ids) -> Product:
    name_zh, name_en, category, unit, price, _picture, perishable, _per_lot = spec
    product = db.session.scalar(
        db.select(Product).where(
            Product.cooperative_id == cooperative.id, Product.name_zh == name_zh
        )
    )
    if product is not None:
        return product
    values = {
        "name_zh": name_zh,
        "name_en": name_en,
        "category_id": category_ids[category],
        "unit": unit,
        "unit_weight_g": None,
        "price_fen": yuan_to_fen(price),
        "description_zh": story[0],
        "description_en": story[1],
        "ovop": True,
        "perishable": perishable,
    }
    product = services.save_product(cooperative, None, values)
    services.change_product_status(product, ProductStatus.active)
    return product


def _lots(product: Product, cooperative: Cooperative, spec, manager) -> int:
    if product.lots:
        return 0
    per_lot = spec[7]
    township = cooperative.village.parent_id
    pool = [h.household_no for h in households.households_in_township(township)]
    if not pool:
        return 0
    today = local_today()
    made = 0
    # Two lots: the first from the first households of the township, the second from the
    # second half of them, so every sample household supplied something.
    for k, (chosen, days_ago) in enumerate(((pool[:per_lot], 20), (pool[len(pool) // 2 :], 6))):
        units = 2 if k == 0 else 1
        rows = [lots.Contribution(quantity=units, household_no=no) for no in chosen]
        rows.append(lots.Contribution(quantity=10, supplier_name="合作社自有基地（示例）"))
        received = today - timedelta(days=days_ago)
        lots.record_supply_lot(
            product,
            sum(r.quantity for r in rows),
            "一级" if k == 0 else "特级",
            received,
            rows,
            harvested_on=received - timedelta(days=2),
            by=manager,
            note="示例批次 sample lot",
        )
        made += 1
    return made


def load(scale: str = "demo") -> str:
    """Create what is missing: categories, cooperatives, products, pictures and lots."""
    categories.ensure_default_categories()
    category_ids = dict(db.session.execute(db.select(Category.code, Category.id)).all())
    manager = find_user_by_login(LILY_MANAGER)
    counts = {"cooperatives": 0, "products": 0, "photos": 0, "lots": 0}
    for number, spec in enumerate(COOPERATIVES, start=1):
        cooperative = _cooperative(number, spec)
        if cooperative is None:
            continue
        counts["cooperatives"] += 1
        if number == 1 and manager is not None and manager not in cooperative.managers:
            cooperative.managers.append(manager)
        for seed, product_spec in enumerate(spec[5]):
            product = _product(cooperative, product_spec, (spec[3], spec[4]), category_ids)
            counts["products"] += 1
            if not product.photos:
                picture = illustration(product_spec[5], product.name_zh, product.name_en, seed)
                photos.store_image(product, picture)
                counts["photos"] += 1
            counts["lots"] += _lots(
                product, cooperative, product_spec, manager if number == 1 else None
            )
    db.session.flush()
    return (
        f"{counts['cooperatives']} cooperatives, {counts['products']} products, "
        f"{counts['photos']} new pictures, {counts['lots']} new lots"
    )
