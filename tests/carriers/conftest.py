"""Carrier fixtures: two cooperatives in two townships of Yongjing whose parcels go village
point -> township -> county centre -> express carrier; a buyer who pays online; the
carriers' stand-in that signs tracking events."""

from types import SimpleNamespace

import pytest

from marketplace.extensions import db
from marketplace.households.income import distributable_fen
from marketplace.households.models import IncomeEntry
from marketplace.regions.services import get_by_code
from tests.conftest import make_test_config

from .carrier_standin import CarrierStandin

SECRET = "whsec_carrier_test"


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    return make_test_config(
        database_url, upload_dir, CARRIER_WEBHOOK_SECRET=SECRET, AUTO_CONFIRM_DAYS=10
    )


@pytest.fixture
def carrier(client):
    return CarrierStandin(SECRET, client=client)


@pytest.fixture
def express(
    create_user, create_village, create_station, create_link, create_cooperative,
    create_household, create_product, create_lot, create_sale,
):  # fmt: skip
    """Two cooperatives (百合 in 刘家峡, apples in 盐锅峡) sending by express carrier from the
    Yongjing county centre; `express.sale(until=...)` orders from both, paid online."""
    county_op = create_user(email="county-op@example.com", name="县中心操作员",
                            roles=["station_operator"])  # fmt: skip
    centre = create_station("county_center", get_by_code("622923"), name="永靖县中心",
                            operators=[county_op], code="CC622923")  # fmt: skip
    township_ops, points, cooperatives, products = [], [], [], []
    for n, township_code in enumerate(("622923100", "622923101"), start=1):
        op = create_user(email=f"town-op{n}@example.com", name=f"乡镇操作员{n}",
                         roles=["station_operator"])  # fmt: skip
        township_ops.append(op)
        township = create_station("township_station", get_by_code(township_code),
                                  operators=[op])  # fmt: skip
        village = create_village(township_code)
        point = create_station("village_point", village, cold_chain=True)
        points.append(point)
        create_link(point, township, both_ways=True)
        create_link(township, centre, both_ways=True)
        cooperative = create_cooperative(village=village, home_station=point)
        cooperatives.append(cooperative)
        household = create_household(village=village)
        product = create_product(cooperative=cooperative, price_fen=3000 + 1000 * n,
                                 unit_weight_g=1000 * n)  # fmt: skip
        create_lot(product=product, contributions=[(household, 100)])
        products.append(product)
    express_link = create_link(centre, None, cost_per_run_fen=1000, cost_per_kg_fen=800,
                               transit_minutes=2880, carrier="express")  # fmt: skip
    buyer = create_user(email="beijing-buyer@example.com", name="北京买家")
    other_buyer = create_user(email="other-buyer@example.com", name="别的买家")

    def sale(until="ready", buyer=buyer):
        fulfilment = create_sale(
            (products[0], 2), (products[1], 3),
            buyer=buyer, payment="stripe", until=until, express=True,
        )  # fmt: skip
        return fulfilment.order

    return SimpleNamespace(
        centre=centre, county_op=county_op, points=points, township_ops=township_ops,
        cooperatives=cooperatives, products=products, link=express_link, buyer=buyer,
        other_buyer=other_buyer, sale=sale,
    )  # fmt: skip


def income_total() -> int:
    total = db.func.coalesce(db.func.sum(IncomeEntry.amount_fen), 0)
    return int(db.session.scalar(db.select(total)))


def producers_share(fulfilment) -> int:
    """The producers' share of the fulfilment's goods (what its income must be)."""
    share = fulfilment.cooperative.producer_share_bp
    return sum(distributable_fen(line.line_fen, share) for line in fulfilment.lines)
