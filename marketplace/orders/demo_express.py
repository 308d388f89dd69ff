"""Demo express orders: sample buyers in several provinces buy from Yongjing cooperatives
and their parcels go village point -> township -> county centre -> express carrier, paid
online, left at every stage: at a township, at the county centre waiting for the carrier,
with a carrier (tracking events), delivered by the carrier's event, delivered by the
buyer's 确认收货. Every step is the real verb or scan (place_order, the Stripe webhook
handler, record_scan, the carrier webhook's processing, confirm_receipt), dated in the last
days. The buyers, their cities and the tracking numbers are samples.

Until checkout offers delivery to an address (the buyer half of the nationwide-delivery
issue) the parcel of a placed order is planned again to the express hand-over, as
`logistics.services.plan_parcel(..., express=True)` plans it (`_plan_express`); the lead
replaces that with `place_order(..., delivery="express", address=...)`.
"""

from datetime import timedelta

from ..accounts.models import User
from ..accounts.services import find_user_by_login
from ..catalog.models import Cooperative, Product, ProductStatus
from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from ..logistics.carrier_events import IncomingEvent, process_carrier_event
from ..logistics.itinerary import next_scan
from ..logistics.models import CarrierEventStatus, Parcel, ParcelStatus, ScanAction, Station
from ..logistics.network import load_network
from ..logistics.planner import NoRoute, plan_route
from ..logistics.scans import record_scan
from ..payments.models import Payment, PaymentProvider, PaymentStatus
from ..payments.status import start_payment
from ..payments.webhooks import process_stripe_event
from . import actions as sale
from .models import PaymentMethod

YONGJING = "622923"
# (login, name, city and district shown in the carrier's events): sample buyers.
BUYERS = [
    ("buyer@example.com", None, "北京市朝阳区"),
    ("buyer-shanghai@example.com", "示例买家·上海 (sample)", "上海市浦东新区"),
    ("buyer-guangzhou@example.com", "示例买家·广州 (sample)", "广东省广州市天河区"),
    ("buyer-chengdu@example.com", "示例买家·成都 (sample)", "四川省成都市武侯区"),
    ("buyer-hangzhou@example.com", "示例买家·杭州 (sample)", "浙江省杭州市西湖区"),
]
# (stage, carrier, days ago placed) for each demo order, buyers taken in turn.
PLAN = [
    ("township", None, 1),
    ("township", None, 1),
    ("county", None, 2),
    ("county", None, 2),
    ("with_carrier", "sf", 4),
    ("with_carrier", "yto", 4),
    ("delivered_by_event", "ems", 7),
    ("delivered_by_event", "zto", 8),
    ("confirmed", "jd", 9),
    ("confirmed", "yunda", 10),
]
MARK = "cs_demo_express_"  # provider_ref prefix of the sample payments: loaded once


def load(scale: str = "demo") -> str:
    """Place the demo express orders once (nothing if their sample payments exist)."""
    if db.session.scalar(db.select(Payment.id).where(Payment.provider_ref.startswith(MARK))):
        return "demo express orders already there"
    admin = find_user_by_login("admin@example.com")
    products = _products()
    if admin is None or not products:
        return "skipped: no admin or no Yongjing products that keep without cold chain"
    buyers = [_buyer(login, name) for login, name, _ in BUYERS]
    now = utcnow()
    done = 0
    for n, (stage, carrier, days) in enumerate(PLAN):
        buyer_index = n % len(BUYERS)
        placed_at = now - timedelta(days=days, hours=3)
        product = products[n % len(products)]
        try:
            order = sale.place_order(
                buyers[buyer_index], [(product.id, 1 + n % 2)],
                db.session.get(Station, product.cooperative.home_station_id),
                PaymentMethod.stripe, now=placed_at,
            )  # fmt: skip
            _plan_express(order, placed_at)
        except (DomainError, NoRoute):
            continue  # out of stock or no express hand-over reachable: skip this one
        _pay(order)
        city = BUYERS[buyer_index][2]
        for fulfilment in order.fulfilments:
            _walk(fulfilment.parcel, admin, placed_at, stage, carrier, city, now)
        if stage == "confirmed":
            sale.confirm_receipt(order, buyers[buyer_index], now=now - timedelta(days=1))
        done += 1
    return f"{done} demo express orders (sample buyers in {len(BUYERS)} provinces)"


def _products() -> list[Product]:
    """Active Yongjing products that keep without cold chain (the express hand-over has
    none), from cooperatives that hand parcels to a village point."""
    stmt = (
        db.select(Product)
        .join(Cooperative, Product.cooperative_id == Cooperative.id)
        .where(
            Product.status == ProductStatus.active,
            Product.perishable.is_(False),
            Cooperative.home_station_id.is_not(None),
        )
        .order_by(Product.id)
    )
    return [p for p in db.session.scalars(stmt) if p.cooperative.village.code.startswith(YONGJING)]


def _buyer(login: str, name: str | None) -> User:
    user = find_user_by_login(login)
    if user is None:
        user = User(email=login, name=name)
        user.set_password("linxia-demo")
        db.session.add(user)
        db.session.flush()
    return user


def _plan_express(order, at) -> None:
    """Plan each parcel again to its county centre's express hand-over (see the module)."""
    for fulfilment in order.fulfilments:
        parcel = fulfilment.parcel
        route = plan_route(
            load_network(),
            fulfilment.cooperative.home_station_id,
            None,
            cold_chain=parcel.cold_chain,
            depart_after=at,
            weight_g=parcel.weight_g,
        )
        parcel.route, parcel.route_links = list(route.station_ids), list(route.link_ids)
        parcel.eta = route.eta
    db.session.flush()


def _pay(order) -> None:
    """A sample online payment, confirmed through the real Stripe webhook handler."""
    ref = f"{MARK}{order.reference}"
    payment = Payment(
        order_id=order.id,
        provider=PaymentProvider.stripe,
        status=PaymentStatus.pending,
        amount_fen=order.total_fen,
        currency="cny",
        expires_at=utcnow() + timedelta(minutes=30),
        provider_ref=ref,
    )
    db.session.add(payment)
    db.session.flush()
    start_payment(payment, by=order.buyer_id)
    process_stripe_event(
        {
            "id": f"evt_demo_express_{order.reference}",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": ref,
                    "payment_status": "paid",
                    "amount_total": order.total_fen,
                    "currency": "cny",
                    "payment_intent": f"pi_demo_express_{order.reference}",
                }
            },
        }
    )


def _walk(parcel: Parcel, by, start, stage, carrier, city, now) -> None:
    """Scan the parcel until it reaches `stage`; then the carrier's events, if any."""
    at = start + timedelta(hours=2)
    while (step := next_scan(parcel)) is not None:
        if stage == "township" and parcel.status == ParcelStatus.at_station and parcel.leg_index:
            return
        if step.action == ScanAction.handed_to_carrier:
            if stage == "county":
                return
            break
        record_scan(parcel, db.session.get(Station, step.station_id), step.action, by, at=at)
        at += timedelta(hours=5)
    handed_at = min(at, now - timedelta(days=2))
    prefix = {"sf": "SF", "yto": "YT", "ems": "EA", "zto": "ZT", "jd": "JDX", "yunda": "YD"}
    number = f"{prefix.get(carrier, 'LX')}{parcel.id:012d}"
    centre = db.session.get(Station, parcel.route[-1])
    record_scan(parcel, centre, ScanAction.handed_to_carrier, by, carrier=carrier,
                tracking_no=number, at=handed_at)  # fmt: skip
    events = [
        (CarrierEventStatus.in_transit, "甘肃省临夏州永靖县", 3),
        (CarrierEventStatus.in_transit, "甘肃省兰州市 转运中心", 12),
        (CarrierEventStatus.out_for_delivery, city, 30),
    ]
    if stage == "delivered_by_event":
        events.append((CarrierEventStatus.delivered, city, 33))
    for n, (status, location, hours) in enumerate(events):
        process_carrier_event(
            IncomingEvent(
                event_id=f"demo-{carrier}-{number}-{n}",
                carrier=carrier,
                tracking_no=number,
                status=status,
                at=handed_at + timedelta(hours=hours),
                location=f"{location} (示例)",
            )
        )
