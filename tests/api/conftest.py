"""API test helpers: bearer tokens, a client that calls the API as one user, and a small
station network with two cooperatives, their managers, operators and registered households."""

from types import SimpleNamespace

import pytest

from marketplace.api.auth import issue_token
from marketplace.extensions import db
from marketplace.regions.services import get_by_code


@pytest.fixture
def bearer(app):
    """bearer(user, days=30, now=None) -> {"Authorization": "Bearer <a new token>"}."""

    def bearer(user, days=30, now=None):
        token, _ = issue_token(user, days, now=now)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return bearer


class ApiCaller:
    """Calls the API with one user's token: `caller.post(path, json)` -> (status, body)."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def _call(self, method, path, **kwargs):
        response = getattr(self.client, method)(f"/api/v1{path}", headers=self.headers, **kwargs)
        assert response.mimetype == "application/json" or response.status_code == 204
        return response.status_code, response.get_json(silent=True)

    def get(self, path):
        return self._call("get", path)

    def post(self, path, json=None):
        return self._call("post", path, json=json)

    def patch(self, path, json):
        return self._call("patch", path, json=json)


@pytest.fixture
def api_as(client, bearer):
    """api_as(user) -> an ApiCaller holding a fresh token of `user`."""
    return lambda user: ApiCaller(client, bearer(user))


@pytest.fixture
def network(
    create_user, create_village, create_station, create_link, create_cooperative, create_household
):
    """Two townships of Yongjing county joined through the county centre:

    lily point (百合村) - Liujiaxia station - pickup point (上村, where the buyer collects)
                          |
    county centre ------- +
          |
    Yanguoxia station - apple point (苹果村)

    Every station has its own operator; the lily cooperative (default producer share 80 %)
    and the apple cooperative (75 %) hand parcels to their village points; three registered
    households live in the two townships.
    """
    liujiaxia, yanguoxia = "622923100", "622923101"
    lily_village = create_village(liujiaxia, name="百合村")
    pickup_village = create_village(liujiaxia, name="上村")
    apple_village = create_village(yanguoxia, name="苹果村")
    places = {
        "lily_point": ("village_point", lily_village),
        "pickup_point": ("village_point", pickup_village),
        "liujiaxia": ("township_station", get_by_code(liujiaxia)),
        "centre": ("county_center", get_by_code("622923")),
        "yanguoxia": ("township_station", get_by_code(yanguoxia)),
        "apple_point": ("village_point", apple_village),
    }
    operators, stations = {}, {}
    for key, (kind, region) in places.items():
        operators[key] = create_user(email=f"op-{key}@example.com", roles=["station_operator"])
        stations[key] = create_station(kind, region, operators=[operators[key]], cold_chain=True)
    for one, two in [
        ("lily_point", "liujiaxia"),
        ("pickup_point", "liujiaxia"),
        ("liujiaxia", "centre"),
        ("centre", "yanguoxia"),
        ("yanguoxia", "apple_point"),
    ]:
        create_link(stations[one], stations[two], both_ways=True)
    lily_manager = create_user(email="lily@example.com", roles=["cooperative_manager"])
    apple_manager = create_user(email="apple@example.com", roles=["cooperative_manager"])
    return SimpleNamespace(
        stations=stations,
        operators=operators,
        lily_manager=lily_manager,
        apple_manager=apple_manager,
        lily_coop=create_cooperative(
            village=lily_village,
            home_station=stations["lily_point"],
            managers=[lily_manager],
            name_zh="百合社",
        ),
        apple_coop=create_cooperative(
            village=apple_village,
            home_station=stations["apple_point"],
            managers=[apple_manager],
            producer_share_bp=7500,
        ),
        households={
            "HH-LILY-1": create_household(lily_village, household_no="HH-LILY-1", members=4),
            "HH-LILY-2": create_household(pickup_village, household_no="HH-LILY-2", members=3),
            "HH-APPLE-1": create_household(apple_village, household_no="HH-APPLE-1", members=5),
        },
        buyer=create_user(email="buyer@example.com", name="马小花"),
        admin=create_user(email="admin@example.com", roles=["admin"]),
    )


@pytest.fixture
def goods(network, create_product, create_lot):
    """A lily of the lily cooperative (10 in stock) and an apple of the apple cooperative (5),
    both supplied by registered households."""
    households = network.households
    lily = create_product(network.lily_coop, price_fen=3000, name_en="Lanzhou lily")
    apple = create_product(network.apple_coop, price_fen=1250, name_en="Apple", perishable=True)
    create_lot(lily, contributions=[(households["HH-LILY-1"], 10)])
    create_lot(apple, contributions=[(households["HH-APPLE-1"], 5)])
    return SimpleNamespace(lily=lily, apple=apple)


@pytest.fixture
def place_cash_order(network, goods, api_as):
    """place_cash_order(lily=1, apple=0, buyer=network.buyer) -> the 201 body of the order."""

    def place_cash_order(lily=1, apple=0, buyer=None):
        lines = [
            {"product_id": product.id, "quantity": quantity}
            for product, quantity in ((goods.lily, lily), (goods.apple, apple))
            if quantity
        ]
        status, order = api_as(buyer or network.buyer).post(
            "/orders",
            {
                "lines": lines,
                "pickup_station_id": network.stations["pickup_point"].id,
                "payment_method": "cash_at_pickup",
            },
        )
        assert status == 201, order
        return order

    return place_cash_order
