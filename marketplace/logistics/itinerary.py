"""Reading a parcel's itinerary: whether it ends with an express carrier, and the one scan
it expects next (where and what)."""

from dataclasses import dataclass

from .models import Parcel, ParcelStatus, ScanAction


def is_express(parcel: Parcel) -> bool:
    """True if the route ends with a hand-over to an express carrier."""
    return len(parcel.route_links or []) == len(parcel.route)


@dataclass(frozen=True)
class NextScan:
    """Where the next scan of a parcel happens and what it is."""

    station_id: int
    action: ScanAction


def next_scan(parcel: Parcel) -> NextScan | None:
    """The one scan the parcel expects next (where and what), or None when it is done."""
    route, i = parcel.route, parcel.leg_index
    last = len(route) - 1
    match parcel.status:
        case ParcelStatus.awaiting_handover:
            return NextScan(route[0], ScanAction.received)
        case ParcelStatus.at_station if i < last:
            return NextScan(route[i], ScanAction.departed)
        case ParcelStatus.at_station if parcel.return_started_at is not None:
            # Back at its origin point already (a one-station route): received there.
            return NextScan(route[i], ScanAction.received)
        case ParcelStatus.at_station if is_express(parcel):
            return NextScan(route[i], ScanAction.handed_to_carrier)
        case ParcelStatus.in_transit:
            return NextScan(route[i + 1], ScanAction.arrived)
        case ParcelStatus.ready_for_pickup:
            return NextScan(route[-1], ScanAction.handed_over)
    return None
