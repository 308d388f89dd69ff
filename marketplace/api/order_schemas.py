"""JSON Schemas of the lots, orders and parcels the API sends and accepts (see schemas.py
for the shared building blocks; openapi.py puts both sets in the document)."""

from ..catalog.lots import GRADES
from ..logistics.carriers import CARRIERS
from ..logistics.models import CarrierEventStatus, ParcelStatus, ScanAction, StationKind
from ..orders.models import Delivery, FulfilmentStatus, OrderStatus, PaymentMethod
from .params import MAX_INT
from .schemas import (
    BOOL,
    COUNT,
    DATE,
    INT,
    NULLABLE_TEXT,
    TEXT,
    nullable,
    obj,
    open_obj,
    page_of,
    ref,
)

ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
TIMESTAMP = {"type": "string", "format": "date-time"}
NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}


# An express carrier's code, or null before the hand-over (and for pickup parcels).
NULLABLE_CARRIER = {"type": ["string", "null"], "enum": [*CARRIERS, None]}


def enum(values) -> dict:
    """A string that is one of `values` (enum members or plain strings)."""
    return {"type": "string", "enum": [str(v) for v in values]}


ORDER_FIELDS = {
    "id": INT,
    "reference": {"type": "string", "description": "LX-<local date>-<number>."},
    "status": enum(OrderStatus),
    "payment_method": enum(PaymentMethod),
    "total_fen": COUNT,
    "pickup_station_id": {"type": ["integer", "null"], "description": "Null for express."},
    "delivery": enum(Delivery),
    "created_at": TIMESTAMP,
}

ORDER = {
    **ORDER_FIELDS,
    "goods_fen": COUNT,
    "shipping_fen": COUNT,
    "address": {"anyOf": [ref("ShipAddress"), {"type": "null"}]},
    "lines": {"type": "array", "items": ref("OrderLine")},
    "fulfilments": {"type": "array", "items": ref("Fulfilment")},
    "payment": ref("Payment"),
}

ORDER_SCHEMAS = {
    "ContributionInput": open_obj(
        {
            "household_no": {
                "type": "string",
                "maxLength": 30,
                "description": "A registered household of the cooperative's township...",
            },
            "supplier_name": {
                "type": "string",
                "maxLength": 100,
                "description": "...or another supplier (exactly one of the two).",
            },
            "quantity": {"type": "integer", "minimum": 1, "maximum": MAX_INT},
        },
        required=("quantity",),
    ),
    "LotCreate": open_obj(
        {
            "product_id": ID,
            "quantity": {"type": "integer", "minimum": 1, "maximum": MAX_INT},
            "grade": enum(GRADES),
            "harvested_on": DATE,
            "received_on": {"type": "string", "format": "date"},
            "contributions": {
                "type": "array",
                "items": ref("ContributionInput"),
                "minItems": 1,
                "maxItems": 200,
                "description": "Their quantities add up to the lot's.",
            },
            "note": nullable({"type": "string", "maxLength": 500}),
        },
        required=("product_id", "quantity", "grade", "received_on", "contributions"),
    ),
    "Contribution": obj(
        {
            "household_no": NULLABLE_TEXT,
            "masked_name": {**NULLABLE_TEXT, "description": "The household head, masked."},
            "supplier_name": NULLABLE_TEXT,
            "quantity": {"type": "integer", "minimum": 1},
        }
    ),
    "LotDetail": obj(
        {
            "id": INT,
            "code": {"type": "string", "description": "e.g. YJ-20261129-0001."},
            "grade": TEXT,
            "harvested_on": DATE,
            "received_on": {"type": "string", "format": "date"},
            "remaining_qty": COUNT,
            "product_id": INT,
            "quantity": {"type": "integer", "minimum": 1},
            "void": BOOL,
            "contributions": {"type": "array", "items": ref("Contribution")},
        }
    ),
    "OrderLineInput": open_obj(
        {"product_id": ID, "quantity": {"type": "integer", "minimum": 1, "maximum": MAX_INT}},
        required=("product_id", "quantity"),
    ),
    "OrderCreate": open_obj(
        {
            "lines": {
                "type": "array",
                "items": ref("OrderLineInput"),
                "minItems": 1,
                "maxItems": 100,
            },
            "pickup_station_id": {**ID, "description": "An active village point (pickup)."},
            "payment_method": enum(PaymentMethod),
            "delivery": {
                **enum(Delivery),
                "description": "pickup (default) or express to `address_id` / `address`; "
                "express is paid with stripe only.",
            },
            "address_id": {**ID, "description": "One of the caller's addresses (express)."},
            "address": ref("AddressInput"),
        },
        required=("lines", "payment_method"),
    ),
    "CancelRequest": open_obj({"reason": nullable({"type": "string", "maxLength": 500})}),
    "OrderLine": obj(
        {
            "id": INT,
            "product_id": INT,
            "fulfilment_id": INT,
            "name": {"type": "string", "description": "The product's name when ordered."},
            "unit": TEXT,
            "quantity": {"type": "integer", "minimum": 1},
            "unit_price_fen": COUNT,
            "line_fen": COUNT,
        }
    ),
    "RouteStop": obj({"station_id": INT, "kind": enum(StationKind), "name": TEXT}),
    "Fulfilment": open_obj(
        {
            "id": INT,
            "cooperative_id": INT,
            "cooperative_name": TEXT,
            "status": enum(FulfilmentStatus),
            "goods_fen": COUNT,
            "shipping_fen": COUNT,
            "delivery": enum(Delivery),
            "amount_due_fen": {**COUNT, "description": "Cash to pay at pickup; 0 once paid."},
            "parcel_code": NULLABLE_TEXT,
            "parcel_status": nullable(enum(ParcelStatus)),
            "route": {"type": "array", "items": ref("RouteStop")},
            "eta": NULLABLE_TIMESTAMP,
            "pickup_code": {
                "type": "string",
                "description": "Shown to the buyer only; the pickup point asks for it.",
            },
            "carrier": {
                **NULLABLE_CARRIER,
                "description": "The express carrier the county centre handed the parcel to.",
            },
            "carrier_name": NULLABLE_TEXT,
            "tracking_no": NULLABLE_TEXT,
            "handed_to_carrier_at": NULLABLE_TIMESTAMP,
            "carrier_events": {
                "type": "array",
                "items": ref("CarrierEvent"),
                "description": "What the carrier reported, oldest first.",
            },
        },
        required=(
            "id",
            "cooperative_id",
            "cooperative_name",
            "status",
            "goods_fen",
            "amount_due_fen",
            "parcel_code",
            "parcel_status",
            "route",
            "eta",
            "carrier",
            "tracking_no",
            "carrier_events",
        ),
    ),
    "CarrierEvent": obj(
        {
            "status": enum(CarrierEventStatus),
            "at": TIMESTAMP,
            "location": NULLABLE_TEXT,
        }
    ),
    "CarrierEventIn": open_obj(
        {
            "id": {"type": "string", "minLength": 1, "maxLength": 100},
            "carrier": {"type": "string", "minLength": 1, "maxLength": 20},
            "tracking_no": {"type": "string", "minLength": 1, "maxLength": 40},
            "status": enum(CarrierEventStatus),
            "at": {**TIMESTAMP, "description": "ISO 8601 with its offset."},
            "location": nullable({"type": "string", "maxLength": 200}),
        },
        required=("id", "carrier", "tracking_no", "status", "at"),
    ),
    "CarrierEventAck": obj({"received": BOOL, "outcome": TEXT}),
    "Payment": obj(
        {
            "method": enum(PaymentMethod),
            "status": enum(["unpaid", "partly_paid", "paid"]),
            "amount_due_fen": COUNT,
            "checkout_url": {
                **NULLABLE_TEXT,
                "description": "Stripe Checkout page, while an online order awaits payment.",
            },
        }
    ),
    "Event": obj(
        {
            "subject": enum(["order", "fulfilment", "parcel"]),
            "subject_id": INT,
            "from_status": NULLABLE_TEXT,
            "to_status": TEXT,
            "note": NULLABLE_TEXT,
            "at": TIMESTAMP,
        }
    ),
    "OrderSummary": obj(ORDER_FIELDS),
    "OrderPage": page_of("OrderSummary"),
    "Order": obj(ORDER),
    "OrderDetail": obj(
        {
            **ORDER,
            "events": {"type": "array", "items": ref("Event"), "description": "Oldest first."},
        }
    ),
    "ScanRequest": open_obj(
        {
            "station_id": ID,
            "action": enum(ScanAction),
            "pickup_code": nullable({"type": "string", "maxLength": 20}),
            "cash_received_fen": nullable({"type": "integer", "minimum": 0, "maximum": MAX_INT}),
            "carrier": {
                **enum(CARRIERS),
                "description": "With `handed_to_carrier` (required then).",
            },
            "tracking_no": {
                "type": "string",
                "pattern": "^[A-Za-z0-9 ]{8,40}$",
                "description": "With `handed_to_carrier`: 8 to 32 letters and digits.",
            },
        },
        required=("station_id", "action"),
    ),
    "ParcelState": obj(
        {
            "code": TEXT,
            "status": enum(ParcelStatus),
            "current_station_id": {"type": ["integer", "null"]},
            "route": {"type": "array", "items": ref("RouteStop")},
            "eta": NULLABLE_TIMESTAMP,
            "next_scan": nullable(obj({"station_id": INT, "action": enum(ScanAction)})),
            "carrier": NULLABLE_CARRIER,
            "tracking_no": NULLABLE_TEXT,
            "fulfilment": obj(
                {"id": INT, "status": enum(FulfilmentStatus), "amount_due_fen": COUNT}
            ),
            "scan": obj({"station_id": INT, "action": enum(ScanAction), "at": TIMESTAMP}),
        }
    ),
}
