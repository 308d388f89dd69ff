"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

It describes exactly the routes the blueprint has (a test compares the two) and every
response body, so clients can be generated from it and schemathesis can fuzz against it.
"""

from .claim_docs import CLAIM_PATHS, CLAIM_SCHEMAS
from .delivery_schemas import DELIVERY_PATHS, DELIVERY_SCHEMAS
from .order_schemas import ORDER_SCHEMAS
from .paths import JSON, PATHS
from .schemas import SCHEMAS
from .station_sync import STATION_SYNC_PATHS, STATION_SYNC_SCHEMAS
from .views import bp

ERRORS = {
    "400": "The request is not valid (`invalid` names the failed fields in `fields`).",
    "401": "No valid bearer token (missing, unknown, revoked or expired).",
    "403": "The token's user may not do this (role, or not their cooperative or station).",
    "404": "No such resource, or not visible to this user.",
    "409": "The request conflicts with the current state (`reason`, `lines` say more).",
    "415": "The body is not JSON.",
    "429": "Too many attempts; wait and retry.",
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
        "paths": {**PATHS, **STATION_SYNC_PATHS, **DELIVERY_PATHS, **CLAIM_PATHS},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                **SCHEMAS,
                **ORDER_SCHEMAS,
                **STATION_SYNC_SCHEMAS,
                **DELIVERY_SCHEMAS,
                **CLAIM_SCHEMAS,
            },
            "responses": {
                f"Error{status}": {
                    "description": text,
                    "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                for status, text in ERRORS.items()
            },
        },
    }


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document of this API."""
    return document()
