"""Parcels: station operators scan them along their route, and the pickup point hands them
over with the buyer's pickup code (taking the cash due on cash orders)."""

import re

from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from ..extensions import db
from ..logistics import services as logistics
from ..logistics.carriers import CARRIERS, normalise_tracking_no, valid_tracking_no
from ..logistics.models import ScanAction, Station
from ..logistics.scans import PickupRefused, record_scan
from ..transaction import after_commit
from .auth import current_api_user, roles_required
from .errors import ApiError, Invalid
from .params import choice_field, int_field, json_body, only_fields, text_field
from .serializers import iso_datetime, parcel_json
from .views import bp

# Parcel codes are letters and digits; operators may type spaces between groups.
PARCEL_CODE_RE = re.compile(r"[A-Za-z0-9 ]{1,40}")


@bp.post("/parcels/<code>/scans")
@roles_required(Role.station_operator, Role.admin)
def scan_parcel(code: str):
    """Record one scan of a parcel at a station (operators of that station, admins); 201."""
    parcel = logistics.find_parcel(code) if PARCEL_CODE_RE.fullmatch(code) else None
    if parcel is None:
        raise ApiError(404)
    body = json_body()
    only_fields(
        body,
        ("station_id", "action", "pickup_code", "cash_received_fen", "carrier", "tracking_no"),
    )
    station = db.session.get(Station, int_field(body, "station_id", minimum=1))
    if station is None:
        raise Invalid({"station_id": _l("There is no such station.")})
    action = choice_field(body, "action", [a.value for a in ScanAction])
    carrier = tracking_no = None
    if action == ScanAction.handed_to_carrier:
        carrier = choice_field(body, "carrier", list(CARRIERS))
        tracking_no = normalise_tracking_no(text_field(body, "tracking_no", 40))
        if not valid_tracking_no(tracking_no):
            raise Invalid({"tracking_no": _l("A tracking number is 8 to 32 letters and digits.")})
    try:
        scan = record_scan(
            parcel,
            station,
            action,
            current_api_user(),
            pickup_code=text_field(body, "pickup_code", 20, required=False),
            cash_received_fen=int_field(body, "cash_received_fen", required=False),
            carrier=carrier,
            tracking_no=tracking_no,
        )
    except PickupRefused as refused:
        # Answered once the wrong try is committed (409, or 429 "pickup_code_locked").
        refusal = refused.refusal
        return after_commit(lambda: _refuse(refusal))
    return {
        **parcel_json(scan.parcel),
        "scan": {
            "station_id": scan.station_id,
            "action": str(scan.action),
            "at": iso_datetime(scan.at),
        },
    }, 201


def _refuse(refusal):
    raise refusal
