"""Factory fixtures: each returns a `create_x(...)` callable that flushes what it makes."""

import itertools

import pytest

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.orders.models import (
    FulfilmentStatus,
)
from marketplace.regions.models import Region, RegionLevel
from marketplace.regions.services import get_by_code

F = FulfilmentStatus

_counter = itertools.count(1)
DEFAULT_PASSWORD = "linxia-demo"


@pytest.fixture
def create_user(app):
    def create_user(email=None, name="Test User", roles=(), password=DEFAULT_PASSWORD, phone=None):
        n = next(_counter)
        user = User(email=email or f"user{n}@example.com", phone=phone, name=name)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        from marketplace.accounts.services import set_roles

        set_roles(user, {Role(r) for r in roles})
        db.session.commit()
        return user

    return create_user


@pytest.fixture
def create_village(app):
    def create_village(township_code="622923100", name=None, poverty=True, deep=False):
        township = get_by_code(township_code)
        n = next(_counter)
        village = Region(
            code=f"{township_code}{n % 1000:03d}",
            name_zh=name or f"测试村{n}",
            name_en=f"Test village {n}",
            level=RegionLevel.village,
            parent=township,
            is_poverty_village=poverty,
            is_deep_poverty_village=deep,
            is_sample=True,
        )
        db.session.add(village)
        db.session.commit()
        return village

    return create_village


@pytest.fixture
def create_station(app):
    """create_station(kind="village_point", region=None, **fields) -> Station."""
    from marketplace.logistics.models import Station, StationKind

    def create_station(kind="village_point", region=None, name=None, operators=(), **fields):
        n = next(_counter)
        if region is None:
            region = get_by_code("622923100")
        station = Station(
            code=fields.pop("code", f"ST{n:05d}"),
            kind=StationKind(kind),
            region_id=region.id,
            name_zh=name or f"测试服务点{n}",
            name_en=f"Test station {n}",
            **fields,
        )
        station.operators.extend(operators)
        db.session.add(station)
        db.session.commit()
        return station

    return create_station


@pytest.fixture
def create_household(app, create_village):
    """create_household(village=None, members=4, **fields) -> Household."""
    from marketplace.households.models import Household

    def create_household(village=None, members=4, **fields):
        n = next(_counter)
        household = Household(
            household_no=fields.pop("household_no", f"HH{n:08d}"),
            head_name=fields.pop("head_name", f"测试户主{n}"),
            id_card_no=fields.pop("id_card_no", f"62292319800101{n % 10000:04d}"),
            phone=fields.pop("phone", f"139{n:08d}"),
            village_id=(village or create_village()).id,
            members=members,
            is_sample=True,
            **fields,
        )
        db.session.add(household)
        db.session.commit()
        return household

    return create_household


@pytest.fixture
def create_cooperative(app, create_village):
    """create_cooperative(village=None, managers=(), home_station=None, **fields)."""
    from marketplace.catalog.models import Cooperative

    def create_cooperative(village=None, managers=(), home_station=None, **fields):
        n = next(_counter)
        cooperative = Cooperative(
            name_zh=fields.pop("name_zh", f"测试合作社{n}"),
            name_en=fields.pop("name_en", f"Test cooperative {n}"),
            village_id=(village or create_village()).id,
            registration_no=fields.pop("registration_no", f"93622923MA{n:08d}"),
            home_station_id=home_station.id if home_station else None,
            **fields,
        )
        cooperative.managers.extend(managers)
        db.session.add(cooperative)
        db.session.commit()
        return cooperative

    return create_cooperative


@pytest.fixture
def create_category(app):
    from marketplace.catalog.models import Category

    def create_category(code="fruit", name_zh="水果", name_en="Fruit"):
        category = db.session.scalar(db.select(Category).where(Category.code == code))
        if category is None:
            category = Category(code=code, name_zh=name_zh, name_en=name_en)
            db.session.add(category)
            db.session.commit()
        return category

    return create_category


@pytest.fixture
def create_product(app, create_cooperative, create_category):
    """create_product(cooperative=None, price_fen=2500, status="active", **fields)."""
    from marketplace.catalog.models import Product, ProductStatus

    def create_product(cooperative=None, price_fen=2500, status="active", **fields):
        n = next(_counter)
        product = Product(
            cooperative_id=(cooperative or create_cooperative()).id,
            name_zh=fields.pop("name_zh", f"兰州百合{n}"),
            name_en=fields.pop("name_en", f"Lanzhou lily {n}"),
            category_id=fields.pop("category", None) or create_category().id,
            unit=fields.pop("unit", "bag_1kg"),
            unit_weight_g=fields.pop("unit_weight_g", 1000),
            price_fen=price_fen,
            status=ProductStatus(status),
            **fields,
        )
        db.session.add(product)
        db.session.commit()
        return product

    return create_product


@pytest.fixture
def create_lot(app, create_product):
    """create_lot(product=None, contributions=[(household_or_name, qty), ...], **fields).

    Without contributions the whole lot comes from one other supplier. Quantity defaults
    to the sum of the contributions.
    """
    from datetime import date

    from marketplace.catalog.models import LotContribution, SupplyLot

    def create_lot(product=None, contributions=None, quantity=None, **fields):
        n = next(_counter)
        product = product or create_product()
        if contributions is None:
            contributions = [("其他供货人", quantity or 100)]
        quantity = quantity or sum(q for _, q in contributions)
        lot = SupplyLot(
            code=fields.pop("code", f"L{n:08d}"),
            product_id=product.id,
            quantity=quantity,
            remaining=fields.pop("remaining", quantity),
            grade=fields.pop("grade", "一级"),
            received_on=fields.pop("received_on", date(2026, 9, 1)),
            harvested_on=fields.pop("harvested_on", date(2026, 8, 25)),
            **fields,
        )
        db.session.add(lot)
        db.session.flush()
        for who, qty in contributions:
            if isinstance(who, str):
                db.session.add(LotContribution(lot_id=lot.id, supplier_name=who, quantity=qty))
            else:
                db.session.add(LotContribution(lot_id=lot.id, household_id=who.id, quantity=qty))
        db.session.commit()
        return lot

    return create_lot


@pytest.fixture
def create_link(app):
    """create_link(origin, to, both_ways=False, **fields) -> Link (daily 08:00, cold chain)."""
    from datetime import time

    from marketplace.logistics.models import Link

    def create_link(origin, to, both_ways=False, **fields):
        values = {
            "distance_km": 10,
            "cost_per_run_fen": 2000,
            "cost_per_kg_fen": 10,
            "transit_minutes": 60,
            "cold_chain": True,
            "weekdays": "1234567",
            "departs_at": time(8, 0),
        } | fields
        link = Link(from_station_id=origin.id, to_station_id=to.id if to else None, **values)
        db.session.add(link)
        if both_ways and to is not None:
            db.session.add(Link(from_station_id=to.id, to_station_id=origin.id, **values))
        db.session.commit()
        return link

    return create_link


_refs = itertools.count(1)

# The address an express sale is delivered to (a sample in Beijing, Chaoyang district).
BEIJING_ADDRESS = {
    "recipient": "北京买家", "phone": "13900000001", "province_code": "110000",
    "province_name": "北京市", "city_code": "110100", "city_name": "北京市",
    "district_code": "110105", "district_name": "朝阳区", "street": "望京街1号",
}  # fmt: skip

# How far create_sale takes a sale, in order.
# Express parcels (`express=True`): "ready" = at the county centre waiting for the carrier,
# "with_carrier" = handed to the carrier (sf, a new tracking number), "delivered" = the buyer
# confirmed receipt.
STAGES = ("placed", "paid", "packed", "in_transit", "ready", "with_carrier", "delivered")
_REACHED = {
    "with_carrier": {F.delivered},
    "packed": {F.packed, F.in_transit, F.ready_for_pickup, F.delivered},
    "in_transit": {F.in_transit, F.ready_for_pickup, F.delivered},
    "ready": {F.ready_for_pickup, F.delivered},
    "delivered": {F.delivered},
}


@pytest.fixture
def create_sale(app, create_user, create_station):
    """create_sale((product, quantity | [(lot, qty), ...][, unit_price_fen]), ...,
    pickup=None, buyer=None, payment="cash", until="delivered", at=None, express=False)
    -> the Fulfilment (of the first cooperative; `.order` has the rest).

    `express=True` orders delivery to a Beijing address (`express_plan` below): each parcel
    goes to its county centre's express carrier hand-over, paid online with shipping.

    A sale made the way a buyer and the stations make one: `orders.actions.place_order`
    (stock taken from the lots, the parcel planned), Stripe's `checkout.session.completed`
    through the real webhook handler for online orders, then every scan the parcel's route
    asks for (`next_scan`), by an operator of each station, up to `until`:
    placed, paid (online), packed (received at the origin point), in_transit, ready, or
    delivered (handed over with the pickup code and the cash due; income recognised).

    Two things a test may fix that a buyer does not choose: which lots supply a line
    (given as [(lot, qty), ...], the other lots of the product hold back their units while
    the order takes stock, first in first out as always) and the price (the product's price
    for the moment of the order). A cooperative without a village point gets one in its
    village; without `pickup` the parcel is picked up there. `at` is when it all happens.
    """
    from marketplace.catalog.models import SupplyLot
    from marketplace.logistics.itinerary import next_scan
    from marketplace.logistics.models import Station
    from marketplace.logistics.scans import record_scan
    from marketplace.orders.actions import place_order
    from marketplace.regions.models import Region

    made = {}

    def operator_of(station):
        for user in station.operators:
            if Role.station_operator in user.roles:
                return user
        user = create_user(name="站点操作员", roles=["station_operator"])
        station.operators.append(user)
        return user

    def home_station(cooperative):
        if cooperative.home_station_id is None:
            village = db.session.get(Region, cooperative.village_id)
            cooperative.home_station_id = create_station("village_point", village).id
            db.session.flush()
        return db.session.get(Station, cooperative.home_station_id)

    def choose_lots(product, takes):
        """Leave only the chosen units on sale; returns how to put the rest back."""
        chosen = {lot.id: qty for lot, qty in takes}
        lots = db.session.scalars(db.select(SupplyLot).where(SupplyLot.product_id == product.id))
        held = []
        for lot in lots:
            keep = chosen.get(lot.id, 0)
            assert lot.remaining >= keep, f"lot {lot.code} has only {lot.remaining} units"
            held.append((lot, lot.remaining - keep))
            lot.remaining = keep
        return held

    def pay_online(order, at):
        from marketplace.payments.services import _record_session, start_checkout
        from marketplace.payments.webhooks import process_stripe_event

        # Only the HTTP call to Stripe is left out (the payments tests make it, against the
        # stand-in): the session is recorded and completed as Stripe would report it.
        app.config["STRIPE_SECRET_KEY"], key = "sk_test_factory", app.config["STRIPE_SECRET_KEY"]
        try:
            start = start_checkout(order, "http://localhost/ok", "http://localhost/cancel")
        finally:
            app.config["STRIPE_SECRET_KEY"] = key
        session_id = f"cs_test_sale_{next(_refs)}"
        _record_session(start.payment_id, session_id, f"https://checkout.stripe.com/{session_id}")
        event = {
            "id": f"evt_sale_{next(_refs)}",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": session_id,
                    "payment_status": "paid",
                    "amount_total": order.total_fen,
                    "currency": "cny",
                    "payment_intent": f"pi_sale_{next(_refs)}",
                }
            },
        }
        process_stripe_event(event)

    def express_plan(products):
        """Delivery to a Beijing address (a sample): each cooperative gets a plain freight
        template if it has none, so checkout can price the parcel; the order is placed with
        `delivery="express"` and its parcels planned to the county centre's carrier."""
        from marketplace.catalog import freight

        for cooperative in {p.cooperative for p in products}:
            if not freight.templates_of(cooperative.id):
                cold = any(p.perishable for p in products)
                freight.save_template(cooperative, {
                    "name": "常温 (test)", "cold_chain": cold, "first_weight_g": 1000,
                    "first_fen": 1000, "step_weight_g": 1000, "step_fen": 500, "regions": [],
                    "not_delivered_province_codes": []})  # fmt: skip
        return {"delivery": "express", "address": dict(BEIJING_ADDRESS)}

    def scan_until(fulfilment, until, at):
        from marketplace.orders.actions import confirm_receipt

        parcel = fulfilment.parcel
        while fulfilment.status not in _REACHED[until]:
            step = next_scan(parcel)
            if step is None and parcel.carrier and until == "delivered":
                confirm_receipt(fulfilment.order, fulfilment.order.buyer, now=at)
                db.session.refresh(fulfilment)
                continue
            assert step is not None, f"parcel {parcel.code} stopped at {parcel.status}"
            station = db.session.get(Station, step.station_id)
            extra = {}
            if step.action == "handed_over":
                due = fulfilment.amount_due_fen
                extra = {"pickup_code": parcel.pickup_code, "cash_received_fen": due or None}
            if step.action == "handed_to_carrier":
                if until == "ready":
                    return  # waiting at the county centre for the carrier
                extra = {"carrier": "sf", "tracking_no": f"SF{next(_refs):013d}"}
            record_scan(parcel, station, step.action, operator_of(station), at=at, **extra)
            db.session.refresh(fulfilment)
            if until == "with_carrier" and parcel.carrier:
                return

    def create_sale(
        *lines,
        pickup=None,
        buyer=None,
        payment="cash",
        until="delivered",
        at=None,
        express=False,
        **plan,
    ):
        assert until in STAGES, until
        if buyer is None:
            if "buyer" not in made:
                made["buyer"] = create_user(email=f"buyer{next(_refs)}@example.com", name="买家")
            buyer = made["buyer"]
        products = [spec[0] for spec in lines]
        pickup = pickup or home_station(products[0].cooperative)
        for product in products:
            home_station(product.cooperative)
        held, prices = [], []
        items = []
        for spec in lines:
            product, amount = spec[0], spec[1]
            if isinstance(amount, int):
                items.append((product.id, amount))
            else:
                held.extend(choose_lots(product, amount))
                items.append((product.id, sum(qty for _, qty in amount)))
            if len(spec) > 2:
                prices.append((product, product.price_fen))
                product.price_fen = spec[2]
        db.session.flush()
        method = "cash_at_pickup" if payment == "cash" else payment
        if express:
            plan = {**express_plan(products), **plan}
            pickup = None
        order = place_order(buyer, items, pickup, method, now=at, **plan)
        for lot, back in held:
            db.session.refresh(lot)
            lot.remaining += back
        for product, price in prices:
            product.price_fen = price
        db.session.flush()
        fulfilments = sorted(order.fulfilments, key=lambda f: f.id)
        if until != "placed" and method == "stripe":
            pay_online(order, at)
        if STAGES.index(until) > STAGES.index("paid"):
            for fulfilment in fulfilments:
                scan_until(fulfilment, until, at)
        db.session.commit()
        return fulfilments[0]

    def advance(fulfilment, until="delivered", at=None):
        """Take a sale made with an earlier `until` further along, by the same scans."""
        scan_until(fulfilment, until, at)
        db.session.commit()
        return fulfilment

    create_sale.advance = advance
    return create_sale
