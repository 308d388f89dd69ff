"""Read-only lookups for the order pages: a buyer's orders, pickup points, packing lists."""

from sqlalchemy.orm import selectinload

from ..catalog.models import Cooperative, Product, ProductStatus
from ..extensions import db
from ..inputs import MAX_DB_INT
from ..logistics.models import Parcel, ParcelStatus, Station, StationKind
from ..regions.models import RegionLevel
from .models import Fulfilment, FulfilmentStatus, LineAllocation, Order, OrderLine


def orders_of(buyer, page: int = 1, per_page: int = 20):
    """The buyer's orders, newest first (a Pagination)."""
    stmt = (
        db.select(Order)
        .where(Order.buyer_id == buyer.id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .options(selectinload(Order.fulfilments))
    )
    return db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)


def visible_order(user, key: str) -> Order | None:
    """The order with this reference (or id) if `user` may see it; None otherwise.

    The buyer, the operator who ordered for them, and administrators see an order; to
    anyone else it does not exist (404, so references cannot be probed).
    """
    stmt = db.select(Order).options(
        selectinload(Order.lines).selectinload(OrderLine.allocations),
        selectinload(Order.fulfilments).selectinload(Fulfilment.lines),
    )
    if key.isascii() and key.isdigit():
        if int(key) > MAX_DB_INT:
            return None
        stmt = stmt.where(Order.id == int(key))
    else:
        stmt = stmt.where(Order.reference == key.upper())
    order = db.session.scalar(stmt)
    if order is None or not (is_buyer_side(user, order) or user.is_admin):
        return None
    return order


def is_buyer_side(user, order: Order) -> bool:
    """The buyer, or the station operator who placed the order for them."""
    return user.id in {order.buyer_id, order.placed_by_id}


def pickup_points() -> list[tuple[str, list[Station]]]:
    """Active village points grouped by 'county · township', in region code order."""
    stations = db.session.scalars(
        db.select(Station)
        .where(Station.kind == StationKind.village_point, Station.active.is_(True))
        .options(selectinload(Station.region))
    ).all()
    groups: dict[tuple, list[Station]] = {}
    for station in sorted(stations, key=lambda s: (s.region.code, s.name_zh, s.id)):
        place = [r for r in [*station.region.ancestors(), station.region] if _is_area(r)]
        groups.setdefault(tuple(place), []).append(station)
    return list(groups.items())


def _is_area(region) -> bool:
    return region.level in {RegionLevel.county, RegionLevel.township}


def last_pickup_station_id(buyer) -> int | None:
    """Where the buyer picked up their latest order (the checkout's default)."""
    return db.session.scalar(
        db.select(Order.pickup_station_id)
        .where(Order.buyer_id == buyer.id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(1)
    )


def fulfilments_for_packing(cooperatives, status: FulfilmentStatus) -> list[Fulfilment]:
    """The cooperatives' fulfilments in `status`, oldest order first."""
    ids = [c.id for c in cooperatives]
    if not ids:
        return []
    stmt = (
        db.select(Fulfilment)
        .join(Order, Fulfilment.order_id == Order.id)
        .where(Fulfilment.cooperative_id.in_(ids), Fulfilment.status == status)
        .order_by(Order.created_at, Fulfilment.id)
        .options(
            selectinload(Fulfilment.order).selectinload(Order.pickup_station),
            selectinload(Fulfilment.lines)
            .selectinload(OrderLine.allocations)
            .selectinload(LineAllocation.lot),
            selectinload(Fulfilment.parcel),
        )
    )
    return list(db.session.scalars(stmt))


def products_on_sale() -> list[Product]:
    """Every active product by Chinese name: what a village point can order for a villager."""
    stmt = db.select(Product).where(Product.status == ProductStatus.active)
    return list(db.session.scalars(stmt.order_by(Product.name_zh)))


def parcels_to_hand_over_at(station: Station) -> list[Parcel]:
    """Parcels awaiting hand-over by the cooperatives whose village point `station` is, oldest
    first. Here, not in logistics, because only the sale knows which cooperative sends what."""
    stmt = (
        db.select(Parcel)
        .join(Fulfilment, Fulfilment.id == Parcel.fulfilment_id)
        .join(Cooperative, Cooperative.id == Fulfilment.cooperative_id)
        .where(
            Cooperative.home_station_id == station.id,
            Parcel.status == ParcelStatus.awaiting_handover,
        )
        .order_by(Parcel.created_at, Parcel.id)
    )
    return list(db.session.scalars(stmt))
