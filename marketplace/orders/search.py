"""Finding products to buy: search by name, filter by the cooperative's place on the region
tree, category and "one village, one product", sort, paginate."""

from sqlalchemy import or_
from sqlalchemy.orm import contains_eager, joinedload, selectinload

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
    # The cooperative and its village come from the joins the filters already use, the
    # category in the same query; only the photos need a second one. The cooperative's
    # managers (loaded eagerly by default) are not shown here.
    stmt = stmt.order_by(*_ordering(sort)).options(
        selectinload(Product.photos),
        joinedload(Product.category),
        contains_eager(Product.cooperative).contains_eager(Cooperative.village),
        contains_eager(Product.cooperative).lazyload(Cooperative.managers),
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
    wanted = Region.level == RegionLevel.township
    county_code = _digits(county_code)
    if county_code:
        wanted = wanted & Region.code.startswith(county_code, autoescape=True)
    # One query for both lists (the page asks for them on every view).
    rows = db.session.scalars(
        db.select(Region).where((Region.level == RegionLevel.county) | wanted).order_by(Region.code)
    )
    counties, townships = [], []
    for region in rows:
        (counties if region.level == RegionLevel.county else townships).append(region)
    return counties, townships


def categories() -> list[Category]:
    """Every category, in the administrators' order."""
    return list(db.session.scalars(db.select(Category).order_by(Category.position, Category.id)))
