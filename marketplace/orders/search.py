"""Finding products to buy: search by name, filter by the cooperative's place on the region
tree, category and "one village, one product", sort, paginate."""

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from ..catalog.models import Category, Cooperative, Product, ProductStatus
from ..extensions import db
from ..regions.models import Region, RegionLevel

SORTS = ("newest", "price_asc", "price_desc")
MAX_TERMS = 5


def search_products(
    q: str | None = None,
    county_code: str | None = None,
    township_code: str | None = None,
    village_id: int | None = None,
    category_code: str | None = None,
    ovop: bool = False,
    sort: str = "newest",
    page: int = 1,
    per_page: int = 12,
):
    """A page (Flask-SQLAlchemy Pagination) of active products matching the filters.

    `q` matches part of the Chinese or English name (百合 finds 兰州百合); several words must
    all match. Region codes filter by prefix of the cooperative's village code; a township
    outside the chosen county is ignored. Unknown sorts fall back to newest first.
    """
    stmt = (
        db.select(Product)
        .join(Cooperative, Product.cooperative_id == Cooperative.id)
        .join(Region, Cooperative.village_id == Region.id)
        .where(Product.status == ProductStatus.active)
    )
    for term in (q or "").split()[:MAX_TERMS]:
        stmt = stmt.where(
            or_(
                Product.name_zh.icontains(term, autoescape=True),
                Product.name_en.icontains(term, autoescape=True),
            )
        )
    county_code = _digits(county_code)
    township_code = _digits(township_code)
    if township_code and county_code and not township_code.startswith(county_code):
        township_code = None
    for prefix in (county_code, township_code):
        if prefix:
            stmt = stmt.where(Region.code.startswith(prefix, autoescape=True))
    if village_id:
        stmt = stmt.where(Cooperative.village_id == village_id)
    if category_code:
        stmt = stmt.join(Category, Product.category_id == Category.id).where(
            Category.code == category_code
        )
    if ovop:
        stmt = stmt.where(Product.ovop.is_(True))
    stmt = stmt.order_by(*_ordering(sort)).options(
        selectinload(Product.photos),
        selectinload(Product.category),
        selectinload(Product.cooperative).selectinload(Cooperative.village),
    )
    return db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)


def _ordering(sort: str):
    if sort == "price_asc":
        return (Product.price_fen.asc(), Product.id.asc())
    if sort == "price_desc":
        return (Product.price_fen.desc(), Product.id.desc())
    return (Product.created_at.desc(), Product.id.desc())


def _digits(code: str | None) -> str | None:
    code = (code or "").strip()
    return code if code.isdigit() else None


def filter_regions(county_code: str | None) -> tuple[list[Region], list[Region]]:
    """(counties, townships) for the browse filters: townships of the chosen county, or all."""
    counties = list(
        db.session.scalars(
            db.select(Region).where(Region.level == RegionLevel.county).order_by(Region.code)
        )
    )
    townships = db.select(Region).where(Region.level == RegionLevel.township)
    county_code = _digits(county_code)
    if county_code:
        townships = townships.where(Region.code.startswith(county_code, autoescape=True))
    return counties, list(db.session.scalars(townships.order_by(Region.code)))


def categories() -> list[Category]:
    """Every category, in the administrators' order."""
    return list(db.session.scalars(db.select(Category).order_by(Category.position, Category.id)))
