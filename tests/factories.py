"""Factory fixtures: each returns a `create_x(...)` callable that flushes what it makes."""

import itertools

import pytest

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.orders.actions import recognise_income_if_due
from marketplace.orders.models import (
    Fulfilment,
    FulfilmentStatus,
    LineAllocation,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
)
from marketplace.orders.status import mark_paid, move_fulfilment
from marketplace.regions.models import Region, RegionLevel
from marketplace.regions.services import get_by_code
from marketplace.status import record_initial_status

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


@pytest.fixture
def sell(app, create_station):
    """sell((product, [(lot, qty), ...], unit_price_fen=None), ..., delivered=True, paid=True,
    recognise=True, at=None) -> Fulfilment: a sale built row by row with the order models,
    moved through the real fulfilment status machine, paid and its income recognised.

    Every line must be of one cooperative's products (one fulfilment). Lines are priced at
    the product's price unless a price is given.
    """
    made = {}

    def sell(*lines, delivered=True, paid=True, recognise=True, at=None):
        if "buyer" not in made:
            # A buyer who never logs in: no password hash to compute (scrypt is slow).
            made["buyer"] = User(
                email=f"buyer{next(_refs)}@example.com", name="买家", password_hash="!"
            )
            db.session.add(made["buyer"])
            made["pickup"] = create_station()
        cooperative_id = lines[0][0].cooperative_id
        order = Order(
            reference=f"T{next(_refs):09d}",
            buyer_id=made["buyer"].id,
            pickup_station_id=made["pickup"].id,
            payment_method=PaymentMethod.cash_at_pickup,
            status=OrderStatus.confirmed,
        )
        db.session.add(order)
        db.session.flush()
        record_initial_status(order, "order")
        fulfilment = Fulfilment(
            order=order, cooperative_id=cooperative_id, status=F.pending_payment
        )
        db.session.add(fulfilment)
        db.session.flush()
        record_initial_status(fulfilment, "fulfilment")
        goods = 0
        for spec in lines:
            product, takes = spec[0], spec[1]
            price = spec[2] if len(spec) > 2 else product.price_fen
            assert product.cooperative_id == cooperative_id, "one cooperative per fulfilment"
            quantity = sum(q for _, q in takes)
            line = OrderLine(
                order=order,
                fulfilment=fulfilment,
                product_id=product.id,
                product_name=product.name_zh,
                unit=product.unit,
                unit_weight_g=product.unit_weight_g,
                quantity=quantity,
                unit_price_fen=price,
                line_fen=price * quantity,
            )
            db.session.add(line)
            for lot, qty in takes:
                lot.remaining -= qty
                db.session.add(LineAllocation(line=line, lot_id=lot.id, quantity=qty))
            goods += price * quantity
        fulfilment.goods_fen = order.goods_fen = order.total_fen = goods
        fulfilment.amount_due_fen = goods
        db.session.flush()
        for status in (F.to_pack, F.packed, F.ready_for_pickup):
            move_fulfilment(fulfilment, status)
        if delivered:
            move_fulfilment(fulfilment, F.delivered)
        if paid:
            mark_paid(fulfilment)
        if recognise:
            recognise_income_if_due(fulfilment, at=at)
        db.session.commit()
        return fulfilment

    return sell
