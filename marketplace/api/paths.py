"""The operations of the OpenAPI document: for each path and method, its parameters, body,
and every response it can give (openapi.py assembles the document; a test checks these
are exactly the blueprint's routes)."""

from ..logistics.models import StationKind
from .params import DEFAULT_PER_PAGE, MAX_INT, MAX_PER_PAGE

JSON = "application/json"
BEARER = [{"bearer": []}]
PUBLIC: list = []
# Anonymous, or with a token that shows more (drafts to their cooperative's managers).
OPTIONAL_BEARER = [{}, {"bearer": []}]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _path(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema or {"type": "integer", "minimum": 1},
        "description": description,
    }


ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
PAGE = _query("page", {**ID, "default": 1}, "Page number, from 1.")
PER_PAGE = _query(
    "per_page",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    "Items per page.",
)
COUNTY_CODE = _query(
    "county_code", {"type": "string", "pattern": "^[0-9]{6}$"}, "County code (GB/T 2260)."
)
TOWNSHIP_CODE = _query(
    "township_code", {"type": "string", "pattern": "^[0-9]{9}$"}, "Township code (9 digits)."
)
VILLAGE_ID = _query("village_id", ID, "Region id of a village.")
PRODUCT_ID = _path("product_id", "Product id.")
ORDER_ID = _path("order_id", "Order id.")


def _operation(
    summary, ok: dict, errors=(), security=PUBLIC, parameters=(), body=None, body_required=True
):
    responses = dict(ok)
    for status in errors:
        responses[status] = {"$ref": f"#/components/responses/Error{status}"}
    operation = {
        "summary": summary,
        "security": security,
        "parameters": list(parameters),
        "responses": responses,
    }
    if body:
        operation["requestBody"] = {
            "required": body_required,
            "content": {JSON: {"schema": _ref(body)}},
        }
    return operation


def _ok(schema: str, status: str = "200", description: str = "OK") -> dict:
    return {status: {"description": description, "content": {JSON: {"schema": _ref(schema)}}}}


CREATED = "201"
# What a call that takes a JSON body and a token may always answer besides its success.
WRITE_ERRORS = ("400", "401", "403", "415")

PATHS = {
    "/api/v1/tokens": {
        "post": _operation(
            "Exchange an e-mail address or mobile number and a password for a bearer token.",
            _ok("Token", CREATED, "Created"),
            errors=("400", "401", "415", "429"),
            body="TokenRequest",
        ),
        "delete": _operation(
            "Revoke every token of the caller (log out on every device). Changing the "
            "password does the same.",
            {"204": {"description": "Revoked"}},
            errors=("401",),
            security=BEARER,
        ),
    },
    "/api/v1/tokens/current": {
        "delete": _operation(
            "Revoke the token this request is made with.",
            {"204": {"description": "Revoked"}},
            errors=("401",),
            security=BEARER,
        )
    },
    "/api/v1/products": {
        "get": _operation(
            "Active products, newest first (the shop's search: every word of `q` must be in "
            "the name; a township outside the chosen county is ignored).",
            _ok("ProductPage"),
            errors=("400",),
            parameters=(
                _query("q", {"type": "string", "maxLength": 100}, "Words in the name."),
                COUNTY_CODE,
                TOWNSHIP_CODE,
                VILLAGE_ID,
                _query("category", {"type": "string", "maxLength": 40}, "Category code."),
                PAGE,
                PER_PAGE,
            ),
        ),
        "post": _operation(
            "A new draft product of a cooperative the caller manages (`cooperative_id` is "
            "needed only by those who manage several). No photos through the API yet.",
            _ok("ProductDetail", CREATED, "Created"),
            errors=WRITE_ERRORS,
            security=BEARER,
            body="ProductCreate",
        ),
    },
    "/api/v1/products/{product_id}": {
        "get": _operation(
            "One product with its cooperative's producer share and its open lots.",
            _ok("ProductDetail"),
            errors=("401", "404"),
            security=OPTIONAL_BEARER,
            parameters=(PRODUCT_ID,),
        ),
        "patch": _operation(
            "Change a product's fields or its status (draft → active → archived → active). "
            "Managers of its cooperative only.",
            _ok("ProductDetail"),
            errors=(*WRITE_ERRORS, "404", "409"),
            security=BEARER,
            parameters=(PRODUCT_ID,),
            body="ProductUpdate",
        ),
    },
    "/api/v1/lots": {
        "post": _operation(
            "Record a supply lot: who handed in how much (household numbers or other "
            "suppliers); the quantities add up to the lot's. Managers of the product's "
            "cooperative only.",
            _ok("LotDetail", CREATED, "Created"),
            errors=(*WRITE_ERRORS, "409"),
            security=BEARER,
            body="LotCreate",
        )
    },
    "/api/v1/lots/{lot_id}": {
        "get": _operation(
            "One lot with its contributions (household names masked): for its "
            "cooperative's managers and administrators.",
            _ok("LotDetail"),
            errors=("401", "403", "404"),
            security=BEARER,
            parameters=(_path("lot_id", "Lot id."),),
        )
    },
    "/api/v1/stations": {
        "get": _operation(
            "Active stations, by region code.",
            _ok("StationList"),
            errors=("400",),
            parameters=(
                _query("kind", {"type": "string", "enum": [k.value for k in StationKind]}, "Kind."),
                COUNTY_CODE,
            ),
        )
    },
    "/api/v1/orders": {
        "post": _operation(
            "Order products, picked up at a village point: one fulfilment (parcel) per "
            "cooperative, its route planned. Cash orders are confirmed at once; `stripe` "
            "orders return the Checkout page in `payment.checkout_url` (400 when online "
            "payment is off). 409 `insufficient_stock` lists what is left.",
            _ok("Order", CREATED, "Created"),
            errors=("400", "401", "409", "415"),
            security=BEARER,
            body="OrderCreate",
        ),
        "get": _operation(
            "The caller's own orders, newest first.",
            _ok("OrderPage"),
            errors=("400", "401"),
            security=BEARER,
            parameters=(PAGE, PER_PAGE),
        ),
    },
    "/api/v1/orders/{order_id}": {
        "get": _operation(
            "One order with its parcels' routes and its timeline. Pickup codes are shown "
            "to the buyer only; another buyer's order is 404.",
            _ok("OrderDetail"),
            errors=("401", "404"),
            security=BEARER,
            parameters=(ORDER_ID,),
        )
    },
    "/api/v1/orders/{order_id}/cancel": {
        "post": _operation(
            "Cancel the order while none of its parcels has left; the stock goes back on "
            "sale. 409 once a parcel is on its way.",
            _ok("OrderDetail"),
            errors=(*WRITE_ERRORS, "404", "409"),
            security=BEARER,
            parameters=(ORDER_ID,),
            body="CancelRequest",
            body_required=False,
        )
    },
    "/api/v1/orders/{order_id}/confirm-receipt": {
        "post": _operation(
            "The buyer confirms receipt (确认收货): every parcel handed to an express carrier "
            "and not yet delivered becomes delivered and its sale is recognised. Again once "
            "all are delivered: 200, nothing changes. Another buyer's order is 404; 409 "
            "(`not_with_carrier`) while no parcel has reached a carrier.",
            _ok("OrderDetail"),
            errors=("401", "404", "409"),
            security=BEARER,
            parameters=(ORDER_ID,),
        )
    },
    "/api/v1/carrier-events": {
        "post": _operation(
            "A tracking event pushed by an express carrier (or its aggregator). Header "
            '`X-Carrier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + raw '
            "body, key CARRIER_WEBHOOK_SECRET>`, 300 s tolerance. Processed once per `id`; an "
            "unknown tracking number is acknowledged and ignored; `delivered` completes the "
            "parcel's fulfilment. 400 (nothing changes) on a bad or stale signature.",
            _ok("CarrierEventAck"),
            errors=("400", "415"),
            parameters=(
                {
                    "name": "X-Carrier-Signature",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string", "maxLength": 500},
                    "description": "t=<unix seconds>,v1=<hex HMAC-SHA256>.",
                },
            ),
            body="CarrierEventIn",
        )
    },
    "/api/v1/parcels/{code}/scans": {
        "post": _operation(
            "Scan a parcel at a station (its operators, or an administrator). Along the "
            "route: `received` then `departed` at the first station, `arrived` then "
            "`departed` at each between, `arrived` then `handed_over` at the last (with the "
            "pickup code, and exactly `amount_due_fen` in cash for cash orders); an express "
            "route ends at its county centre with `handed_to_carrier` (with `carrier` and "
            "`tracking_no`). 409 with a "
            "`reason` otherwise. After 5 wrong pickup codes within 15 minutes the parcel "
            "refuses every code for 15 minutes: 429 with reason `pickup_code_locked`, "
            "`locked_until` and a `Retry-After` header.",
            _ok("ParcelState", CREATED, "Created"),
            errors=(*WRITE_ERRORS, "404", "409", "429"),
            security=BEARER,
            parameters=(
                _path("code", "Parcel code.", {"type": "string", "minLength": 1, "maxLength": 40}),
            ),
            body="ScanRequest",
        )
    },
    "/api/v1/households": {
        "get": _operation(
            "Registered households: all for administrators, those of the townships of their "
            "cooperatives for cooperative managers. Names are masked.",
            _ok("HouseholdPage"),
            errors=("400", "401", "403"),
            security=BEARER,
            parameters=(TOWNSHIP_CODE, VILLAGE_ID, PAGE, PER_PAGE),
        )
    },
    "/api/v1/reports/household-income": {
        "get": _operation(
            "Income recognised for each household in a calendar year (China time): sales "
            "minus reversals, as in the household income report. Administrators only.",
            _ok("HouseholdIncomeReport"),
            errors=("400", "401", "403"),
            security=BEARER,
            parameters=(
                COUNTY_CODE,
                _query(
                    "year",
                    {"type": "integer", "minimum": 2000, "maximum": 2100},
                    "Calendar year; this year by default.",
                ),
                VILLAGE_ID,
            ),
        )
    },
    "/api/v1/openapi.json": {
        "get": _operation(
            "This document.",
            {"200": {"description": "OK", "content": {JSON: {"schema": {"type": "object"}}}}},
        )
    },
}
