"""The station app's API: the parcels a station expects (synced to the phone) and the scans
the phone recorded offline, sent in batches (logistics/offline.py applies them).

Unlike the rest of the API these two also accept the logged-in session cookie, because the
station app is a page of this site. A POST so authenticated must carry the page's CSRF token
in the `X-CSRFToken` header, as the site's forms do, so another site cannot post scans
through an operator's browser; a bearer token is used as everywhere else.
"""

import re
import uuid
from datetime import UTC, datetime

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import Role
from ..clock import utcnow
from ..extensions import csrf, db
from ..households.services import mask_name
from ..logistics.models import ScanAction, Station
from ..logistics.network import operates
from ..logistics.offline import (
    MAX_BATCH,
    ScanRequest,
    apply_batch,
    expected_at,
    pickup_check,
)
from .auth import current_api_user
from .errors import ApiError, Invalid
from .params import int_field, json_body, list_field, only_fields, text_field
from .paths import BEARER, ID, JSON, _operation, _path, _ref
from .serializers import _stations, iso_datetime, parcel_json, route_json
from .views import bp

SCAN_FIELDS = (
    "client_id",
    "parcel_code",
    "station_id",
    "action",
    "scanned_at",
    "pickup_code",
    "cash_received_fen",
    "carrier",
    "tracking_no",
)
PARCEL_CODE_RE = re.compile(r"[A-Za-z0-9 ]{1,40}")
ACTIONS = [a.value for a in ScanAction]


def station_app_user():
    """The bearer token's user, else the session's (a POST then needs the CSRF header);
    401 without either, 403 unless a station operator or an administrator."""
    user = current_api_user()
    if user is None and "Authorization" not in request.headers and current_user.is_authenticated:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # only unsafe methods are checked; 400 without the header
        user = current_user._get_current_object()
    if user is None:
        raise ApiError(401)
    if not user.has_role(Role.station_operator, Role.admin):
        raise ApiError(403)
    return user


@bp.get("/stations/<int:station_id>/expected")
def station_expected(station_id: int):
    """What the station app keeps for working offline: the station's parcels for today and
    tomorrow, each with its next scan here and, at the pickup point, a pickup check."""
    user = station_app_user()
    station = db.session.get(Station, station_id)
    if station is None:
        raise ApiError(404)
    if not operates(user, station):
        raise ApiError(403)
    now = utcnow()
    expected = expected_at(station, now)
    stations = _stations([e.parcel for e in expected])
    parcels = []
    for entry in expected:
        parcel, fulfilment = entry.parcel, entry.parcel.fulfilment
        parcels.append(
            {
                "parcel_code": parcel.code,
                "status": str(parcel.status),
                "next_action": str(entry.actions[0]),
                "later_actions": [str(a) for a in entry.actions[1:]],
                "route": route_json(parcel, stations),
                "amount_due_fen": fulfilment.amount_due_fen,
                "buyer_masked_name": mask_name(fulfilment.order.buyer.name),
                "pickup_check": pickup_check(parcel.pickup_code) if entry.pickup_here else None,
            }
        )
    return {"synced_at": iso_datetime(now), "station_id": station.id, "parcels": parcels}


@bp.post("/scans/batch")
def scans_batch():
    """Apply the scans a station app recorded (in the order they were scanned); each comes
    back applied, duplicate (applied before) or refused with its reason."""
    user = station_app_user()
    body = json_body()
    only_fields(body, ("scans",))
    items = list_field(body, "scans", MAX_BATCH)
    scans = [_scan_request(index, item) for index, item in enumerate(items)]
    outcomes = apply_batch(scans, user)
    visible = {s.station_id for s in scans if _operates(user, s.station_id)}
    results = []
    for one, outcome in zip(scans, outcomes, strict=True):
        shown = outcome.parcel is not None and one.station_id in visible
        results.append(
            {
                "client_id": outcome.client_id,
                "status": outcome.status,
                "reason": outcome.reason,
                "message": outcome.message,
                "advice": outcome.advice,
                "parcel": parcel_json(outcome.parcel) if shown else None,
            }
        )
    return {"results": results}


def _operates(user, station_id: int) -> bool:
    station = db.session.get(Station, station_id)
    return station is not None and operates(user, station)


def _scan_request(index: int, item: dict) -> ScanRequest:
    """One scan of the batch, checked field by field (400 naming `scans[i].field`)."""
    try:
        only_fields(item, SCAN_FIELDS)
        client_id = text_field(item, "client_id", 36)
        try:
            client_id = str(uuid.UUID(client_id))
        except ValueError:
            raise Invalid({"client_id": _l("Must be a UUID.")}) from None
        code = text_field(item, "parcel_code", 40)
        if not PARCEL_CODE_RE.fullmatch(code):
            raise Invalid({"parcel_code": _l("Letters and digits only.")})
        action = item.get("action")
        if action not in ACTIONS:
            raise Invalid(
                {"action": _l("Must be one of: %(choices)s.", choices=", ".join(ACTIONS))}
            )
        return ScanRequest(
            client_id=client_id,
            parcel_code=code,
            station_id=int_field(item, "station_id", minimum=1),
            action=ScanAction(action),
            scanned_at=_device_time(item),
            pickup_code=text_field(item, "pickup_code", 20, required=False),
            cash_received_fen=int_field(item, "cash_received_fen", required=False),
            carrier=text_field(item, "carrier", 50, required=False),
            tracking_no=text_field(item, "tracking_no", 50, required=False),
        )
    except Invalid as invalid:
        fields = invalid.extra["fields"]
        raise Invalid(
            {f"scans[{index}].{name}": reason for name, reason in fields.items()}
        ) from None


def _device_time(item: dict) -> datetime:
    """`scanned_at` (RFC 3339; without an offset, UTC) as naive UTC."""
    value = item.get("scanned_at")
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        if not 2000 <= moment.year <= 2100:
            raise ValueError
    except ValueError:
        raise Invalid({"scanned_at": _l("Must be a date and time (RFC 3339).")}) from None
    return moment


# -- the OpenAPI description of these two operations (openapi.py adds them) ---------------

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_ACTION = {"type": "string", "enum": ACTIONS}

STATION_SYNC_SCHEMAS = {
    "PickupCheck": {
        "type": "object",
        "description": "PBKDF2-SHA256 of the pickup code with `salt` (base64) and "
        "`iterations`; `prefix` is the first `bits` bits of it in hex. A phone checks a "
        "typed code against it; it cannot tell which of many codes is the right one.",
        "properties": {
            "alg": {"const": "PBKDF2-SHA256"},
            "iterations": {"type": "integer"},
            "salt": _STRING,
            "bits": {"type": "integer"},
            "prefix": _STRING,
        },
        "required": ["alg", "iterations", "salt", "bits", "prefix"],
    },
    "ExpectedParcels": {
        "type": "object",
        "properties": {
            "synced_at": {"type": "string", "format": "date-time"},
            "station_id": {"type": "integer"},
            "parcels": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "parcel_code": _STRING,
                        "status": _STRING,
                        "next_action": _ACTION,
                        "later_actions": {"type": "array", "items": _ACTION},
                        "route": {"type": "array", "items": {"type": "object"}},
                        "amount_due_fen": {"type": "integer"},
                        "buyer_masked_name": _STRING,
                        "pickup_check": {"oneOf": [{"type": "null"}, _ref("PickupCheck")]},
                    },
                    "required": [
                        "parcel_code",
                        "next_action",
                        "route",
                        "amount_due_fen",
                        "buyer_masked_name",
                        "pickup_check",
                    ],
                },
            },
        },
        "required": ["synced_at", "parcels"],
    },
    "ScanBatch": {
        "type": "object",
        "properties": {
            "scans": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_BATCH,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "client_id": {"type": "string", "format": "uuid"},
                        "parcel_code": {"type": "string", "pattern": "^[A-Za-z0-9 ]{1,40}$"},
                        "station_id": ID,
                        "action": _ACTION,
                        "scanned_at": {"type": "string", "format": "date-time"},
                        "pickup_code": {**_NULLABLE_STRING, "maxLength": 20},
                        "cash_received_fen": {"type": ["integer", "null"], "minimum": 0},
                        "carrier": {**_NULLABLE_STRING, "maxLength": 50},
                        "tracking_no": {**_NULLABLE_STRING, "maxLength": 50},
                    },
                    "required": ["client_id", "parcel_code", "station_id", "action", "scanned_at"],
                },
            }
        },
        "required": ["scans"],
        "additionalProperties": False,
    },
    "ScanBatchResults": {
        "type": "object",
        "properties": {
            "results": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "client_id": _STRING,
                        "status": {"type": "string", "enum": ["applied", "duplicate", "refused"]},
                        "reason": _NULLABLE_STRING,
                        "message": _NULLABLE_STRING,
                        "advice": _NULLABLE_STRING,
                        "parcel": {
                            "type": ["object", "null"],
                            "description": "The parcel now, as in ParcelState (without "
                            "`scan`); null when refused before the parcel was found, or at a "
                            "station the caller does not operate.",
                            "required": ["code", "status", "next_scan", "fulfilment"],
                        },
                    },
                    "required": ["client_id", "status", "reason", "parcel"],
                },
            }
        },
        "required": ["results"],
    },
}

STATION_SYNC_PATHS = {
    "/api/v1/stations/{station_id}/expected": {
        "get": _operation(
            "The parcels a station expects today and tomorrow (its operators, or an "
            "administrator), for the station app to work offline: each parcel's next scan "
            "here and the ones after it, the cash due and, at the pickup point, a check of "
            "the pickup code. The station app may call it with its session cookie.",
            {"200": {"description": "OK", "content": {JSON: {"schema": _ref("ExpectedParcels")}}}},
            errors=("400", "401", "403", "404"),
            security=BEARER,
            parameters=(_path("station_id", "Station id."),),
        )
    },
    "/api/v1/scans/batch": {
        "post": _operation(
            "Apply scans recorded by the station app, each once (by its `client_id`), scans "
            "of one parcel in `scanned_at` order; one refusal does not undo the others. With "
            "the session cookie, the `X-CSRFToken` header is required.",
            {"200": {"description": "OK", "content": {JSON: {"schema": _ref("ScanBatchResults")}}}},
            errors=("400", "401", "403", "415"),
            security=BEARER,
            body="ScanBatch",
        )
    },
}
