"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

It describes exactly the routes the blueprint has (a test compares the two) and every
response body, so clients can be generated from it and schemathesis can fuzz against it.
"""

from ..logistics.models import StationKind
from .params import DEFAULT_PER_PAGE, MAX_INT, MAX_PER_PAGE
from .schemas import SCHEMAS
from .views import bp

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


def _id_path(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
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

ERRORS = {
    "400": "The request is not valid (`invalid` names the failed fields in `fields`).",
    "401": "No valid bearer token (missing, unknown, revoked or expired).",
    "403": "The token's user does not hold the role this needs.",
    "404": "No such resource, or not visible to this user.",
    "415": "The body is not JSON.",
    "429": "Too many attempts; wait and retry.",
}


def _operation(summary, ok: dict, errors=(), security=PUBLIC, parameters=(), body=None):
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
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": _ref(body)}}}
    return operation


def _ok(schema: str, status: str = "200", description: str = "OK") -> dict:
    return {status: {"description": description, "content": {JSON: {"schema": _ref(schema)}}}}


PATHS = {
    "/api/v1/tokens": {
        "post": _operation(
            "Exchange an e-mail address or mobile number and a password for a bearer token.",
            _ok("Token", "201", "Created"),
            errors=("400", "401", "415", "429"),
            body="TokenRequest",
        )
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
            "Active products, newest first.",
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
        )
    },
    "/api/v1/products/{product_id}": {
        "get": _operation(
            "One product with its cooperative's producer share and its open lots.",
            _ok("ProductDetail"),
            errors=("401", "404"),
            security=OPTIONAL_BEARER,
            parameters=(_id_path("product_id", "Product id."),),
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
            "minus reversals. Administrators only.",
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


def document() -> dict:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Linxia Marketplace API",
            "version": "1.0.0",
            "description": (
                "Farm produce of Linxia's cooperatives, the station network, and the income "
                "sales bring registered poor households. Money is in fen (integers). "
                "Names are in the language of Accept-Language (zh or en)."
            ),
        },
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "responses": {
                f"Error{status}": {
                    "description": text,
                    "content": {JSON: {"schema": _ref("Error")}},
                }
                for status, text in ERRORS.items()
            },
        },
    }


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document of this API."""
    return document()
