"""JSON Schemas (OpenAPI 3.1 components) of every body the API sends or accepts.

Objects list every field the code writes and allow no others, so a field added to a
response without being documented here fails the schemathesis run.
"""

from ..catalog.services import UNITS

INT = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
BOOL = {"type": "boolean"}
DATE = {"type": ["string", "null"], "format": "date"}


def obj(properties: dict, nullable: bool = False) -> dict:
    """A closed object whose properties are all required."""
    return {
        "type": ["object", "null"] if nullable else "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def open_obj(properties: dict, required=()) -> dict:
    """A closed object of which only `required` properties must be present."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def nullable(schema: dict) -> dict:
    """`schema` or null."""
    kind = schema.get("type", "object")
    kinds = kind if isinstance(kind, list) else [kind]
    return {**schema, "type": [*kinds, "null"]}


def ref(name: str) -> dict:
    """A reference to another component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(item: str) -> dict:
    """One page of `item`s with its number, size and the total count."""
    return obj(
        {
            "items": {"type": "array", "items": ref(item)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": COUNT,
        }
    )


REGION = obj({"id": INT, "name": TEXT, "code": TEXT})
PLACE = obj({"code": TEXT, "name": TEXT})

PRODUCT_FIELDS = {
    "id": INT,
    "name": TEXT,
    "category": {"type": "string", "description": "Category code."},
    "category_name": TEXT,
    "unit": {"type": "string", "description": "Sale unit code, e.g. bag_1kg."},
    "unit_weight_g": {"type": "integer", "minimum": 1},
    "price_fen": COUNT,
    "available_qty": COUNT,
    "ovop": {"type": "boolean", "description": "A 'one village, one product' speciality."},
    "perishable": BOOL,
    "freight_template_id": {
        "type": ["integer", "null"],
        "description": "The cooperative's freight template it ships with; null: the default.",
    },
    "households_count": {
        "type": "integer",
        "minimum": 0,
        "description": "Registered poor households that supplied this product.",
    },
    "cooperative": obj({"id": INT, "name": TEXT}),
    "village": ref("Region"),
    "county": {**PLACE, "type": ["object", "null"]},
}

UNIT_CODES = list(UNITS)
PRODUCT_INPUT = {
    "name": {"type": "string", "minLength": 1, "maxLength": 100, "description": "Chinese name."},
    "name_en": nullable({"type": "string", "maxLength": 100}),
    "category": {"type": "string", "minLength": 1, "maxLength": 40, "description": "Code."},
    "unit": {"type": "string", "enum": UNIT_CODES},
    "unit_weight_g": nullable(
        {"type": "integer", "minimum": 1, "description": "Default: the unit's usual weight."}
    ),
    "price_fen": {"type": "integer", "minimum": 0},
    "description": nullable({"type": "string", "maxLength": 5000, "description": "Chinese."}),
    "description_en": nullable({"type": "string", "maxLength": 5000}),
    "ovop": BOOL,
    "perishable": BOOL,
}

SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {
            "error": {"type": "string", "description": "Machine-readable code, e.g. not_found."},
            "message": {"type": "string", "description": "Text for people, in their language."},
            "fields": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "For `invalid`: what is wrong with each field.",
            },
            "reason": {
                "type": "string",
                "description": "Why a parcel scan was refused: wrong_station, out_of_order, "
                "wrong_pickup_code, wrong_cash_amount, no_more_scans, not_ready_to_send, "
                "not_ready_for_pickup, not_your_station; pickup_code_locked (429).",
            },
            "locked_until": {
                "type": "string",
                "format": "date-time",
                "description": "For `pickup_code_locked`: when the parcel takes codes again.",
            },
            "retry_after": {
                "type": "integer",
                "description": "For `pickup_code_locked`: seconds to wait (also `Retry-After`).",
            },
            "lines": {
                "type": "array",
                "items": obj({"product_id": INT, "available_qty": COUNT}),
                "description": "For `insufficient_stock`: what is left of each short product.",
            },
            "order_id": {
                "type": "integer",
                "description": "For `checkout_cancelled`: the order, now cancelled.",
            },
            "from_status": TEXT,
            "to_status": TEXT,
        },
        "required": ["error", "message"],
    },
    "TokenRequest": obj(
        {
            "login": {
                "type": "string",
                "minLength": 1,
                "maxLength": 254,
                "description": "E-mail address or mainland mobile number.",
            },
            "password": {"type": "string", "minLength": 1, "maxLength": 128},
        }
    ),
    "User": obj(
        {
            "id": INT,
            "name": TEXT,
            "roles": {
                "type": "array",
                "items": {
                    "type": "string",
                    "enum": ["buyer", "cooperative_manager", "station_operator", "admin"],
                },
            },
        }
    ),
    "Token": obj(
        {
            "token": {"type": "string", "description": "Send as `Authorization: Bearer <token>`."},
            "token_type": {"const": "Bearer"},
            "expires_at": {"type": "string", "format": "date-time"},
            "user": ref("User"),
        }
    ),
    "Region": REGION,
    "ProductItem": obj(PRODUCT_FIELDS),
    "ProductPage": page_of("ProductItem"),
    "Lot": obj(
        {
            "id": INT,
            "code": TEXT,
            "grade": TEXT,
            "harvested_on": DATE,
            "received_on": {"type": "string", "format": "date"},
            "remaining_qty": {"type": "integer", "minimum": 1},
        }
    ),
    "ProductDetail": obj(
        {
            **PRODUCT_FIELDS,
            "cooperative": obj(
                {
                    "id": INT,
                    "name": TEXT,
                    "producer_share_bp": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": 10000,
                        "description": "Share of the goods value paid to producers, in 1/10000.",
                    },
                }
            ),
            "status": {"type": "string", "enum": ["draft", "active", "archived"]},
            "description": TEXT,
            "lots": {"type": "array", "items": ref("Lot"), "description": "Open lots."},
            "rating": ref("Rating"),
        }
    ),
    "ProductCreate": open_obj(
        {
            **PRODUCT_INPUT,
            "cooperative_id": {
                "type": "integer",
                "minimum": 1,
                "description": "Needed only by managers of several cooperatives.",
            },
        },
        required=("name", "category", "unit", "price_fen"),
    ),
    "ProductUpdate": open_obj(
        {**PRODUCT_INPUT, "status": {"type": "string", "enum": ["draft", "active", "archived"]}}
    ),
    "Station": obj(
        {
            "id": INT,
            "code": TEXT,
            "name": TEXT,
            "kind": {
                "type": "string",
                "enum": ["county_center", "township_station", "village_point"],
            },
            "region": PLACE,
            "address": NULLABLE_TEXT,
            "opening_hours": NULLABLE_TEXT,
            "cold_chain": BOOL,
        }
    ),
    "StationList": obj({"items": {"type": "array", "items": ref("Station")}}),
    "Household": obj(
        {
            "household_no": TEXT,
            "masked_name": TEXT,
            "members": {"type": "integer", "minimum": 1},
            "status": {"type": "string", "enum": ["not_exited", "exited", "fell_back"]},
            "village": ref("Region"),
        }
    ),
    "HouseholdPage": page_of("Household"),
    "HouseholdIncomeRow": obj(
        {
            "household_no": TEXT,
            "village": ref("Region"),
            "members": {"type": "integer", "minimum": 1},
            "income_fen": INT,
            "income_per_person_fen": INT,
        }
    ),
    "HouseholdIncomeReport": obj(
        {
            "year": INT,
            "rows": {"type": "array", "items": ref("HouseholdIncomeRow")},
            "total_fen": INT,
        }
    ),
}
