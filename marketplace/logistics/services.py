"""Logistics: parcels for fulfilments (route planning, scans and manifests build on this)."""

import secrets

from ..errors import Conflict
from ..extensions import db
from .models import Parcel, ParcelStatus


def new_parcel_code() -> str:
    """A unique, human-typable parcel code, e.g. 'PX7K3M9Q2A'."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: typed on phones
    return "P" + "".join(secrets.choice(alphabet) for _ in range(9))


def new_pickup_code() -> str:
    """A random 6-digit pickup code."""
    return f"{secrets.randbelow(1_000_000):06d}"


def plan_parcel(fulfilment, pickup_station, now=None) -> Parcel:
    """Create the parcel of a fulfilment from the cooperative's home station to the pickup point.

    The route is the two stations themselves; the route planner replaces this with the
    cheapest path on the station graph.
    """
    origin = fulfilment.cooperative.home_station_id or pickup_station.id
    if origin is None:
        raise Conflict("The cooperative has no village point to hand parcels to.")
    route = [origin] if origin == pickup_station.id else [origin, pickup_station.id]
    weight = sum(line.unit_weight_g * line.quantity for line in fulfilment.lines)
    parcel = Parcel(
        code=new_parcel_code(),
        pickup_code=new_pickup_code(),
        fulfilment=fulfilment,
        route=route,
        route_links=[],
        weight_g=weight,
        cold_chain=any(line.product.perishable for line in fulfilment.lines),
        status=ParcelStatus.awaiting_handover,
    )
    db.session.add(parcel)
    db.session.flush()
    return parcel
