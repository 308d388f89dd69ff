"""Stations through the API: filtered by kind and county, inactive ones hidden."""

import pytest

from marketplace.regions.services import get_by_code


@pytest.fixture
def network(create_station, create_village):
    yongjing, dongxiang = get_by_code("622923"), get_by_code("622926")
    return {
        "yongjing_centre": create_station("county_center", region=yongjing, code="YJ-C"),
        "liujiaxia_station": create_station(
            "township_station", region=get_by_code("622923100"), code="YJ-T"
        ),
        "village_point": create_station(
            "village_point", region=create_village("622923100"), code="YJ-V", cold_chain=True
        ),
        "dongxiang_centre": create_station("county_center", region=dongxiang, code="DX-C"),
        "closed": create_station("village_point", region=yongjing, code="YJ-X", active=False),
    }


def _codes(client, query=""):
    response = client.get(f"/api/v1/stations{query}")
    assert response.status_code == 200
    return [item["code"] for item in response.get_json()["items"]]


def test_all_active_stations_by_region_code(client, network):
    assert _codes(client) == ["YJ-C", "YJ-T", "YJ-V", "DX-C"]


def test_filter_by_kind_and_county(client, network):
    assert _codes(client, "?kind=county_center") == ["YJ-C", "DX-C"]
    assert _codes(client, "?county_code=622923") == ["YJ-C", "YJ-T", "YJ-V"]
    assert _codes(client, "?kind=village_point&county_code=622923") == ["YJ-V"]


def test_a_station_gives_its_kind_and_region(client, network):
    (item,) = client.get("/api/v1/stations?kind=village_point").get_json()["items"]
    station = network["village_point"]
    assert item["id"] == station.id and item["kind"] == "village_point"
    assert item["region"] == {"code": station.region.code, "name": station.region.name_en}
    assert item["cold_chain"] is True


def test_an_unknown_kind_is_a_400(client):
    response = client.get("/api/v1/stations?kind=airport")
    assert response.status_code == 400
    assert "kind" in response.get_json()["fields"]
