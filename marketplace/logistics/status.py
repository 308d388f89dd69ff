"""The parcel and manifest status machines: the one place their statuses change."""

from ..status import transition
from .models import Manifest, ManifestStatus, Parcel, ParcelStatus

P, M = ParcelStatus, ManifestStatus

PARCEL_TRANSITIONS = {
    # A one-station route (cooperative and buyer share a village point) is ready at once.
    P.awaiting_handover: {P.at_station, P.ready_for_pickup, P.cancelled},
    P.at_station: {P.in_transit, P.handed_to_carrier, P.cancelled, P.returned},
    P.in_transit: {P.at_station, P.ready_for_pickup, P.returned},
    # Not collected in time: it waits at the pickup point for its way back (start_return).
    P.ready_for_pickup: {P.handed_over, P.at_station},
    P.returned: set(),
    P.handed_over: set(),
    P.handed_to_carrier: set(),
    P.cancelled: set(),
}

# A cancelled parcel is final, except when its order comes back because a late online
# payment arrived after expiry (orders.actions.payment_settled): it waits again at its origin.
PARCEL_REVIVAL = {P.cancelled: {P.awaiting_handover}}

MANIFEST_TRANSITIONS = {
    M.planned: {M.departed},
    M.departed: {M.arrived},
    M.arrived: set(),
}


def move_parcel(parcel: Parcel, to: ParcelStatus, by=None, note=None, at=None):
    """Change a parcel's status (IllegalTransition if not allowed); records the event."""
    return transition(parcel, to, PARCEL_TRANSITIONS, "parcel", by=by, note=note, at=at)


def revive_parcel(parcel: Parcel, by=None, note=None):
    """Bring the parcel of a revived order back to its origin; records the event."""
    return transition(parcel, P.awaiting_handover, PARCEL_REVIVAL, "parcel", by=by, note=note)


def move_manifest(manifest: Manifest, to: ManifestStatus, by=None, at=None):
    """Change a manifest's status (IllegalTransition if not allowed); records the event."""
    return transition(manifest, to, MANIFEST_TRANSITIONS, "manifest", by=by, at=at)
