"""Translated names of the logistics enums, for pages and messages."""

from flask_babel import lazy_gettext as _l

from .models import (
    CarrierEventStatus,
    CashKind,
    ManifestStatus,
    ParcelStatus,
    ScanAction,
    StationKind,
)

STATION_KIND_LABELS = {
    StationKind.county_center: _l("County centre"),
    StationKind.township_station: _l("Township station"),
    StationKind.village_point: _l("Village point"),
}

SCAN_ACTION_LABELS = {
    ScanAction.received: _l("Received"),
    ScanAction.departed: _l("Departed"),
    ScanAction.arrived: _l("Arrived"),
    ScanAction.handed_over: _l("Handed to the buyer"),
    ScanAction.handed_to_carrier: _l("Handed to the express carrier"),
}

# What a button does (the scan list and the quick buttons): the action, not the state it
# leaves behind ("Receive parcel", not "Received"); the history keeps SCAN_ACTION_LABELS.
SCAN_BUTTON_LABELS = {
    ScanAction.received: _l("Receive parcel"),
    ScanAction.departed: _l("Send off on the run"),
    ScanAction.arrived: _l("Confirm arrival"),
    ScanAction.handed_over: _l("Hand to the buyer"),
    ScanAction.handed_to_carrier: _l("Hand to the express carrier"),
}

PARCEL_STATUS_LABELS = {
    ParcelStatus.awaiting_handover: _l("Being packed at the cooperative"),
    ParcelStatus.at_station: _l("At a station"),
    ParcelStatus.in_transit: _l("On the way"),
    ParcelStatus.ready_for_pickup: _l("Ready for pickup"),
    ParcelStatus.handed_over: _l("Picked up"),
    ParcelStatus.handed_to_carrier: _l("With the express carrier"),
    ParcelStatus.cancelled: _l("Cancelled"),
    ParcelStatus.returned: _l("Returned to the cooperative"),
}

MANIFEST_STATUS_LABELS = {
    ManifestStatus.planned: _l("Planned"),
    ManifestStatus.departed: _l("Departed"),
    ManifestStatus.arrived: _l("Arrived"),
}

CASH_KIND_LABELS = {
    CashKind.collected: _l("Collected"),
    CashKind.handed_on: _l("Handed on to the county"),
    CashKind.refunded: _l("Refunded"),
}

WEEKDAY_LABELS = {
    "1": _l("Mon"),
    "2": _l("Tue"),
    "3": _l("Wed"),
    "4": _l("Thu"),
    "5": _l("Fri"),
    "6": _l("Sat"),
    "7": _l("Sun"),
}


CARRIER_EVENT_LABELS = {
    CarrierEventStatus.in_transit: _l("In transit with the carrier"),
    CarrierEventStatus.out_for_delivery: _l("Out for delivery"),
    CarrierEventStatus.delivered: _l("Delivered by the carrier"),
    CarrierEventStatus.exception: _l("Delivery problem"),
    CarrierEventStatus.returned: _l("Returned to the sender"),
}


def all_labels() -> dict:
    """Every label table, as the templates see them (`logistics_labels.kind[...]`)."""
    return {
        "kind": STATION_KIND_LABELS,
        "action": SCAN_ACTION_LABELS,
        "button": SCAN_BUTTON_LABELS,
        "parcel": PARCEL_STATUS_LABELS,
        "manifest": MANIFEST_STATUS_LABELS,
        "cash": CASH_KIND_LABELS,
        "weekday": WEEKDAY_LABELS,
        "carrier_event": CARRIER_EVENT_LABELS,
    }
