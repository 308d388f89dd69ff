"""The public catalogue through the API: list fields, filters, pages and one product."""

import pytest

ITEM_FIELDS = {
    "id",
    "freight_template_id",
    "name",
    "category",
    "category_name",
    "unit",
    "unit_weight_g",
    "price_fen",
    "available_qty",
    "ovop",
    "perishable",
    "households_count",
    "cooperative",
    "village",
    "county",
}


@pytest.fixture
def lily(create_village, create_cooperative, create_product, create_household, create_lot):
    """An active lily from a Yongjing cooperative, supplied by two households and a trader."""
    village = create_village(township_code="622923100", name="刘家峡示例村")
    cooperative = create_cooperative(
        village=village, name_zh="永靖百合合作社", producer_share_bp=7500
    )
    product = create_product(
        cooperative=cooperative, name_zh="永靖百合", name_en="Yongjing lily", ovop=True
    )
    one, two, three = (create_household(village=village) for _ in range(3))
    create_lot(product, contributions=[(one, 30), (two, 20)])
    create_lot(product, contributions=[(one, 5), ("马商贩", 5)], code="L-SECOND")
    create_lot(product, contributions=[(three, 7)], void=True)
    create_lot(product, contributions=[("马商贩", 9)], remaining=0, code="L-EMPTY")
    return product


def test_list_gives_the_contract_fields(client, lily):
    response = client.get("/api/v1/products")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 1)
    (item,) = body["items"]
    assert set(item) == ITEM_FIELDS
    assert item["id"] == lily.id
    assert item["name"] == "Yongjing lily"
    assert (item["category"], item["unit"], item["price_fen"]) == ("fruit", "bag_1kg", 2500)
    # 50 + 10 left; the void lot (and its household) and the empty lot do not count.
    assert item["available_qty"] == 60
    assert item["households_count"] == 2
    assert item["ovop"] is True
    assert item["cooperative"] == {"id": lily.cooperative_id, "name": lily.cooperative.name_en}
    assert item["village"]["code"].startswith("622923100")
    assert item["county"] == {"code": "622923", "name": "Yongjing County"}


def test_names_follow_the_language_asked_for(client, lily):
    body = client.get("/api/v1/products", headers={"Accept-Language": "zh-CN"}).get_json()
    item = body["items"][0]
    assert item["name"] == "永靖百合"
    assert item["county"]["name"] == "永靖县"
    assert item["cooperative"]["name"] == "永靖百合合作社"


def test_drafts_and_archived_products_are_not_listed(client, create_product):
    create_product(status="draft")
    create_product(status="archived")
    shown = create_product(status="active")
    ids = [i["id"] for i in client.get("/api/v1/products").get_json()["items"]]
    assert ids == [shown.id]


@pytest.fixture
def three_places(create_village, create_cooperative, create_product, create_category):
    """Products in two Yongjing townships and one Dongxiang township, two categories."""
    veg = create_category(code="vegetable", name_zh="蔬菜", name_en="Vegetables")
    places = {}
    for key, township, category in [
        ("liujiaxia", "622923100", None),
        ("yanguoxia", "622923101", None),
        ("suonan", "622926100", veg.id),
    ]:
        village = create_village(township_code=township)
        cooperative = create_cooperative(village=village)
        places[key] = create_product(
            cooperative=cooperative, category=category, name_en=f"Produce of {key}"
        )
    return places


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("county_code=622923", {"liujiaxia", "yanguoxia"}),
        ("county_code=622926", {"suonan"}),
        ("township_code=622923101", {"yanguoxia"}),
        ("category=vegetable", {"suonan"}),
        ("category=fruit&county_code=622923", {"liujiaxia", "yanguoxia"}),
        ("q=of+yanguo", {"yanguoxia"}),
        ("q=PRODUCE", {"liujiaxia", "yanguoxia", "suonan"}),
        ("q=100%25", set()),
        ("county_code=622901", set()),
    ],
)
def test_filters(client, three_places, query, expected):
    body = client.get(f"/api/v1/products?{query}").get_json()
    names = {k for k, p in three_places.items() if p.id in {i["id"] for i in body["items"]}}
    assert names == expected
    assert body["total"] == len(expected)


def test_filter_by_village(client, three_places):
    village_id = three_places["suonan"].cooperative.village_id
    body = client.get(f"/api/v1/products?village_id={village_id}").get_json()
    assert [i["id"] for i in body["items"]] == [three_places["suonan"].id]


def test_pages(client, create_product, create_cooperative):
    cooperative = create_cooperative()
    made = [create_product(cooperative=cooperative) for _ in range(5)]
    body = client.get("/api/v1/products?per_page=2&page=3").get_json()
    assert body["total"] == 5 and (body["page"], body["per_page"]) == (3, 2)
    # Newest first: the last page holds the first product made.
    assert [i["id"] for i in body["items"]] == [made[0].id]
    assert client.get("/api/v1/products?page=9").get_json()["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=two", "page"),
        ("per_page=101", "per_page"),
        ("county_code=6229", "county_code"),
        ("township_code=62292310x", "township_code"),
        ("village_id=-3", "village_id"),
        ("q=" + "x" * 101, "q"),
        ("q=a%00b", "q"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/products?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "invalid" and list(body["fields"]) == [field]


def test_one_product_adds_the_producer_share_and_open_lots(client, lily):
    response = client.get(f"/api/v1/products/{lily.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) >= ITEM_FIELDS
    assert body["cooperative"]["producer_share_bp"] == 7500
    assert body["status"] == "active"
    assert [lot["remaining_qty"] for lot in body["lots"]] == [50, 10]
    assert body["lots"][1]["code"] == "L-SECOND"
    assert set(body["lots"][0]) == {
        "id",
        "code",
        "grade",
        "harvested_on",
        "received_on",
        "remaining_qty",
    }
    assert body["lots"][0]["received_on"] == "2026-09-01"


def test_unknown_product_is_a_json_404(client):
    for path in ("/api/v1/products/999999", "/api/v1/products/99999999999999999999"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.get_json()["error"] == "not_found"


def test_a_draft_is_shown_only_to_its_managers_and_admins(
    client, create_user, create_cooperative, create_product, bearer
):
    manager, other = (
        create_user(roles=["cooperative_manager"]),
        create_user(roles=["cooperative_manager"]),
    )
    draft = create_product(cooperative=create_cooperative(managers=[manager]), status="draft")
    path = f"/api/v1/products/{draft.id}"
    assert client.get(path).status_code == 404
    assert client.get(path, headers=bearer(other)).status_code == 404
    assert client.get(path, headers=bearer(create_user())).status_code == 404
    assert client.get(path, headers=bearer(manager)).get_json()["status"] == "draft"
    assert client.get(path, headers=bearer(create_user(roles=["admin"]))).status_code == 200
