"""Households through the API: who sees which, masked names, nothing sensitive."""

import pytest


@pytest.fixture
def registry(create_village, create_household):
    """Two households in Liujiaxia township (two villages), one in Yanguoxia."""
    liujiaxia_a, liujiaxia_b = create_village("622923100"), create_village("622923100")
    yanguoxia = create_village("622923101")
    return {
        "a": create_household(village=liujiaxia_a, head_name="马建华", household_no="HH-A"),
        "b": create_household(village=liujiaxia_b, head_name="王芳", household_no="HH-B"),
        "c": create_household(village=yanguoxia, head_name="李四", household_no="HH-C"),
    }


def _numbers(client, headers, query=""):
    response = client.get(f"/api/v1/households{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [item["household_no"] for item in response.get_json()["items"]]


def test_administrators_see_every_household(client, create_user, bearer, registry):
    admin = bearer(create_user(roles=["admin"]))
    assert _numbers(client, admin) == ["HH-A", "HH-B", "HH-C"]
    assert _numbers(client, admin, "?township_code=622923101") == ["HH-C"]
    village_id = registry["b"].village_id
    assert _numbers(client, admin, f"?village_id={village_id}") == ["HH-B"]


def test_a_manager_sees_the_households_of_their_cooperatives_township(
    client, create_user, create_cooperative, bearer, registry
):
    manager = create_user(roles=["cooperative_manager"])
    create_cooperative(village=registry["a"].village, managers=[manager])
    headers = bearer(manager)
    assert _numbers(client, headers) == ["HH-A", "HH-B"]
    assert _numbers(client, headers, "?township_code=622923101") == []


def test_a_manager_without_a_cooperative_sees_none(client, create_user, bearer, registry):
    assert _numbers(client, bearer(create_user(roles=["cooperative_manager"]))) == []


def test_names_are_masked_and_identity_cards_never_sent(client, create_user, bearer, registry):
    response = client.get("/api/v1/households", headers=bearer(create_user(roles=["admin"])))
    first = response.get_json()["items"][0]
    # The registry's own mask (households.services.mask_name), the same as on its pages.
    assert first["masked_name"] == "马*华"
    assert set(first) == {"household_no", "masked_name", "members", "status", "village"}
    text = response.get_data(as_text=True)
    assert registry["a"].id_card_no not in text and "马建华" not in text
    assert registry["a"].phone not in text


def test_buyers_and_operators_get_403(client, create_user, bearer):
    for roles in ([], ["station_operator"]):
        response = client.get("/api/v1/households", headers=bearer(create_user(roles=roles)))
        assert response.status_code == 403
        assert response.get_json()["error"] == "forbidden"


def test_without_a_token_401(client):
    assert client.get("/api/v1/households").status_code == 401


def test_pages(client, create_user, bearer, create_household, create_village):
    village = create_village()
    for n in range(5):
        create_household(village=village, household_no=f"HH-{n}")
    body = client.get(
        "/api/v1/households?per_page=2&page=2", headers=bearer(create_user(roles=["admin"]))
    ).get_json()
    assert [i["household_no"] for i in body["items"]] == ["HH-2", "HH-3"]
    assert body["total"] == 5
