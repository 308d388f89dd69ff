"""Products: the public catalogue as JSON (list with filters, and one product with open lots)."""

from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload

from ..accounts.models import Role
from ..catalog.models import (
    Category,
    Cooperative,
    LotContribution,
    Product,
    ProductStatus,
    SupplyLot,
)
from ..extensions import db
from ..regions.models import Region
from .auth import current_api_user
from .errors import ApiError
from .params import MAX_INT, int_arg, page_args, region_code_arg, text_arg
from .shapes import county_json, iso_date, locale, page_json, region_json
from .views import bp


def _available_qty():
    """Units on sale: what is left of the product's lots that are not void."""
    return (
        db.select(func.coalesce(func.sum(SupplyLot.remaining), 0))
        .where(SupplyLot.product_id == Product.id, SupplyLot.void.is_(False))
        .correlate(Product)
        .scalar_subquery()
    )


def _households_count():
    """Registered households that supplied the product (in any lot not voided)."""
    return (
        db.select(func.count(func.distinct(LotContribution.household_id)))
        .join(SupplyLot, SupplyLot.id == LotContribution.lot_id)
        .where(
            SupplyLot.product_id == Product.id,
            SupplyLot.void.is_(False),
            LotContribution.household_id.is_not(None),
        )
        .correlate(Product)
        .scalar_subquery()
    )


def _with_place():
    return (
        joinedload(Product.cooperative)
        .joinedload(Cooperative.village)
        .joinedload(Region.parent)
        .joinedload(Region.parent)
    )


def _product_json(product: Product, available_qty: int, households_count: int) -> dict:
    lang = locale()
    village = product.cooperative.village
    return {
        "id": product.id,
        "name": product.display_name(lang),
        "category": product.category.code,
        "category_name": product.category.display_name(lang),
        "unit": product.unit,
        "unit_weight_g": product.unit_weight_g,
        "price_fen": product.price_fen,
        "available_qty": int(available_qty),
        "ovop": product.ovop,
        "perishable": product.perishable,
        "households_count": int(households_count),
        "cooperative": {
            "id": product.cooperative.id,
            "name": product.cooperative.display_name(lang),
        },
        "village": region_json(village),
        "county": county_json(village),
    }


@bp.get("/products")
def list_products():
    """Active products, newest first, filtered by text, place and category; no token needed."""
    page, per_page = page_args()
    query = text_arg("q")
    county_code = region_code_arg("county_code", 6)
    township_code = region_code_arg("township_code", 9)
    village_id = int_arg("village_id")
    category = text_arg("category", max_length=40)

    stmt = (
        db.select(Product)
        .join(Cooperative, Cooperative.id == Product.cooperative_id)
        .join(Region, Region.id == Cooperative.village_id)
        .where(Product.status == ProductStatus.active)
    )
    if query:
        stmt = stmt.where(
            or_(
                Product.name_zh.icontains(query, autoescape=True),
                Product.name_en.icontains(query, autoescape=True),
            )
        )
    # Village codes begin with their township's code, which begins with the county's.
    if county_code:
        stmt = stmt.where(Region.code.startswith(county_code))
    if township_code:
        stmt = stmt.where(Region.code.startswith(township_code))
    if village_id:
        stmt = stmt.where(Cooperative.village_id == village_id)
    if category:
        stmt = stmt.join(Category, Category.id == Product.category_id).where(
            Category.code == category
        )

    total = db.session.scalar(db.select(func.count()).select_from(stmt.subquery()))
    rows = db.session.execute(
        stmt.add_columns(_available_qty(), _households_count())
        .options(_with_place(), joinedload(Product.category))
        .order_by(Product.created_at.desc(), Product.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [_product_json(product, qty, households) for product, qty, households in rows]
    return page_json(items, page, per_page, total)


def _may_see_unlisted(product: Product) -> bool:
    """Drafts and archived products are shown to their cooperative's managers and admins."""
    user = current_api_user()
    if user is None:
        return False
    if user.has_role(Role.admin):
        return True
    return user.has_role(Role.cooperative_manager) and user in product.cooperative.managers


@bp.get("/products/<int:product_id>")
def get_product(product_id: int):
    """One product with its cooperative's producer share and its open lots."""
    if product_id > MAX_INT:
        raise ApiError(404)
    row = db.session.execute(
        db.select(Product, _available_qty(), _households_count())
        .where(Product.id == product_id)
        .options(_with_place(), joinedload(Product.category))
    ).first()
    if row is None:
        raise ApiError(404)
    product, qty, households = row
    if product.status != ProductStatus.active and not _may_see_unlisted(product):
        raise ApiError(404)
    lots = db.session.scalars(
        db.select(SupplyLot)
        .where(
            SupplyLot.product_id == product.id,
            SupplyLot.void.is_(False),
            SupplyLot.remaining > 0,
        )
        .order_by(SupplyLot.received_on, SupplyLot.id)
    ).all()
    body = _product_json(product, qty, households)
    body["status"] = str(product.status)
    body["description"] = product.display_description(locale())
    body["cooperative"]["producer_share_bp"] = product.cooperative.producer_share_bp
    body["lots"] = [
        {
            "id": lot.id,
            "code": lot.code,
            "grade": lot.grade,
            "harvested_on": iso_date(lot.harvested_on),
            "received_on": iso_date(lot.received_on),
            "remaining_qty": lot.remaining,
        }
        for lot in lots
    ]
    return body
