"""Demo history: sample villagers of Yongjing buy lilies and apples over the last months and
their parcels go through the real scans, so the reports and the impact page have sales to
show. Every step is the real service (place_order, record_scan), dated in the past. It lives
in orders, which drives the sale through logistics' scans; logistics knows no catalogue."""

import random
from datetime import timedelta

from ..accounts.models import User
from ..accounts.services import find_user_by_login
from ..catalog.models import Cooperative, Product, ProductStatus
from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from ..logistics.estimate import hand_in_after, open_at_or_after
from ..logistics.itinerary import next_scan
from ..logistics.models import Link, ScanAction, Station, StationKind
from ..logistics.network import edge_of
from ..logistics.scans import record_scan
from . import actions as sale
from .models import Fulfilment, FulfilmentStatus, PaymentMethod

BUYERS = 8
ORDERS = 24
YONGJING = "622923"


def load(scale: str = "demo") -> str:
    """Deliver ORDERS demo cash orders through the network once (nothing if any was delivered)."""
    delivered = db.session.scalar(
        db.select(db.func.count(Fulfilment.id)).where(
            Fulfilment.status == FulfilmentStatus.delivered
        )
    )
    admin = find_user_by_login("admin@example.com")
    if delivered or admin is None:
        return "demo deliveries already there" if delivered else "skipped: no admin"
    products = _yongjing_products()
    points = _yongjing_village_points()
    if not products or not points:
        return "skipped: no Yongjing products or village points"
    rng = random.Random(622923)
    buyers = [_sample_buyer(n) for n in range(1, BUYERS + 1)]
    now = utcnow()
    done = 0
    for n in range(ORDERS):
        placed_at = now - timedelta(days=175 - n * 7, hours=rng.randint(0, 8))
        items = [(p.id, rng.randint(1, 3)) for p in rng.sample(products, k=min(2, len(products)))]
        try:
            order = sale.place_order(
                rng.choice(buyers), items, rng.choice(points), PaymentMethod.cash_at_pickup,
                now=placed_at,
            )  # fmt: skip
        except DomainError:
            continue  # out of stock or unreachable: that villager buys nothing this week
        for fulfilment in order.fulfilments:
            _walk(fulfilment, admin, placed_at, rng)
        done += 1
    return f"{done} demo orders delivered through the network"


def _walk(fulfilment, by, start, rng=None) -> None:
    """Scan the fulfilment's parcel at every stop until the buyer has it, at the times a
    real parcel would: handed in within opening hours a few hours after the order, leaving
    on each link's scheduled run, arriving after its transit time, picked up by the buyer
    within a day or two of being ready (the logistics report reads these times)."""
    rng = rng or random.Random(fulfilment.id)
    parcel = fulfilment.parcel
    at = open_at_or_after(hand_in_after(start) + timedelta(hours=rng.randint(0, 5)))
    while (step := next_scan(parcel)) is not None:
        station = db.session.get(Station, step.station_id)
        extra = {}
        if step.action == ScanAction.departed:
            link = db.session.get(Link, parcel.route_links[parcel.leg_index])
            at = edge_of(link).next_departure(at) or at
        elif step.action == ScanAction.arrived:
            link = db.session.get(Link, parcel.route_links[parcel.leg_index])
            at = at + timedelta(minutes=link.transit_minutes)
        elif step.action == ScanAction.handed_over:
            at = open_at_or_after(at + timedelta(hours=rng.randint(1, 40)))
            extra = {"pickup_code": parcel.pickup_code,
                     "cash_received_fen": fulfilment.amount_due_fen}  # fmt: skip
        record_scan(parcel, station, step.action, by, at=at, **extra)
        at += timedelta(minutes=10)


def _yongjing_products() -> list[Product]:
    """Active products of Yongjing cooperatives that hand parcels to a village point."""
    stmt = (
        db.select(Product)
        .join(Cooperative, Product.cooperative_id == Cooperative.id)
        .where(Product.status == ProductStatus.active, Cooperative.home_station_id.is_not(None))
        .order_by(Product.id)
    )
    return [p for p in db.session.scalars(stmt) if p.cooperative.village.code.startswith(YONGJING)]


def _yongjing_village_points() -> list[Station]:
    stmt = (
        db.select(Station)
        .where(Station.kind == StationKind.village_point, Station.code.startswith("VP" + YONGJING))
        .order_by(Station.code)
        .limit(6)
    )
    return list(db.session.scalars(stmt))


def _sample_buyer(n: int) -> User:
    email = f"villager{n}@example.com"
    user = find_user_by_login(email)
    if user is None:
        user = User(email=email, name=f"示例村民{n} (sample)")
        user.set_password("linxia-demo")
        db.session.add(user)
        db.session.flush()
    return user
