"""Catalog rules: sale units, who manages which cooperative, products and their status,
stock available from lots, households supported, and the public search."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import false
from sqlalchemy.orm import selectinload

from ..accounts.models import Role
from ..errors import DomainError, Forbidden
from ..extensions import db
from ..households.services import manager_townships
from ..regions.models import Region
from ..status import record_initial_status, transition
from ..transaction import verb
from . import cooperatives, freight, photos, stock
from .models import Category, Cooperative, LotContribution, Product, ProductStatus, SupplyLot
from .stock import available_quantities  # noqa: F401  (public here too: pages and the API)


@dataclass(frozen=True)
class Unit:
    code: str
    label: object  # a lazy string: Chinese or English when shown
    default_weight_g: int | None


UNITS = {
    u.code: u
    for u in (
        Unit("bag_250g", _l("250 g bag"), 250),
        Unit("bag_500g", _l("500 g bag"), 500),
        Unit("bag_1kg", _l("1 kg bag"), 1000),
        Unit("bag_2_5kg", _l("2.5 kg bag"), 2500),
        Unit("bag_5kg", _l("5 kg bag"), 5000),
        Unit("box_2kg", _l("2 kg box"), 2000),
        Unit("box_5kg", _l("5 kg box"), 5000),
        Unit("box_10kg", _l("10 kg box"), 10000),
        Unit("jar_500g", _l("500 g jar"), 650),
        Unit("jar_500ml", _l("500 ml jar"), 700),
        Unit("bottle_250ml", _l("250 ml bottle"), 350),
        Unit("bottle_500ml", _l("500 ml bottle"), 650),
        Unit("head", _l("head (one animal)"), None),
        Unit("piece", _l("piece"), None),
    )
}
# What a unit's name promises (its content, in g or ml taken as g) and how much heavier it
# may be with its packaging: a "250 g bag" weighing 500 g is a typing mistake or the wrong
# unit, and its weight decides the parcel's weight and so the shipping cost.
NAMED_WEIGHT = {
    "bag_250g": (250, 1.2),
    "bag_500g": (500, 1.2),
    "bag_1kg": (1000, 1.2),
    "bag_2_5kg": (2500, 1.2),
    "bag_5kg": (5000, 1.2),
    "box_2kg": (2000, 1.3),
    "box_5kg": (5000, 1.3),
    "box_10kg": (10000, 1.3),
    "jar_500g": (500, 1.8),
    "jar_500ml": (500, 2.0),
    "bottle_250ml": (250, 2.0),
    "bottle_500ml": (500, 1.8),
}
PRODUCT_TRANSITIONS = {
    ProductStatus.draft: {ProductStatus.active, ProductStatus.archived},
    ProductStatus.active: {ProductStatus.archived},
    ProductStatus.archived: {ProductStatus.active},
}
PRODUCT_STATUS_LABELS = {
    ProductStatus.draft: _l("Draft"),
    ProductStatus.active: _l("On sale"),
    ProductStatus.archived: _l("Archived"),
}
PRODUCT_FIELDS = (
    "name_zh",
    "name_en",
    "category_id",
    "unit",
    "unit_weight_g",
    "price_fen",
    "description_zh",
    "description_en",
    "ovop",
    "perishable",
)


def unit_label(code: str) -> str:
    """The sale unit's label in the current language (the code itself if unknown)."""
    unit = UNITS.get(code)
    return str(unit.label) if unit else code


# --- who manages what -------------------------------------------------------------------


def can_manage(user, cooperative: Cooperative) -> bool:
    """Administrators manage every cooperative; a manager only their own, and only while
    they hold the role (revoking it revokes the rights at once)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return user.has_role(Role.cooperative_manager) and any(
        m.id == user.id for m in cooperative.managers
    )


def require_manager(user, cooperative: Cooperative) -> None:
    """Raise Forbidden unless `user` may manage `cooperative`."""
    if not can_manage(user, cooperative):
        raise Forbidden(_l("You do not manage this cooperative."))


def managed_cooperatives_select(user):
    """A select of the cooperatives `user` manages: the set `can_manage` is true for, as SQL,
    so packing lists, the API and the household registry all ask the same question."""
    stmt = db.select(Cooperative)
    if user is None or not getattr(user, "is_authenticated", False):
        return stmt.where(false())
    if user.is_admin:
        return stmt
    if not user.has_role(Role.cooperative_manager):
        return stmt.where(false())
    return stmt.where(Cooperative.managers.any(id=user.id))


def managed_cooperatives(user) -> list[Cooperative]:
    """The cooperatives `user` manages (all of them for an administrator), by name."""
    if getattr(user, "is_authenticated", False) and user.is_admin:
        return cooperatives.list_cooperatives()
    stmt = managed_cooperatives_select(user).order_by(Cooperative.name_zh, Cooperative.id)
    return list(db.session.scalars(stmt))


def can_see_product(user, product: Product) -> bool:
    """A product on sale is public; a draft or archived one exists only for those who
    manage its cooperative (the product page and the API answer 404 to anyone else)."""
    return product.status == ProductStatus.active or can_manage(user, product.cooperative)


@manager_townships.connect
def managed_township_ids(user) -> set[int]:
    """The townships of the cooperatives `user` manages: whose households they may see."""
    stmt = (
        db.select(Region.parent_id)
        .join(Cooperative, Cooperative.village_id == Region.id)
        .where(Cooperative.managers.any(id=user.id))
    )
    return {township_id for township_id in db.session.scalars(stmt) if township_id}


# --- products -----------------------------------------------------------------------------


def unit_weight_problem(unit_code: str | None, weight_g: int | None):
    """Why `weight_g` cannot be the weight of one `unit_code` (its name says how much it
    holds), or None when it can (or the unit names no weight, or none was given)."""
    named = NAMED_WEIGHT.get(unit_code or "")
    if named is None or not weight_g:
        return None
    content, factor = named
    highest = int(content * factor)
    if content <= weight_g <= highest:
        return None
    return _l(
        "A “%(unit)s” holds %(content)s g: with its packaging it weighs %(low)s–%(high)s g, "
        "not %(weight)s g. Correct the weight, or choose the unit that matches it.",
        unit=UNITS[unit_code].label,
        content=content,
        low=content,
        high=highest,
        weight=weight_g,
    )


def check_product_values(values: dict) -> dict:
    """Fill the unit's default weight and enforce the product rules; returns clean values."""
    values = dict(values)
    if not (values.get("name_zh") or "").strip():
        raise DomainError(_l("Give the product a Chinese name."))
    unit = UNITS.get(values.get("unit") or "")
    if unit is None:
        raise DomainError(_l("Choose a sale unit from the list."))
    if not values.get("unit_weight_g"):
        values["unit_weight_g"] = unit.default_weight_g
    if not values.get("unit_weight_g") or values["unit_weight_g"] <= 0:
        raise DomainError(_l("Give the weight of one sale unit in grams."))
    if problem := unit_weight_problem(unit.code, values["unit_weight_g"]):
        raise DomainError(problem)
    if values.get("price_fen") is None or values["price_fen"] < 0:
        raise DomainError(_l("Give a price of zero yuan or more."))
    if db.session.get(Category, values.get("category_id") or 0) is None:
        raise DomainError(_l("Choose a category."))
    for key in ("name_en", "description_zh", "description_en"):
        values[key] = (values.get(key) or "").strip() or None
    return values


@verb
def save_product(
    cooperative: Cooperative, product: Product | None, values: dict, by=None, uploads=()
) -> Product:
    """Create a draft product of `cooperative` (product None) or edit one of its products,
    adding the uploaded photos [(file name, bytes)]; nothing is saved if any part is bad."""
    values = check_product_values(values)
    uploads = [(name, data) for name, data in uploads if name or data]
    images = photos.check_uploads(product, uploads)
    created = product is None
    if created:
        product = Product(cooperative_id=cooperative.id, status=ProductStatus.draft)
        db.session.add(product)
    elif product.cooperative_id != cooperative.id:
        raise Forbidden(_l("This product belongs to another cooperative."))
    for key in PRODUCT_FIELDS:
        setattr(product, key, values.get(key))
    if "freight_template_id" in values:
        product.freight_template_id = freight.check_product_template(
            cooperative.id, values["freight_template_id"], bool(values.get("perishable"))
        )
    db.session.flush()
    if created:
        record_initial_status(product, "product", by=by)
    for image in images:
        photos.store_image(product, image)
    return product


@verb
def change_product_status(product: Product, to_status: ProductStatus, by=None):
    """Publish, archive or re-publish a product (through the one transition function)."""
    to_status = ProductStatus(to_status)
    if to_status == ProductStatus.active and product.price_fen <= 0:
        raise DomainError(_l("Set a price before putting the product on sale."))
    event = transition(product, to_status, PRODUCT_TRANSITIONS, "product", by=by)
    db.session.flush()
    return event


# --- stock and households behind a product ------------------------------------------------


def available_quantity(product: Product) -> int:
    """Units of `product` that can still be sold: the remaining of its open lots."""
    return stock.available_quantities([product.id])[product.id]


def supported_household_counts(product_ids) -> dict[int, int]:
    """{product id: distinct registered households who supplied its lots that are not void}."""
    ids = list(product_ids)
    if not ids:
        return {}
    stmt = (
        db.select(SupplyLot.product_id, db.func.count(db.distinct(LotContribution.household_id)))
        .join(LotContribution, LotContribution.lot_id == SupplyLot.id)
        .where(SupplyLot.product_id.in_(ids), SupplyLot.void.is_(False))
        .where(LotContribution.household_id.is_not(None))
        .group_by(SupplyLot.product_id)
    )
    found = dict(db.session.execute(stmt).all())
    return {pid: int(found.get(pid, 0)) for pid in ids}


def supported_households(product: Product) -> int:
    """How many registered poor households supplied `product`."""
    return supported_household_counts([product.id])[product.id]


def products_of(cooperative: Cooperative) -> list[Product]:
    """Every product of a cooperative (any status), newest first."""
    stmt = db.select(Product).where(Product.cooperative_id == cooperative.id)
    stmt = stmt.options(selectinload(Product.photos))
    return list(db.session.scalars(stmt.order_by(Product.created_at.desc(), Product.id.desc())))
