"""The OpenAPI operations and schemas of claims and reviews (merged into the document by
openapi.py), kept apart from paths.py so the sale's and the after-sale's grow separately."""

from ..claims.models import ClaimDecision, ClaimReason, ClaimRemedy, ClaimStatus
from ..claims.services import MAX_DESCRIPTION, MAX_NOTE
from .params import MAX_INT
from .paths import BEARER, CREATED, WRITE_ERRORS, _ok, _operation, _path, _query
from .schemas import COUNT, INT, NULLABLE_TEXT, TEXT, nullable, obj, open_obj, ref

ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
TIMESTAMP = {"type": "string", "format": "date-time"}
NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}


def enum(values) -> dict:
    return {"type": "string", "enum": [str(v.value if hasattr(v, "value") else v) for v in values]}


CLAIM_FIELDS = {
    "id": INT,
    "status": enum(ClaimStatus),
    "fulfilment_id": INT,
    "order_id": INT,
    "cooperative_id": INT,
    "reason": enum(ClaimReason),
    "remedy": enum(ClaimRemedy),
    "description": TEXT,
    "lines": {"type": "array", "items": ref("ClaimLine")},
    "refundable_fen": {**COUNT, "description": "The most a decision may refund now."},
    "offer_fen": COUNT,
    "refund_fen": COUNT,
    "opened_at": TIMESTAMP,
    "answered_at": NULLABLE_TIMESTAMP,
    "decided_at": NULLABLE_TIMESTAMP,
    "decided_by_id": {"type": ["integer", "null"]},
    "resend_fulfilment_id": {"type": ["integer", "null"]},
    "photos": COUNT,
}

CLAIM_SCHEMAS = {
    "ClaimLine": obj(
        {
            "order_line_id": INT,
            "quantity": {"type": "integer", "minimum": 1},
            "unit_price_fen": COUNT,
        }
    ),
    "ClaimLineInput": open_obj(
        {"order_line_id": ID, "quantity": {"type": "integer", "minimum": 1, "maximum": 999}},
        required=("order_line_id", "quantity"),
    ),
    "ClaimCreate": open_obj(
        {
            "lines": {
                "type": "array",
                "items": ref("ClaimLineInput"),
                "minItems": 1,
                "maxItems": 100,
            },
            "reason": enum(ClaimReason),
            "description": nullable({"type": "string", "maxLength": MAX_DESCRIPTION}),
            "remedy": enum(ClaimRemedy),
        },
        required=("lines", "reason"),
    ),
    "ClaimDecisionRequest": open_obj(
        {
            "decision": enum(ClaimDecision),
            "refund_fen": nullable({"type": "integer", "minimum": 0, "maximum": MAX_INT}),
            "note": nullable({"type": "string", "maxLength": MAX_NOTE}),
        },
        required=("decision",),
    ),
    "Claim": obj(CLAIM_FIELDS),
    "ClaimList": obj({"items": {"type": "array", "items": ref("Claim")}}),
    "ClaimDetail": obj(
        {
            **CLAIM_FIELDS,
            "messages": {
                "type": "array",
                "items": obj(
                    {
                        "author_role": enum(["buyer", "cooperative", "admin", "system"]),
                        "body": TEXT,
                        "decision": nullable(enum(ClaimDecision)),
                        "amount_fen": {"type": ["integer", "null"]},
                        "at": TIMESTAMP,
                    }
                ),
            },
            "refunds": {
                "type": "array",
                "items": obj(
                    {"id": INT, "amount_fen": COUNT, "status": TEXT, "created_at": TIMESTAMP}
                ),
            },
        }
    ),
    "ReviewRequest": open_obj(
        {
            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
            "comment": nullable({"type": "string", "maxLength": 1000}),
        },
        required=("rating",),
    ),
    "Review": obj(
        {
            "id": INT,
            "order_line_id": INT,
            "product_id": INT,
            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
            "comment": NULLABLE_TEXT,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "hidden": {"type": "boolean"},
        }
    ),
    "Rating": obj(
        {
            "average": {"type": ["number", "null"], "minimum": 1, "maximum": 5},
            "count": COUNT,
        }
    ),
}

CLAIM_ID = _path("claim_id", "Claim id.")
PHOTOS_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "photos": {
                        "type": "array",
                        "items": {"type": "string", "contentEncoding": "binary"},
                        "maxItems": 3,
                    }
                },
                "required": ["photos"],
            }
        }
    },
}


def _photos_operation() -> dict:
    operation = _operation(
        "The buyer adds photos to a claim (multipart field `photos`; JPEG, PNG or WebP, at "
        "most 5 MB each, 3 a claim), checked as product photos are.",
        _ok("ClaimDetail", CREATED, "Created"),
        errors=("400", "401", "404"),
        security=BEARER,
        parameters=(CLAIM_ID,),
    )
    operation["requestBody"] = PHOTOS_BODY
    return operation


CLAIM_PATHS = {
    "/api/v1/fulfilments/{fulfilment_id}/claims": {
        "post": _operation(
            "The buyer claims units of a delivered fulfilment within CLAIM_DAYS of delivery "
            "(fewer for perishable goods). 409 `claim_window_closed`, `claim_open` (one "
            "waiting claim per fulfilment) or `not_delivered`; another buyer's fulfilment "
            "is 404.",
            _ok("ClaimDetail", CREATED, "Created"),
            errors=(*WRITE_ERRORS, "404", "409"),
            security=BEARER,
            parameters=(_path("fulfilment_id", "Fulfilment id."),),
            body="ClaimCreate",
        )
    },
    "/api/v1/claims/{claim_id}/photos": {"post": _photos_operation()},
    "/api/v1/claims/{claim_id}/decision": {
        "post": _operation(
            "Decide a claim: `accept` (refunds `refund_fen`, by default all that is "
            "refundable, through the order's payment; a resend for a resend claim), "
            "`partial` (an offer the buyer accepts or disputes; final from an "
            "administrator) or `reject` (with a `note`). The cooperative's managers while "
            "open, administrators while escalated or disputed. 400 when `refund_fen` is "
            "above what is refundable; 409 once decided.",
            _ok("ClaimDetail"),
            errors=(*WRITE_ERRORS, "404", "409"),
            security=BEARER,
            parameters=(CLAIM_ID,),
            body="ClaimDecisionRequest",
        )
    },
    "/api/v1/claims/{claim_id}": {
        "get": _operation(
            "One claim with its messages and refunds: its buyer, the cooperative's "
            "managers and administrators; 404 to anyone else.",
            _ok("ClaimDetail"),
            errors=("401", "404"),
            security=BEARER,
            parameters=(CLAIM_ID,),
        )
    },
    "/api/v1/claims": {
        "get": _operation(
            "Claims: a manager's cooperatives', all for an administrator, a buyer's own; "
            "newest first (at most 200).",
            _ok("ClaimList"),
            errors=("400", "401"),
            security=BEARER,
            parameters=(_query("status", enum(ClaimStatus), "Only claims in this status."),),
        )
    },
    "/api/v1/order-lines/{line_id}/review": {
        "post": _operation(
            "The buyer who received an order line rates it 1-5 with an optional comment: "
            "201 the first time, 200 for an edit (within 30 days). Another buyer's line is "
            "404; a line not yet delivered 409.",
            {
                **_ok("Review", CREATED, "Created"),
                **_ok("Review"),
            },
            errors=(*WRITE_ERRORS, "404", "409"),
            security=BEARER,
            parameters=(_path("line_id", "Order line id."),),
            body="ReviewRequest",
        )
    },
}
