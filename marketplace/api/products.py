"""Products: the public catalogue (the shop's own search), one product with its open lots,
and listing or changing products for the managers of their cooperative."""

from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from ..catalog import services as catalog
from ..catalog.models import Category, Cooperative, Product, ProductStatus, SupplyLot
from ..claims import reviews
from ..errors import Forbidden
from ..extensions import db
from ..orders.search import search_products
from .auth import current_api_user, roles_required
from .errors import ApiError, Invalid
from .params import (
    MAX_INT,
    bool_field,
    choice_field,
    int_arg,
    int_field,
    json_body,
    only_fields,
    page_args,
    region_code_arg,
    text_arg,
    text_field,
)
from .serializers import page_json, product_detail_json, product_json
from .views import bp

NAME_LENGTH = 100
DESCRIPTION_LENGTH = 5000
PRODUCT_BODY = (
    "name",
    "name_en",
    "category",
    "unit",
    "unit_weight_g",
    "price_fen",
    "description",
    "description_en",
    "ovop",
    "perishable",
)


@bp.get("/products")
def list_products():
    """Active products, newest first, filtered by text, place and category; no token needed."""
    page, per_page = page_args()
    found = search_products(
        q=text_arg("q"),
        county_code=region_code_arg("county_code", 6),
        township_code=region_code_arg("township_code", 9),
        village_id=int_arg("village_id"),
        category_code=text_arg("category", max_length=40),
        page=page,
        per_page=per_page,
    )
    ids = [product.id for product in found.items]
    available = catalog.available_quantities(ids)
    households = catalog.supported_household_counts(ids)
    items = [product_json(p, available[p.id], households[p.id]) for p in found.items]
    return page_json(items, page, per_page, found.total)


def _open_lots(product: Product) -> list[SupplyLot]:
    stmt = (
        db.select(SupplyLot)
        .where(
            SupplyLot.product_id == product.id,
            SupplyLot.void.is_(False),
            SupplyLot.remaining > 0,
        )
        .order_by(SupplyLot.received_on, SupplyLot.id)
    )
    return list(db.session.scalars(stmt))


def _detail(product: Product) -> dict:
    body = product_detail_json(
        product,
        catalog.available_quantity(product),
        catalog.supported_households(product),
        _open_lots(product),
    )
    rating = reviews.rating(product_id=product.id)
    body["rating"] = {"average": rating.average, "count": rating.count}
    return body


@bp.get("/products/<int:product_id>")
def get_product(product_id: int):
    """One product with its cooperative's producer share and its open lots."""
    product = db.session.get(Product, product_id) if product_id <= MAX_INT else None
    if product is None:
        raise ApiError(404)
    if not catalog.can_see_product(current_api_user(), product):
        raise ApiError(404)
    return _detail(product)


def _cooperative_for_new_product(body: dict) -> Cooperative:
    """The cooperative named by `cooperative_id`, or the only one the user manages."""
    user = current_api_user()
    cooperative_id = int_field(body, "cooperative_id", required=False, minimum=1)
    if cooperative_id is not None:
        cooperative = db.session.get(Cooperative, cooperative_id)
        if cooperative is None:
            raise Invalid({"cooperative_id": _l("There is no such cooperative.")})
        catalog.require_manager(user, cooperative)
        return cooperative
    managed = catalog.managed_cooperatives(user)
    if not managed:
        raise Forbidden(_l("You do not manage this cooperative."))
    if len(managed) > 1:
        raise Invalid({"cooperative_id": _l("You manage several cooperatives: say which one.")})
    return managed[0]


def _product_values(body: dict, product: Product | None) -> dict:
    """The service's product values: the product's own, overlaid with the body's fields."""
    values = {key: getattr(product, key) for key in catalog.PRODUCT_FIELDS} if product else {}
    partial = product is not None
    if not partial or "name" in body:
        values["name_zh"] = text_field(body, "name", NAME_LENGTH)
    if "name_en" in body:
        values["name_en"] = text_field(body, "name_en", NAME_LENGTH, required=False)
    if not partial or "category" in body:
        code = text_field(body, "category", 40)
        category = db.session.scalar(db.select(Category).where(Category.code == code))
        if category is None:
            raise Invalid({"category": _l("There is no category with this code.")})
        values["category_id"] = category.id
    if not partial or "unit" in body:
        values["unit"] = choice_field(body, "unit", catalog.UNITS)
    if not partial or "unit_weight_g" in body:
        values["unit_weight_g"] = int_field(body, "unit_weight_g", required=False, minimum=1)
    if not partial or "price_fen" in body:
        values["price_fen"] = int_field(body, "price_fen")
    if "description" in body:
        values["description_zh"] = text_field(body, "description", DESCRIPTION_LENGTH, False)
    if "description_en" in body:
        values["description_en"] = text_field(body, "description_en", DESCRIPTION_LENGTH, False)
    for flag in ("ovop", "perishable"):
        if not partial or flag in body:
            values[flag] = bool_field(body, flag)
    return values


@bp.post("/products")
@roles_required(Role.cooperative_manager, Role.admin)
def create_product():
    """A new draft product of the manager's cooperative; 201 with the product."""
    body = json_body()
    only_fields(body, (*PRODUCT_BODY, "cooperative_id"))
    cooperative = _cooperative_for_new_product(body)
    values = _product_values(body, None)
    product = catalog.save_product(cooperative, None, values, by=current_api_user())
    return _detail(product), 201


@bp.patch("/products/<int:product_id>")
@roles_required(Role.cooperative_manager, Role.admin)
def update_product(product_id: int):
    """Change a product's fields and/or its status (draft, active, archived)."""
    product = db.session.get(Product, product_id) if product_id <= MAX_INT else None
    if product is None:
        raise ApiError(404)
    user = current_api_user()
    catalog.require_manager(user, product.cooperative)
    body = json_body()
    only_fields(body, (*PRODUCT_BODY, "status"))
    status = choice_field(body, "status", [s.value for s in ProductStatus], required=False)
    if set(body) - {"status"}:
        catalog.save_product(product.cooperative, product, _product_values(body, product), by=user)
    if status is not None and status != product.status:
        catalog.change_product_status(product, ProductStatus(status), by=user)
    return _detail(product)
