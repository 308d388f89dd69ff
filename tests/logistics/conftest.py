"""Logistics fixtures: a five-station line network with operators, and cash orders on it."""

import itertools
from datetime import time
from types import SimpleNamespace

import pytest

from marketplace.extensions import db
from marketplace.logistics.models import Link
from marketplace.regions.services import get_by_code

_refs = itertools.count(1)


@pytest.fixture
def line(create_station, create_village, create_user):
    """Village point A -> township T1 -> county centre C -> township T2 -> village point B
    (and back), every link daily and cold chain except T2 <-> B; one operator per station."""
    county = get_by_code("622923")
    t1_region, t2_region = get_by_code("622923100"), get_by_code("622923101")
    village_a = create_village("622923100", name="甲村")
    village_b = create_village("622923101", name="乙村")
    ops = {
        name: create_user(
            email=f"op-{name.lower()}@example.com",
            name=f"Operator {name}",
            roles=["station_operator"],
        )
        for name in ("A", "T1", "C", "T2", "B")
    }
    a = create_station(
        "village_point", village_a, name="甲村服务点", operators=[ops["A"]], cold_chain=True
    )
    t1 = create_station("township_station", t1_region, name="刘家峡站", operators=[ops["T1"]])
    c = create_station("county_center", county, name="永靖县中心", operators=[ops["C"]])
    t2 = create_station("township_station", t2_region, name="盐锅峡站", operators=[ops["T2"]])
    b = create_station("village_point", village_b, name="乙村服务点", operators=[ops["B"]])
    for station in (a, t1, c, t2, b):
        station.name_en = None  # pages in English then show the Chinese names tests look for
    links = {}
    hops = [
        (a, t1, "08:00", True),
        (t1, c, "14:00", True),
        (c, t2, "09:00", True),
        (t2, b, "13:00", False),
    ]
    for origin, to, at, cold in hops:
        hour = time.fromisoformat(at)
        for x, y in ((origin, to), (to, origin)):
            link = Link(
                from_station_id=x.id,
                to_station_id=y.id,
                cost_per_run_fen=3000,
                cost_per_kg_fen=20,
                transit_minutes=60,
                cold_chain=cold,
                weekdays="1234567",
                departs_at=hour,
            )
            db.session.add(link)
            db.session.flush()
            links[(x.code, y.code)] = link
    db.session.commit()
    return SimpleNamespace(
        a=a, t1=t1, c=c, t2=t2, b=b, ops=ops, links=links, village_a=village_a, village_b=village_b
    )


@pytest.fixture
def place_order(line, create_user, create_cooperative, create_product, create_lot, create_household,
                create_sale):  # fmt: skip
    """place_order(pickup=line.b, quantity=2, cash=True, ...) -> Fulfilment with its parcel
    planned (committed), placed by `create_sale` through the real checkout: a cash order
    owes its goods value at pickup, an online one is paid. Each call lists a new product of
    one cooperative at village point A, with a lot of 100 units from one household."""
    cooperative = create_cooperative(village=line.village_a, home_station=line.a)
    household = create_household(village=line.village_a)
    default_buyer = []

    def place(
        pickup=None,
        quantity=2,
        cash=True,
        perishable=False,
        buyer=None,
        weight_g=1000,
        price_fen=2500,
        now=None,
        express=False,
    ):
        if buyer is None:
            if not default_buyer:
                default_buyer.append(create_user(email="buyer@example.com", name="Buyer"))
            buyer = default_buyer[0]
        product = create_product(
            cooperative=cooperative,
            price_fen=price_fen,
            perishable=perishable,
            unit_weight_g=weight_g,
        )
        create_lot(product=product, contributions=[(household, 100)])
        fulfilment = create_sale(
            (product, quantity),
            pickup=line.b if express else (pickup or line.b),
            buyer=buyer,
            payment="cash" if cash else "stripe",
            until="placed" if cash else "paid",
            at=now,
            express=express,  # delivery to an address: the parcel ends with the carrier
        )
        return fulfilment

    return place


@pytest.fixture
def english(app):
    """A request context in English, so service messages can be read in assertions."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield
