"""Listing and changing products through the API: managers of the cooperative only, the
catalog's own rules (draft first, a price before going on sale)."""

import pytest

from marketplace.catalog.models import Product
from marketplace.extensions import db

NEW_LILY = {"name": "兰州百合", "category": "fruit", "unit": "bag_1kg", "price_fen": 2800}


@pytest.fixture
def manager(create_user, create_cooperative, create_category):
    create_category()
    user = create_user(email="manager@example.com", roles=["cooperative_manager"])
    create_cooperative(managers=[user], name_en="Lily cooperative")
    return user


def test_a_manager_lists_a_draft_product_of_their_cooperative(api_as, manager):
    status, product = api_as(manager).post(
        "/products",
        {
            **NEW_LILY,
            "name_en": "Lanzhou lily",
            "description": "甜",
            "ovop": True,
            "perishable": True,
        },
    )
    assert status == 201, product
    assert product["status"] == "draft"
    assert (product["name"], product["unit_weight_g"], product["price_fen"]) == (
        "Lanzhou lily",
        1000,  # the unit's usual weight
        2800,
    )
    assert product["ovop"] is True and product["perishable"] is True
    assert product["cooperative"]["name"] == "Lily cooperative"
    saved = db.session.get(Product, product["id"])
    assert (saved.name_zh, saved.description_zh) == ("兰州百合", "甜")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "spaceships"}, "category"),
        ({"unit": "barrel"}, "unit"),
        ({"price_fen": "28.00"}, "price_fen"),
        ({"price_fen": -1}, "price_fen"),
        ({"name": ""}, "name"),
        ({"ovop": "yes"}, "ovop"),
        ({"colour": "white"}, "colour"),
    ],
)
def test_bad_product_fields_are_named(api_as, manager, change, field):
    status, error = api_as(manager).post("/products", NEW_LILY | change)
    assert status == 400
    assert list(error["fields"]) == [field]
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


def test_a_manager_of_several_cooperatives_says_which(api_as, manager, create_cooperative):
    second = create_cooperative(managers=[manager])
    api = api_as(manager)
    status, error = api.post("/products", NEW_LILY)
    assert (status, list(error["fields"])) == (400, ["cooperative_id"])
    status, product = api.post("/products", NEW_LILY | {"cooperative_id": second.id})
    assert status == 201 and product["cooperative"]["id"] == second.id


def test_nobody_lists_for_a_cooperative_they_do_not_manage(
    api_as, manager, create_user, create_cooperative
):
    other = create_cooperative()
    status, error = api_as(manager).post("/products", NEW_LILY | {"cooperative_id": other.id})
    assert (status, error["error"]) == (403, "forbidden")
    lonely = create_user(roles=["cooperative_manager"])
    assert api_as(lonely).post("/products", NEW_LILY)[0] == 403
    assert api_as(create_user()).post("/products", NEW_LILY)[0] == 403


def test_patch_changes_fields_then_publishes(api_as, manager):
    api = api_as(manager)
    _, product = api.post("/products", NEW_LILY | {"price_fen": 0})
    path = f"/products/{product['id']}"
    status, error = api.patch(path, {"status": "active"})
    assert status == 400 and "price" in error["message"]
    status, product = api.patch(path, {"price_fen": 3100, "status": "active"})
    assert status == 200, product
    assert (product["price_fen"], product["status"], product["name"]) == (
        3100,
        "active",
        "兰州百合",
    )
    status, error = api.patch(path, {"status": "draft"})
    assert (status, error["error"]) == (409, "illegal_transition")
    status, product = api.patch(path, {"status": "archived"})
    assert product["status"] == "archived"


def test_only_the_cooperatives_managers_patch(api_as, manager, create_user, create_product):
    product = create_product()  # of another cooperative
    status, error = api_as(manager).patch(f"/products/{product.id}", {"price_fen": 1})
    assert (status, error["error"]) == (403, "forbidden")
    assert api_as(manager).patch("/products/99999", {"price_fen": 1})[0] == 404
    admin = create_user(roles=["admin"])
    assert api_as(admin).patch(f"/products/{product.id}", {"price_fen": 1})[0] == 200
