"""Administrators maintain stations and links, and import and export them as CSV."""

import csv
import io

import pytest

from marketplace.extensions import db
from marketplace.logistics.models import Link, Station
from marketplace.regions.services import get_by_code


@pytest.fixture
def admin(create_user, auth):
    user = create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    return user


@pytest.mark.parametrize(
    "path",
    ["/admin/stations", "/admin/stations/new", "/admin/stations/import",
     "/admin/stations/export.csv", "/admin/links/export.csv"],
)  # fmt: skip
def test_station_administration_is_for_administrators_only(client, auth, create_user, path):
    assert client.get(path).status_code == 302  # to the login page
    create_user(email="op@example.com", roles=["station_operator"])
    auth.login("op@example.com")
    assert client.get(path).status_code == 403


def test_admin_creates_a_station_with_its_operator(client, admin, create_user):
    operator = create_user(email="op@example.com", name="Ma Operator", roles=["station_operator"])
    county = get_by_code("622923")
    page = client.get("/admin/stations/new")
    assert page.status_code == 200 and b"Ma Operator" in page.data
    response = client.post(
        "/admin/stations/new",
        data={
            "code": "CC1", "kind": "county_center", "region_id": county.id,
            "name_zh": "永靖县中心", "name_en": "Yongjing centre", "opening_hours": "8-20",
            "cold_chain": "y", "capacity_per_day": "500", "active": "y",
            "operators": [operator.id],
        },
    )  # fmt: skip
    assert response.status_code == 302
    station = db.session.scalar(db.select(Station).where(Station.code == "CC1"))
    assert station.cold_chain and station.capacity_per_day == 500
    assert [u.email for u in station.operators] == ["op@example.com"]
    listing = client.get("/admin/stations?q=CC1").get_data(as_text=True)
    assert "Yongjing centre" in listing and "assumptions" in listing


def test_a_station_must_match_the_level_of_its_region(client, admin):
    page = client.post(
        "/admin/stations/new",
        data={"code": "X1", "kind": "village_point", "region_id": get_by_code("622923").id,
              "name_zh": "错", "capacity_per_day": "10"},
    )  # fmt: skip
    assert page.status_code == 200
    assert b"a village point to a village" in page.data
    assert db.session.scalar(db.select(Station).where(Station.code == "X1")) is None


def test_admin_adds_a_scheduled_link_with_costs_in_yuan(client, admin, create_station):
    township = create_station("township_station", get_by_code("622923100"), code="TS1")
    county = create_station("county_center", get_by_code("622923"), code="CC1")
    response = client.post(
        f"/admin/stations/{township.id}/links/new",
        data={
            "from_station_id": township.id, "to_station_id": county.id, "distance_km": "35",
            "cost_per_run_fen": "60.50", "cost_per_kg_fen": "0.10", "transit_minutes": "90",
            "cold_chain": "y", "weekdays": ["1", "4"], "departs_at": "14:00",
            "cost_is_assumption": "y", "active": "y",
        },
    )  # fmt: skip
    assert response.status_code == 302
    link = db.session.scalar(db.select(Link))
    assert (link.cost_per_run_fen, link.cost_per_kg_fen, link.weekdays) == (6050, 10, "14")
    assert link.departs_at.strftime("%H:%M") == "14:00"
    edit = client.get(f"/admin/links/{link.id}").get_data(as_text=True)
    assert 'value="60.50"' in edit
    page = client.get(f"/admin/stations/{township.id}").get_data(as_text=True)
    assert "¥60.50" in page and "14:00" in page


def test_an_express_link_only_leaves_a_county_centre(client, admin, create_station):
    township = create_station("township_station", get_by_code("622923100"))
    page = client.post(
        f"/admin/stations/{township.id}/links/new",
        data={"from_station_id": township.id, "to_station_id": 0, "carrier": "EMS",
              "cost_per_run_fen": "10", "cost_per_kg_fen": "8", "transit_minutes": "2880",
              "weekdays": ["1"], "departs_at": "17:00", "distance_km": "0"},
    )  # fmt: skip
    assert page.status_code == 200 and b"Only a county centre" in page.data
    assert db.session.scalar(db.select(db.func.count()).select_from(Link)) == 0


def test_stations_and_links_export_and_import_again(client, admin, line):
    stations = client.get("/admin/stations/export.csv")
    links = client.get("/admin/links/export.csv")
    assert stations.mimetype == "text/csv"
    text = stations.data.decode("utf-8-sig")
    assert text.startswith("code,kind,region_code") and "op-a@example.com" in text
    assert "30.00" in links.data.decode("utf-8-sig")  # cost per run, in yuan
    # Change one cost in the file and import it back: the link is updated, none added.
    changed = links.data.decode("utf-8-sig").replace("30.00", "31.00", 1).encode()
    response = client.post(
        "/admin/stations/import",
        data={"what": "links", "file": (io.BytesIO(changed), "links.csv")},
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Link)) == 8
    costs = sorted(db.session.scalars(db.select(Link.cost_per_run_fen)))
    assert costs == [3000] * 7 + [3100]
    response = client.post(
        "/admin/stations/import",
        data={"what": "stations", "file": (io.BytesIO(stations.data), "stations.csv")},
    )
    assert response.status_code == 302


def test_an_import_with_errors_saves_nothing_and_names_the_lines(client, admin):
    csv = (
        "code,kind,region_code,name_zh,name_en,address,opening_hours,cold_chain,"
        "capacity_per_day,active,operators\n"
        "TS9,township_station,622923100,好站,,,,yes,100,yes,\n"
        "TS10,township_station,999999,坏站,,,,yes,100,yes,\n"
        "TS11,township_station,622923101,坏站,,,,maybe,-3,yes,nobody@example.com\n"
    )
    page = client.post(
        "/admin/stations/import",
        data={"what": "stations", "file": (io.BytesIO(csv.encode()), "s.csv")},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Line 3: Unknown region code" in html and "Line 4:" in html
    assert "Line 2" not in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Station)) == 0


def test_exports_escape_formulas_and_import_them_back_unchanged(client, admin, line, create_user):
    # Issue 17, item 10: a login e-mail like this one came out of the export as a formula.
    login = '=HYPERLINK("http://evil.example","x")@x.co'
    operator = create_user(email=login, roles=["station_operator"])
    station = line.a
    station.operators[:] = [operator]
    station.address = "-3 号, +86 @ 院"
    db.session.commit()
    exported = client.get("/admin/stations/export.csv").data
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert "'-3 号, +86 @ 院" in cells
    assert f"'{login}" in cells
    assert "100" in cells  # numbers are written as they are
    response = client.post(
        "/admin/stations/import",
        data={"what": "stations", "file": (io.BytesIO(exported), "stations.csv")},
    )
    assert response.status_code == 302
    db.session.expire_all()
    station = db.session.get(Station, station.id)
    assert station.address == "-3 号, +86 @ 院"
    assert [u.id for u in station.operators] == [operator.id]
