"""Administrators register cooperatives, name their managers and extend the categories."""

import pytest

from marketplace.catalog import cooperatives
from marketplace.catalog.models import Category, Cooperative
from marketplace.errors import Conflict, DomainError
from marketplace.extensions import db


@pytest.fixture
def admin(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")


def cooperative_form(village, **overrides):
    data = {
        "name_zh": "陈井百合合作社",
        "name_en": "Chenjing Lily Cooperative",
        "village_id": village.id,
        "registration_no": "93622923MA0000001X",
        "phone": "0930-5550001",
        "home_station_id": "None",
        "producer_share_bp": 8000,
    }
    data.update(overrides)
    return data


def test_admin_registers_a_cooperative_with_a_manager_and_village_point(
    client, admin, create_user, create_village, create_station
):
    village = create_village(township_code="622923106")
    manager = create_user(email="m@example.com", name="马经理", roles=["cooperative_manager"])
    station = create_station(kind="village_point", region=village)
    page = client.get("/admin/cooperatives/new").get_data(as_text=True)
    assert "马经理" in page and f"{station.name_en} ({station.code})" in page
    response = client.post(
        "/admin/cooperatives/new",
        data=cooperative_form(village, managers=[manager.id], home_station_id=station.id),
    )
    assert response.status_code == 302
    cooperative = db.session.scalar(db.select(Cooperative))
    assert [m.id for m in cooperative.managers] == [manager.id]
    assert cooperative.home_station_id == station.id and cooperative.producer_share_bp == 8000
    assert "Chenjing Lily Cooperative" in client.get("/admin/cooperatives").get_data(as_text=True)


def test_only_cooperative_managers_can_be_named_managers(create_user, create_village, english):
    buyer = create_user(name="买家")
    values = {
        "name_zh": "x",
        "village_id": create_village().id,
        "registration_no": "R1",
        "producer_share_bp": 8000,
    }
    with pytest.raises(DomainError, match="not a cooperative manager"):
        cooperatives.save_cooperative(None, values, [buyer])


def test_registration_numbers_are_unique(create_cooperative, create_village, english):
    create_cooperative(registration_no="R1")
    values = {"name_zh": "x", "village_id": create_village().id, "registration_no": "R1"}
    with pytest.raises(Conflict):
        cooperatives.save_cooperative(None, values | {"producer_share_bp": 8000}, [])


def test_admin_edits_a_cooperative_and_its_managers(client, admin, create_cooperative, create_user):
    old = create_user(name="Old", roles=["cooperative_manager"])
    new = create_user(name="New", roles=["cooperative_manager"])
    cooperative = create_cooperative(managers=[old])
    data = cooperative_form(cooperative.village, managers=[new.id], producer_share_bp=7500)
    client.post(f"/admin/cooperatives/{cooperative.id}/edit", data=data)
    db.session.expire_all()
    cooperative = db.session.get(Cooperative, cooperative.id)
    assert [m.name for m in cooperative.managers] == ["New"]
    assert cooperative.producer_share_bp == 7500


def test_admin_adds_standard_and_own_categories(client, admin):
    client.post("/admin/categories/defaults")
    codes = set(db.session.scalars(db.select(Category.code)))
    assert {"fruit", "vegetables", "grains", "nuts", "spices", "meat", "mushrooms"} <= codes
    client.post("/admin/categories", data={"code": "tea", "name_zh": "茶叶", "name_en": "Tea"})
    assert "茶叶" in client.get("/admin/categories").get_data(as_text=True)
    page = client.post("/admin/categories", data={"code": "tea", "name_zh": "茶", "name_en": "T"})
    assert "exists already" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/admin/cooperatives", "/admin/cooperatives/new", "/admin/categories"]
)
def test_managers_cannot_reach_the_admin_pages(client, auth, create_user, path):
    create_user(email="m@example.com", roles=["cooperative_manager"])
    auth.login("m@example.com")
    assert client.get(path).status_code == 403
