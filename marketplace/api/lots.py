"""Supply lots: a cooperative's managers record who handed in how much of a product, and
read a lot back with its contributions."""

from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from ..catalog import lots
from ..catalog import services as catalog
from ..catalog.models import Product, SupplyLot
from ..extensions import db
from .auth import current_api_user, roles_required
from .errors import ApiError, Invalid
from .params import (
    MAX_INT,
    choice_field,
    date_field,
    int_field,
    json_body,
    list_field,
    only_fields,
    text_field,
)
from .serializers import lot_json
from .views import bp

MAX_CONTRIBUTIONS = 200


def _contributions(body: dict) -> list[lots.Contribution]:
    rows = []
    for index, row in enumerate(list_field(body, "contributions", MAX_CONTRIBUTIONS)):
        try:
            only_fields(row, ("household_no", "supplier_name", "quantity"))
            rows.append(
                lots.Contribution(
                    quantity=int_field(row, "quantity", minimum=1),
                    household_no=text_field(row, "household_no", 30, required=False),
                    supplier_name=text_field(row, "supplier_name", 100, required=False),
                )
            )
        except Invalid as exc:
            fields = exc.extra["fields"].items()
            raise Invalid({f"contributions[{index}].{k}": v for k, v in fields}) from None
    return rows


@bp.post("/lots")
@roles_required(Role.cooperative_manager, Role.admin)
def create_lot():
    """Record a supply lot of one of the manager's products; 201 with its new code."""
    body = json_body()
    only_fields(
        body,
        (
            "product_id",
            "quantity",
            "grade",
            "harvested_on",
            "received_on",
            "contributions",
            "note",
        ),
    )
    product = db.session.get(Product, int_field(body, "product_id", minimum=1))
    if product is None:
        raise Invalid({"product_id": _l("There is no such product.")})
    user = current_api_user()
    catalog.require_manager(user, product.cooperative)
    lot = lots.record_supply_lot(
        product,
        int_field(body, "quantity", minimum=1),
        choice_field(body, "grade", lots.GRADES),
        date_field(body, "received_on"),
        _contributions(body),
        harvested_on=date_field(body, "harvested_on", required=False),
        by=user,
        note=text_field(body, "note", 500, required=False),
    )
    return lot_json(lot), 201


@bp.get("/lots/<int:lot_id>")
@roles_required(Role.cooperative_manager, Role.admin)
def get_lot(lot_id: int):
    """One lot with its contributions: for its cooperative's managers and administrators."""
    lot = db.session.get(SupplyLot, lot_id) if lot_id <= MAX_INT else None
    if lot is None:
        raise ApiError(404)
    catalog.require_manager(current_api_user(), lot.product.cooperative)
    return lot_json(lot)
