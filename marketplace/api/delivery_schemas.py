"""OpenAPI schemas and paths of delivery to an address (divisions, addresses, freight
templates, shipping quotes); openapi.py adds them to the document."""

from .params import MAX_INT
from .paths import BEARER, CREATED, WRITE_ERRORS, _ok, _operation, _path, _query
from .schemas import BOOL, COUNT, INT, TEXT, nullable, obj, open_obj, ref

ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
CODE = {"type": "string", "maxLength": 12, "description": "GB/T 2260 code."}
CODES = {"type": "array", "items": {"type": "string"}}
NAME = {"type": ["string", "null"]}
ADDRESS_INPUT = {
    "recipient": {"type": "string", "minLength": 1, "maxLength": 50},
    "phone": {"type": "string", "maxLength": 20, "description": "Mainland mobile number."},
    "province_code": CODE,
    "city_code": CODE,
    "district_code": CODE,
    "street": {"type": "string", "minLength": 1, "maxLength": 200},
}
PRICES = {
    "first_weight_g": {"type": "integer", "minimum": 1},
    "first_fen": COUNT,
    "step_weight_g": {"type": "integer", "minimum": 1},
    "step_fen": COUNT,
}
LINES = {
    "type": "array",
    "items": ref("OrderLineInput"),
    "minItems": 1,
    "maxItems": 100,
}

DELIVERY_SCHEMAS = {
    "Division": obj(
        {
            "code": TEXT,
            "name": TEXT,
            "name_en": NAME,
            "level": {"type": "string", "enum": ["province", "city", "district"]},
        }
    ),
    "DivisionList": obj({"items": {"type": "array", "items": ref("Division")}}),
    "AddressInput": open_obj(
        {**ADDRESS_INPUT, "is_default": BOOL},
        required=tuple(ADDRESS_INPUT),
    ),
    "AddressUpdate": open_obj({**ADDRESS_INPUT, "is_default": BOOL}),
    "Address": obj(
        {
            "id": INT,
            **{k: TEXT for k in ADDRESS_INPUT},
            "phone_masked": TEXT,
            "province_name": NAME,
            "city_name": NAME,
            "district_name": NAME,
            "is_default": BOOL,
        }
    ),
    "AddressList": obj({"items": {"type": "array", "items": ref("Address")}}),
    "ShipAddress": obj(
        {
            "recipient": TEXT,
            "phone": {"type": "string", "description": "Masked unless the caller is the buyer."},
            "province_code": TEXT,
            "province_name": TEXT,
            "city_code": TEXT,
            "city_name": TEXT,
            "district_code": TEXT,
            "district_name": TEXT,
            "street": TEXT,
        }
    ),
    "FreightRegion": obj({"province_codes": CODES, **PRICES}),
    "FreightTemplate": obj(
        {
            "id": INT,
            "name": TEXT,
            "cold_chain": BOOL,
            "is_default": BOOL,
            **PRICES,
            "regions": {"type": "array", "items": ref("FreightRegion")},
            "free_over_fen": {"type": ["integer", "null"], "minimum": 0},
            "free_province_codes": nullable(CODES),
            "not_delivered_province_codes": CODES,
        }
    ),
    "FreightTemplateList": obj({"items": {"type": "array", "items": ref("FreightTemplate")}}),
    "ShippingQuoteRequest": open_obj(
        {"lines": LINES, "address_id": ID, "address": ref("AddressInput")},
        required=("lines",),
    ),
    "ShippingQuote": obj(
        {
            "shipping_fen": COUNT,
            "province_code": TEXT,
            "fulfilments": {
                "type": "array",
                "items": obj(
                    {
                        "cooperative_id": INT,
                        "weight_g": COUNT,
                        "goods_fen": COUNT,
                        "shipping_fen": COUNT,
                    }
                ),
            },
        }
    ),
}

ADDRESS_ID = _path("address_id", "Address id.")
DELIVERY_PATHS = {
    "/api/v1/divisions": {
        "get": _operation(
            "China's administrative divisions (GB/T 2260): no parent, the 31 provincial "
            "units; a province, its cities; a city, its districts.",
            _ok("DivisionList"),
            errors=("400",),
            parameters=(_query("parent", {"type": "string", "maxLength": 12}, "Parent code."),),
        )
    },
    "/api/v1/addresses": {
        "get": _operation(
            "The caller's address book, the default first.",
            _ok("AddressList"),
            errors=("401",),
            security=BEARER,
        ),
        "post": _operation(
            "Add an address; 400 with `fields` when a code is unknown or not inside its "
            "parent, or the phone is not a mainland mobile number.",
            _ok("Address", CREATED, "Created"),
            errors=("400", "401", "415"),
            security=BEARER,
            body="AddressInput",
        ),
    },
    "/api/v1/addresses/{address_id}": {
        "patch": _operation(
            "Change one's own address (another buyer's is 404).",
            _ok("Address"),
            errors=("400", "401", "404", "415"),
            security=BEARER,
            parameters=(ADDRESS_ID,),
            body="AddressUpdate",
        ),
        "delete": _operation(
            "Delete one's own address; orders keep their copy.",
            {"204": {"description": "Deleted"}},
            errors=("401", "404"),
            security=BEARER,
            parameters=(ADDRESS_ID,),
        ),
    },
    "/api/v1/cooperatives/{cooperative_id}/freight-templates": {
        "get": _operation(
            "A cooperative's freight templates (运费模板).",
            _ok("FreightTemplateList"),
            errors=("404",),
            parameters=(_path("cooperative_id", "Cooperative id."),),
        )
    },
    "/api/v1/shipping-quotes": {
        "post": _operation(
            "The shipping fee of lines to one of the caller's addresses (or an inline one), "
            "per cooperative. 409 `not_delivered` lists the lines that cannot go there.",
            _ok("ShippingQuote"),
            errors=(*WRITE_ERRORS, "409"),
            security=BEARER,
            body="ShippingQuoteRequest",
        )
    },
}
