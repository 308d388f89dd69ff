"""Each rule is one function, and the web pages and the API give the same answer with it:
who manages which cooperative, who sees a draft, the poverty line of a year, who sees a
pickup code, and whether online payment is offered."""

import pytest

from marketplace.accounts.models import Role, UserRole
from marketplace.catalog.services import can_manage, managed_cooperatives
from marketplace.extensions import db
from marketplace.households.models import PovertyLine
from marketplace.households.services import poverty_line_fen
from marketplace.payments.services import online_payment_available

from .test_journey import _scan, _walk


def _revoke_manager_role(user):
    db.session.execute(
        db.delete(UserRole).where(
            UserRole.user_id == user.id, UserRole.role == Role.cooperative_manager
        )
    )
    db.session.commit()
    db.session.expire(user)


def test_managed_cooperatives_are_those_can_manage_allows(
    network, client, auth, api_as, create_category
):
    create_category()
    lily_manager = network.lily_manager
    assert managed_cooperatives(lily_manager) == [network.lily_coop]
    assert {c.id for c in managed_cooperatives(network.admin)} == {
        network.lily_coop.id,
        network.apple_coop.id,
    }
    for coop in (network.lily_coop, network.apple_coop):
        assert can_manage(lily_manager, coop) == (coop in managed_cooperatives(lily_manager))

    auth.login("lily@example.com")
    page = client.get("/packing").get_data(as_text=True)
    lily, apple = (c.display_name("en") for c in (network.lily_coop, network.apple_coop))
    assert lily in page and apple not in page
    status, body = api_as(lily_manager).post(
        "/products", {"name": "百合", "category": "fruit", "unit": "bag_1kg", "price_fen": 100}
    )
    assert status == 201, body
    assert body["cooperative"]["id"] == network.lily_coop.id


def test_a_manager_whose_role_was_revoked_manages_nothing(network, client, auth, api_as):
    api = api_as(network.lily_manager)
    _revoke_manager_role(network.lily_manager)
    assert managed_cooperatives(network.lily_manager) == []
    assert not can_manage(network.lily_manager, network.lily_coop)
    auth.login("lily@example.com")
    assert client.get("/packing").status_code == 403
    assert api.get("/households")[0] == 403


@pytest.fixture
def draft(network, create_product, create_category):
    create_category()
    return create_product(network.lily_coop, status="draft", name_zh="草稿百合")


def test_a_draft_exists_only_for_its_cooperatives_managers_on_page_and_api(
    network, draft, client, auth, api_as
):
    path = f"/products/{draft.id}"
    assert client.get(path).status_code == 404
    assert client.get(f"/api/v1{path}").status_code == 404
    assert api_as(network.apple_manager).get(path)[0] == 404
    auth.login("apple@example.com")
    assert client.get(path).status_code == 404
    for user, login in ((network.lily_manager, "lily@example.com"), (network.admin, None)):
        assert api_as(user).get(path)[0] == 200
        if login:
            auth.login(login)
            assert client.get(path).status_code == 200


def test_the_poverty_line_of_a_year_is_the_latest_in_force(app):
    db.session.add(PovertyLine(year=2019, amount_fen=321800))
    db.session.add(PovertyLine(year=2020, amount_fen=400000))
    db.session.commit()
    assert poverty_line_fen(2018) is None
    assert poverty_line_fen(2019) == 321800
    assert poverty_line_fen(2020) == 400000
    assert poverty_line_fen(2024) == 400000  # no newer line published: 2020's still applies


def test_the_pickup_code_shows_while_the_parcel_is_to_collect_on_page_api_and_tracking(
    network, place_cash_order, api_as, client, auth
):
    order = place_cash_order(lily=1)
    (part,) = order["fulfilments"]
    code = part["pickup_code"]
    buyer_api = api_as(network.buyer)
    auth.login("buyer@example.com")

    def shown():
        api = code in str(buyer_api.get(f"/orders/{order['id']}")[1])
        page = code in client.get(f"/orders/{order['reference']}").get_data(as_text=True)
        track = client.get(f"/track/{part['parcel_code']}").get_data(as_text=True)
        return api, page, code in track

    assert shown() == (True, True, True)
    assert code not in str(api_as(network.admin).get(f"/orders/{order['id']}")[1])

    def api_of(key):
        return api_as(network.operators[key])

    _walk(network, api_of, part, ["lily_point", "liujiaxia", "pickup_point"])
    assert shown() == (True, True, True)
    point = network.stations["pickup_point"]
    due = part["amount_due_fen"]
    _scan(api_of("pickup_point"), part["parcel_code"], point, "handed_over",
          pickup_code=code, cash_received_fen=due)  # fmt: skip
    assert shown() == (False, False, False)  # spent: no page shows it again


def test_online_payment_is_offered_by_checkout_and_api_only_with_stripe(
    app, network, goods, client, auth, api_as
):
    app.config["STRIPE_SECRET_KEY"] = None
    assert not online_payment_available()
    body = {
        "lines": [{"product_id": goods.lily.id, "quantity": 1}],
        "pickup_station_id": network.stations["pickup_point"].id,
        "payment_method": "stripe",
    }
    status, answer = api_as(network.buyer).post("/orders", body)
    assert status == 400 and "payment_method" in answer["fields"]
    auth.login("buyer@example.com")
    client.post("/cart/add", data={"product_id": goods.lily.id, "quantity": 1})
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="stripe"' not in page

    app.config["STRIPE_SECRET_KEY"] = "sk_test_standin"
    assert online_payment_available()
    assert 'value="stripe"' in client.get("/checkout").get_data(as_text=True)
