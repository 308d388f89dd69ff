"""Demo express orders carried on: sample buyers (with the address books of
`orders.demo_express`) buy from Yongjing cooperatives with delivery to their address, paid
online; the parcels go village point -> township -> county centre -> express carrier and
are left at every stage: at a township, at the county centre waiting for the carrier, with
a carrier (tracking events), delivered by the carrier's event, delivered by the buyer's
确认收货. Every step is the real verb or scan (place_order with delivery="express", the
Stripe webhook handler, record_scan, the carrier webhook's processing, confirm_receipt),
dated in the last days. The buyers, their cities and the tracking numbers are samples.
"""

from datetime import timedelta

from ..accounts import addresses
from ..accounts.services import find_user_by_login
from ..catalog.models import Cooperative, Product, ProductStatus
from ..clock import utcnow
from ..errors import DomainError
from ..extensions import db
from ..logistics.carrier_events import IncomingEvent, process_carrier_event
from ..logistics.itinerary import next_scan
from ..logistics.models import CarrierEventStatus, Parcel, ParcelStatus, ScanAction, Station
from ..logistics.scans import record_scan
from ..payments.models import Payment, PaymentProvider, PaymentStatus
from ..payments.status import start_payment
from ..payments.webhooks import process_stripe_event
from . import actions as sale
from .models import Delivery, PaymentMethod

YONGJING = "622923"
# The sample buyers of `orders.demo_express` (their address books are made there).
BUYERS = [
    "buyer@example.com",
    "shanghai@example.com",
    "guangzhou@example.com",
    "chengdu@example.com",
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
MARK = "cs_demo_carrier_"  # provider_ref prefix of the sample payments: loaded once


def load(scale: str = "demo") -> str:
    """Place the demo express orders once (nothing if their sample payments exist)."""
    if db.session.scalar(db.select(Payment.id).where(Payment.provider_ref.startswith(MARK))):
        return "demo carrier stages already there"
    admin = find_user_by_login("admin@example.com")
    products = _products()
    buyers = [(u, addresses.addresses_of(u)) for u in map(find_user_by_login, BUYERS) if u]
    buyers = [(user, book) for user, book in buyers if book]
    if admin is None or not products or not buyers:
        return "skipped: no admin, no address books or no Yongjing products without cold chain"
    now = utcnow()
    done = 0
    for n, (stage, carrier, days) in enumerate(PLAN):
        buyer, book = buyers[n % len(buyers)]
        address = book[n % len(book)]
        placed_at = now - timedelta(days=days, hours=3)
        product = products[n % len(products)]
        try:
            order = sale.place_order(
                buyer, [(product.id, 1 + n % 2)], None, PaymentMethod.stripe,
                now=placed_at, delivery=Delivery.express, address=address,
            )  # fmt: skip
        except DomainError:
            continue  # out of stock or not delivered there: skip this one
        _pay(order)
        city = "".join(address.names("zh"))
        for fulfilment in order.fulfilments:
            _walk(fulfilment.parcel, admin, placed_at, stage, carrier, city, now)
        if stage == "confirmed":
            sale.confirm_receipt(order, buyer, now=now - timedelta(days=1))
        done += 1
    return f"{done} demo express orders at the carrier stages"


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
            "id": f"evt_demo_carrier_{order.reference}",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": ref,
                    "payment_status": "paid",
                    "amount_total": order.total_fen,
                    "currency": "cny",
                    "payment_intent": f"pi_demo_carrier_{order.reference}",
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
