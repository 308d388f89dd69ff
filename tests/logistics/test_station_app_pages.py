"""The station app's page, manifest and service worker: what "add to home screen" and
working offline need (the installability checks Lighthouse makes), served by the app."""

import io
import json
import re

import pytest
from PIL import Image


@pytest.fixture
def operator(create_user, create_station):
    user = create_user(email="op@example.com", roles=["station_operator"])
    station = create_station("village_point", name="示例服务点", operators=[user])
    return user, station


def app_data(html: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="station-app-data">(.*?)</script>', html, re.S
    )
    return json.loads(found.group(1))


def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    response = client.get("/station-app/")
    assert response.status_code == 302
    assert "/login" in response.location and "station-app" in response.location


def test_the_page_opens_on_the_operators_station_with_its_controls(client, auth, operator):
    user, station = operator
    auth.login("op@example.com")
    response = client.get("/station-app/", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for testid in ("parcel-code", "scan-action", "pickup-code", "scan-submit", "pending-count",
                   "sync-now"):  # fmt: skip
        assert f'data-testid="{testid}"' in html, testid
    actions = re.findall(r'<option value="(\w+)"', html)
    assert actions == ["received", "departed", "arrived", "handed_over", "handed_to_carrier"]
    # Without JavaScript the form still records a scan through the station's scan page.
    assert f'action="/stations/{station.id}/scan"' in html
    assert 'rel="manifest" href="/station-app/manifest.webmanifest"' in html
    data = app_data(html)
    assert data["station_id"] == station.id and data["user_id"] == user.id
    assert data["words"]["pending"] == "待发送"
    assert data["actions"]["handed_over"] == "已交付买家"
    # No inline script runs (the CSP allows none): the data block is JSON only.
    assert "<script>" not in html


def test_the_scripts_words_follow_the_language(client, auth, operator):
    auth.login("op@example.com")
    client.get("/language/en")
    data = app_data(client.get("/station-app/").get_data(as_text=True))
    assert data["words"]["pending"] == "Waiting to send" and data["locale"] == "en"


def test_an_operator_of_several_stations_chooses_one(client, auth, operator, create_station):
    user, first = operator
    second = create_station("township_station", name="示例乡镇站", operators=[user])
    auth.login("op@example.com")
    html = client.get("/station-app/").get_data(as_text=True)
    assert 'data-testid="station-choice"' in html and 'data-testid="parcel-code"' not in html
    assert f"/station-app/?station={second.id}" in html
    html = client.get(f"/station-app/?station={second.id}").get_data(as_text=True)
    assert app_data(html)["station_id"] == second.id
    assert 'data-testid="change-station"' in html
    other = create_station("village_point", name="别人的服务点")
    html = client.get(f"/station-app/?station={other.id}").get_data(as_text=True)
    assert 'data-testid="station-choice"' in html


def test_buyers_may_not_open_it(client, auth, create_user):
    create_user(email="b@example.com")
    auth.login("b@example.com")
    assert client.get("/station-app/").status_code == 403
    assert client.get("/station-app/csrf").status_code == 403


def test_the_manifest_makes_it_installable(client):
    response = client.get("/station-app/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["name"] and manifest["short_name"]
    assert manifest["start_url"] == manifest["scope"] == "/station-app/"
    assert manifest["display"] in ("standalone", "fullscreen", "minimal-ui")
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {}
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        width, height = Image.open(io.BytesIO(image.data)).size
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon["purpose"], set()).add(width)
    assert {192, 512} <= sizes["any"] and 512 in sizes["maskable"]


def test_the_service_worker_is_served_in_its_scope_and_keeps_the_app(client, auth, operator):
    response = client.get("/station-app/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/station-app/"
    assert "no-cache" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    assert 'addEventListener("fetch"' in body and 'addEventListener("install"' in body
    shell = json.loads(re.search(r"const SHELL = (.*);", body).group(1))
    assert shell[0] == "/station-app/"
    auth.login("op@example.com")
    for url in shell:  # everything the app needs is served here, no CDN
        assert client.get(url).status_code == 200, url
    html = client.get("/station-app/").get_data(as_text=True)
    assert "https://" not in " ".join(re.findall(r'(?:src|href)="([^"]+)"', html))


def test_the_csrf_token_is_fresh_and_never_stored(client, auth, operator):
    auth.login("op@example.com")
    response = client.get("/station-app/csrf")
    assert response.status_code == 200 and response.get_json()["csrf_token"]
    assert response.headers["Cache-Control"] == "no-store"
