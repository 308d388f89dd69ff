"""The JSON shape of every resource the API sends, in one place (schemas.py documents them).

Names come in the request's language (Accept-Language); money is in fen; timestamps are
naive UTC written as RFC 3339 with a Z.
"""

from datetime import date, datetime

from flask_babel import get_locale
from sqlalchemy.orm import lazyload

from ..accounts.models import User
from ..catalog.models import Product, SupplyLot
from ..extensions import db
from ..households.models import Household
from ..households.services import mask_name
from ..logistics.carrier_events import events_of
from ..logistics.carriers import carrier_name
from ..logistics.models import CarrierEvent, Parcel, Station
from ..logistics.network import known_route_stations
from ..logistics.services import next_scan, pickup_code_visible
from ..orders.models import Fulfilment, FulfilmentStatus, Order
from ..regions.models import Region
from ..status import StatusEvent


def locale() -> str:
    """The language names are given in ("zh" or "en")."""
    return str(get_locale() or "zh")


def iso_datetime(value: datetime | None) -> str | None:
    """A naive-UTC timestamp as RFC 3339 ('2026-09-01T08:00:00Z')."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def iso_date(value: date | None) -> str | None:
    """A date as '2026-09-01'."""
    return value.isoformat() if value else None


def page_json(items: list, page: int, per_page: int, total: int) -> dict:
    """The envelope of a paged list."""
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def region_json(region: Region) -> dict:
    """{"id", "name", "code"} of a village (or any region)."""
    return {"id": region.id, "name": region.display_name(locale()), "code": region.code}


def county_json(village: Region) -> dict | None:
    """{"code", "name"} of the county a village lies in."""
    county = village.parent.parent if village.parent else None
    if county is None:
        return None
    return {"code": county.code, "name": county.display_name(locale())}


def user_json(user: User) -> dict:
    """{"id", "name", "roles"}; every account is a buyer, other roles are added to it."""
    return {
        "id": user.id,
        "name": user.name,
        "roles": ["buyer", *sorted(str(role) for role in user.roles)],
    }


def product_json(product: Product, available_qty: int, households_count: int) -> dict:
    """A product as the catalogue lists it."""
    lang = locale()
    village = product.cooperative.village
    return {
        "id": product.id,
        "name": product.display_name(lang),
        "category": product.category.code,
        "category_name": product.category.display_name(lang),
        "unit": product.unit,
        "unit_weight_g": product.unit_weight_g,
        "price_fen": product.price_fen,
        "available_qty": int(available_qty),
        "ovop": product.ovop,
        "perishable": product.perishable,
        "freight_template_id": product.freight_template_id,
        "households_count": int(households_count),
        "cooperative": {
            "id": product.cooperative.id,
            "name": product.cooperative.display_name(lang),
        },
        "village": region_json(village),
        "county": county_json(village),
    }


def product_detail_json(product: Product, available_qty: int, households_count: int, lots):
    """A product with its status, description, producer share and open lots."""
    body = product_json(product, available_qty, households_count)
    body["status"] = str(product.status)
    body["description"] = product.display_description(locale())
    body["cooperative"]["producer_share_bp"] = product.cooperative.producer_share_bp
    body["lots"] = [open_lot_json(lot) for lot in lots]
    return body


def open_lot_json(lot: SupplyLot) -> dict:
    """A lot still on sale, as a product's page lists it."""
    return {
        "id": lot.id,
        "code": lot.code,
        "grade": lot.grade,
        "harvested_on": iso_date(lot.harvested_on),
        "received_on": iso_date(lot.received_on),
        "remaining_qty": lot.remaining,
    }


def lot_json(lot: SupplyLot) -> dict:
    """A supply lot with who handed in how much (household names masked)."""
    return {
        **open_lot_json(lot),
        "product_id": lot.product_id,
        "quantity": lot.quantity,
        "void": lot.void,
        "contributions": [
            {
                "household_no": c.household.household_no if c.household else None,
                "masked_name": mask_name(c.household.head_name) if c.household else None,
                "supplier_name": c.supplier_name,
                "quantity": c.quantity,
            }
            for c in lot.contributions
        ],
    }


def station_json(station: Station) -> dict:
    """{"id", "name", "kind", "region": {"code", "name"}, ...} of one station."""
    lang = locale()
    return {
        "id": station.id,
        "code": station.code,
        "name": station.display_name(lang),
        "kind": str(station.kind),
        "region": {"code": station.region.code, "name": station.region.display_name(lang)},
        "address": station.address,
        "opening_hours": station.opening_hours,
        "cold_chain": station.cold_chain,
    }


def household_json(household: Household) -> dict:
    """A registry household with the head's name masked; never the ID card or phone."""
    return {
        "household_no": household.household_no,
        "masked_name": mask_name(household.head_name),
        "members": household.members,
        "status": str(household.status),
        "village": region_json(household.village),
    }


def _stations(parcels) -> dict[int, Station]:
    ids = {station_id for parcel in parcels for station_id in parcel.route}
    if not ids:
        return {}
    known = known_route_stations(ids)
    if known is not None:
        return known
    stmt = db.select(Station).where(Station.id.in_(ids)).options(lazyload(Station.operators))
    return {s.id: s for s in db.session.scalars(stmt)}


def route_json(parcel: Parcel, stations: dict[int, Station]) -> list[dict]:
    """The stations a parcel passes, first (the cooperative's point) to last (pickup)."""
    lang = locale()
    return [
        {
            "station_id": station_id,
            "kind": str(stations[station_id].kind),
            "name": stations[station_id].display_name(lang),
        }
        for station_id in parcel.route
    ]


def next_scan_json(parcel: Parcel) -> dict | None:
    """Where and what the parcel's next scan is, or None when it needs none."""
    expected = next_scan(parcel)
    if expected is None:
        return None
    return {"station_id": expected.station_id, "action": str(expected.action)}


def carrier_event_json(event: CarrierEvent) -> dict:
    """One tracking event an express carrier reported."""
    return {
        "status": str(event.status),
        "at": iso_datetime(event.at),
        "location": event.location,
    }


def fulfilment_json(fulfilment: Fulfilment, stations, viewer, carrier_events=None) -> dict:
    """One cooperative's part of an order and its parcel's route; the pickup code only when
    logistics' one rule lets `viewer` see it (as on the order and tracking pages)."""
    parcel = fulfilment.parcel
    carrier = parcel.carrier if parcel else None
    events = (carrier_events or {}).get(parcel.id, []) if carrier else []
    body = {
        "id": fulfilment.id,
        "cooperative_id": fulfilment.cooperative_id,
        "cooperative_name": fulfilment.cooperative.display_name(locale()),
        "status": str(fulfilment.status),
        "goods_fen": fulfilment.goods_fen,
        "shipping_fen": fulfilment.shipping_fen,
        "delivery": str(fulfilment.order.delivery),
        "amount_due_fen": fulfilment.amount_due_fen,
        "parcel_code": parcel.code if parcel else None,
        "parcel_status": str(parcel.status) if parcel else None,
        "route": route_json(parcel, stations) if parcel else [],
        "eta": iso_datetime(parcel.eta) if parcel else None,
        "carrier": carrier,
        "carrier_name": carrier_name(carrier, locale()) if carrier else None,
        "tracking_no": parcel.tracking_no if parcel else None,
        "handed_to_carrier_at": iso_datetime(parcel.carrier_handed_at) if parcel else None,
        "carrier_events": [carrier_event_json(e) for e in events],
    }
    if pickup_code_visible(viewer, parcel):
        body["pickup_code"] = parcel.pickup_code
    return body


def payment_json(order: Order, checkout_url: str | None) -> dict:
    """How the order is paid and how far: unpaid, partly_paid or paid (per fulfilment)."""
    live = [f for f in order.fulfilments if f.status != FulfilmentStatus.cancelled]
    paid = sum(1 for f in live if f.paid_at is not None)
    return {
        "method": str(order.payment_method),
        "status": "unpaid" if not paid else "paid" if paid == len(live) else "partly_paid",
        "amount_due_fen": sum(f.amount_due_fen for f in live),
        "checkout_url": checkout_url,
    }


def order_summary_json(order: Order) -> dict:
    """An order as the buyer's list shows it."""
    return {
        "id": order.id,
        "reference": order.reference,
        "status": str(order.status),
        "payment_method": str(order.payment_method),
        "total_fen": order.total_fen,
        "pickup_station_id": order.pickup_station_id,
        "delivery": str(order.delivery),
        "created_at": iso_datetime(order.created_at),
    }


def ship_address_json(order: Order, viewer) -> dict | None:
    """An express order's delivery address as placed; the phone in full for the buyer only."""
    if not order.is_express:
        return None
    mine = viewer is not None and viewer.id == order.buyer_id
    return {
        "recipient": order.ship_recipient,
        "phone": order.ship_phone if mine else order.ship_phone_masked,
        "province_code": order.ship_province_code,
        "province_name": order.ship_province_name,
        "city_code": order.ship_city_code,
        "city_name": order.ship_city_name,
        "district_code": order.ship_district_code,
        "district_name": order.ship_district_name,
        "street": order.ship_street,
    }


def order_json(order: Order, viewer, checkout_url: str | None = None) -> dict:
    """An order with its lines, fulfilments (routes, ETAs) and payment."""
    parcels = [f.parcel for f in order.fulfilments if f.parcel is not None]
    stations = _stations(parcels)
    carrier_events = events_of([p.id for p in parcels if p.carrier])
    return {
        **order_summary_json(order),
        "goods_fen": order.goods_fen,
        "shipping_fen": order.shipping_fen,
        "address": ship_address_json(order, viewer),
        "lines": [
            {
                "id": line.id,
                "product_id": line.product_id,
                "fulfilment_id": line.fulfilment_id,
                "name": line.product_name,
                "unit": line.unit,
                "quantity": line.quantity,
                "unit_price_fen": line.unit_price_fen,
                "line_fen": line.line_fen,
            }
            for line in order.lines
        ],
        "fulfilments": [
            fulfilment_json(f, stations, viewer, carrier_events) for f in order.fulfilments
        ],
        "payment": payment_json(order, checkout_url),
    }


def event_json(event: StatusEvent) -> dict:
    """One status change of the order, a fulfilment or a parcel."""
    return {
        "subject": event.subject,
        "subject_id": event.subject_id,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note,
        "at": iso_datetime(event.at),
    }


def parcel_json(parcel: Parcel) -> dict:
    """A parcel's state after a scan: where it is, what comes next, its fulfilment's state."""
    fulfilment = parcel.fulfilment
    return {
        "code": parcel.code,
        "status": str(parcel.status),
        "current_station_id": parcel.current_station_id,
        "route": route_json(parcel, _stations([parcel])),
        "eta": iso_datetime(parcel.eta),
        "next_scan": next_scan_json(parcel),
        "carrier": parcel.carrier,
        "tracking_no": parcel.tracking_no,
        "fulfilment": {
            "id": fulfilment.id,
            "status": str(fulfilment.status),
            "amount_due_fen": fulfilment.amount_due_fen,
        },
    }
