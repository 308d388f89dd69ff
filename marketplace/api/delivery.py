"""Delivery to an address (issue 13): China's divisions, the buyer's address book, the
cooperatives' freight templates and shipping quotes. Placing an express order is in
orders.py (`"delivery": "express"`)."""

from flask import request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..accounts import addresses
from ..catalog import freight
from ..catalog.models import Cooperative
from ..extensions import db
from ..orders import checkout
from ..regions import divisions
from .auth import current_api_user, token_required
from .errors import ApiError, Invalid
from .params import MAX_INT, bool_field, int_field, json_body, list_field, only_fields
from .views import bp

ADDRESS_FIELDS = (*addresses.FIELDS, "is_default")
MAX_LINES = 100


def _lang() -> str:
    return str(get_locale() or "zh")


def division_json(division) -> dict:
    return {
        "code": division.code,
        "name": division.name_zh,
        "name_en": division.name_en,
        "level": division.level,
    }


@bp.get("/divisions")
def list_divisions():
    """No parent: the provinces; a province: its cities; a city: its districts."""
    parent = request.args.get("parent") or None
    if parent is not None and divisions.get(parent) is None:
        raise Invalid({"parent": _l("There is no division with this code.")})
    return {"items": [division_json(d) for d in divisions.children_of(parent)]}


def address_json(address) -> dict:
    names = {}
    for level in ("province", "city", "district"):
        division = divisions.get(getattr(address, f"{level}_code"))
        names[f"{level}_name"] = division.name_zh if division else None
    return {
        "id": address.id,
        "recipient": address.recipient,
        "phone": address.phone,
        "phone_masked": address.masked_phone,
        "province_code": address.province_code,
        "city_code": address.city_code,
        "district_code": address.district_code,
        **names,
        "street": address.street,
        "is_default": address.is_default,
    }


def _address_body(partial: bool) -> dict:
    body = json_body()
    only_fields(body, ADDRESS_FIELDS)
    data = {k: v for k, v in body.items() if k in addresses.FIELDS}
    for name, value in data.items():
        if not isinstance(value, str):
            raise Invalid({name: _l("Must be text.")})
    if not partial:
        missing = {f: _l("This field is required.") for f in addresses.FIELDS if f not in data}
        if missing:
            raise Invalid(missing)
    data["is_default"] = bool_field(body, "is_default", default=None)
    return data


def _own(address_id: int):
    address = addresses.own_address(current_api_user(), address_id)
    if address is None:
        raise ApiError(404)  # another buyer's address does not exist for this caller
    return address


@bp.get("/addresses")
@token_required
def list_addresses():
    """The caller's address book, the default first."""
    return {"items": [address_json(a) for a in addresses.addresses_of(current_api_user())]}


@bp.post("/addresses")
@token_required
def add_address():
    """Add an address; 400 with `fields` for an unknown code, a code outside its parent or
    a phone that is not a mainland mobile number."""
    data = _address_body(partial=False)
    try:
        address = addresses.add_address(current_api_user(), data)
    except addresses.AddressInvalid as exc:
        raise Invalid(exc.fields) from None
    return address_json(address), 201


@bp.patch("/addresses/<int:address_id>")
@token_required
def update_address(address_id: int):
    """Change some fields of one's own address (another buyer's is 404)."""
    address = _own(address_id)
    data = _address_body(partial=True)
    try:
        addresses.update_address(address, data)
    except addresses.AddressInvalid as exc:
        raise Invalid(exc.fields) from None
    return address_json(address)


@bp.delete("/addresses/<int:address_id>")
@token_required
def delete_address(address_id: int):
    """Delete one's own address; placed orders keep their copy."""
    addresses.delete_address(_own(address_id))
    return "", 204


@bp.get("/cooperatives/<int:cooperative_id>/freight-templates")
def list_freight_templates(cooperative_id: int):
    """A cooperative's freight templates (运费模板), the default first. Public."""
    if cooperative_id > MAX_INT or db.session.get(Cooperative, cooperative_id) is None:
        raise ApiError(404)
    return {"items": [freight.template_json(t) for t in freight.templates_of(cooperative_id)]}


def ship_to_from_body(body: dict) -> dict:
    """The snapshot of `address_id` (one's own) or of an inline `address`."""
    if body.get("address_id") is not None:
        address_id = int_field(body, "address_id", minimum=1)
        address = addresses.own_address(current_api_user(), address_id)
        if address is None:
            raise Invalid({"address_id": _l("There is no such address in your address book.")})
        return addresses.snapshot(address)
    inline = body.get("address")
    if not isinstance(inline, dict):
        raise Invalid({"address_id": _l("Choose an address to deliver to.")})
    only = set(addresses.FIELDS) | {"is_default"}
    unknown = [k for k in inline if k not in only]
    if unknown:
        raise Invalid({f"address.{str(unknown[0])[:50]}": _l("Unknown field.")})
    try:
        return addresses.snapshot_of_data(inline)
    except addresses.AddressInvalid as exc:
        raise Invalid({f"address.{k}": v for k, v in exc.fields.items()}) from None


def lines_from_body(body: dict) -> list[tuple[int, int]]:
    items = []
    for index, line in enumerate(list_field(body, "lines", MAX_LINES)):
        try:
            only_fields(line, ("product_id", "quantity"))
            items.append(
                (int_field(line, "product_id", minimum=1), int_field(line, "quantity", minimum=1))
            )
        except Invalid as exc:
            fields = exc.extra["fields"].items()
            raise Invalid({f"lines[{index}].{k}": v for k, v in fields}) from None
    return items


def not_delivered_error(exc: freight.NotDelivered) -> ApiError:
    return ApiError(409, "not_delivered", exc.message, lines=exc.details["lines"])


@bp.post("/shipping-quotes")
@token_required
def shipping_quote():
    """The shipping fee of lines to an address, per cooperative; 409 `not_delivered`."""
    body = json_body()
    only_fields(body, ("lines", "address_id", "address"))
    items = lines_from_body(body)
    ship = ship_to_from_body(body)
    try:
        requested = checkout.requested_quantities(items)
        products = checkout.products_for_sale(requested)
    except checkout.DomainError as exc:
        raise Invalid({"lines": exc.message}) from None
    quotes = freight.quote_lines(
        [(products[pid], q) for pid, q in requested.items()], ship["province_code"]
    )
    try:
        total = freight.shipping_or_refuse(quotes)
    except freight.NotDelivered as exc:
        raise not_delivered_error(exc) from None
    return {
        "shipping_fen": total,
        "province_code": ship["province_code"],
        "fulfilments": [
            {
                "cooperative_id": q.cooperative_id,
                "weight_g": q.weight_g,
                "goods_fen": q.goods_fen,
                "shipping_fen": q.shipping_fen,
            }
            for q in quotes
        ],
    }
