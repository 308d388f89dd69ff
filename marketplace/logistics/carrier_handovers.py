"""What a county centre sees of its express parcels: those waiting for a carrier, and the
day's hand-over list per carrier that the courier signs."""

from dataclasses import dataclass
from datetime import date

from ..clock import day_bounds
from ..extensions import db
from .carriers import CARRIERS
from .itinerary import is_express
from .models import Parcel, ParcelScan, ParcelStatus, ScanAction, Station


def waiting_for_carrier(station: Station) -> list[Parcel]:
    """Express parcels at `station`, the last stop of their route: next is the carrier."""
    here = db.session.scalars(
        db.select(Parcel)
        .where(Parcel.current_station_id == station.id, Parcel.status == ParcelStatus.at_station)
        .order_by(Parcel.created_at, Parcel.id)
    )
    return [p for p in here if is_express(p) and p.leg_index == len(p.route) - 1]


@dataclass
class CarrierList:
    """One carrier's parcels handed over at a station on one day."""

    carrier: str
    parcels: list[Parcel]

    @property
    def weight_g(self) -> int:
        return sum(p.weight_g for p in self.parcels)


def handovers_of_day(station: Station, day: date, carrier: str | None = None) -> list[CarrierList]:
    """The parcels handed to carriers at `station` on the local `day`, per carrier (in the
    order of CARRIERS), each list in hand-over order; only `carrier`'s when given."""
    start, end = day_bounds(day)
    stmt = (
        db.select(Parcel)
        .join(ParcelScan, ParcelScan.parcel_id == Parcel.id)
        .where(
            ParcelScan.station_id == station.id,
            ParcelScan.action == ScanAction.handed_to_carrier,
            Parcel.carrier_handed_at >= start,
            Parcel.carrier_handed_at < end,
        )
        .order_by(Parcel.carrier_handed_at, Parcel.id)
    )
    if carrier:
        stmt = stmt.where(Parcel.carrier == carrier)
    by_carrier: dict[str, list[Parcel]] = {}
    for parcel in db.session.scalars(stmt):
        by_carrier.setdefault(parcel.carrier, []).append(parcel)
    order = list(CARRIERS)
    return [
        CarrierList(code, parcels)
        for code, parcels in sorted(
            by_carrier.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
        )
    ]
