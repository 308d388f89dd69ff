"""Health checks that see the database, Allow on 405, no-store on pages with ID cards or
pickup codes, and X-Forwarded-For trusted only when configured (issue 17, item 12)."""

import pytest

from marketplace import create_app
from tests.conftest import IsolatedClient, make_test_config


def test_healthz_checks_the_database_and_livez_stays_trivial(client, upload_dir, tmp_path):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/livez").get_json() == {"status": "ok"}

    missing = tmp_path / "no-such-dir" / "down.db"
    down = create_app(make_test_config(f"sqlite:///{missing}", upload_dir)).test_client()
    response = down.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert down.get("/livez").status_code == 200


@pytest.mark.parametrize(
    ("path", "json"), [("/healthz", False), ("/api/v1/openapi.json", True), ("/logout", False)]
)
def test_405_answers_carry_an_allow_header(client, path, json):
    response = client.put(path)
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed & {"GET", "POST"}
    if json:
        assert response.get_json()["error"] == "method_not_allowed"


def test_pages_with_pickup_codes_or_id_cards_are_not_stored(
    client, auth, create_user, create_sale, create_lot, create_household
):
    buyer = create_user(email="m@example.com")
    sale = create_sale((create_lot(quantity=5).product, 1), buyer=buyer, until="ready")
    auth.login("m@example.com")
    page = client.get(f"/orders/{sale.order.reference}")
    assert b'data-testid="pickup-code"' in page.data
    assert page.headers["Cache-Control"] == "no-store"
    track = client.get(f"/track/{sale.parcel.code}")
    assert track.status_code == 200 and track.headers["Cache-Control"] == "no-store"
    auth.logout()

    create_household(id_card_no="62292319800101001X")
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    registry = client.get("/households")
    assert b"62292319800101001X" in registry.data
    assert registry.headers["Cache-Control"] == "no-store"
    assert client.get("/").headers.get("Cache-Control") != "no-store"  # others unchanged


def _login_codes(client, address, forwarded_for, tries):
    return [
        client.post(
            "/login",
            data={"login": "x@example.com", "password": "wrong-pass"},
            headers={"X-Forwarded-For": forwarded_for},
            environ_overrides={"REMOTE_ADDR": address},
        ).status_code
        for _ in range(tries)
    ]


def _limited_app(database_url, upload_dir, **extra):
    app = create_app(
        make_test_config(
            database_url,
            upload_dir,
            RATELIMIT_ENABLED=True,
            LOGIN_RATE_LIMIT="2 per minute",
            **extra,
        )
    )
    app.test_client_class = IsolatedClient
    return app.test_client()


def test_behind_one_proxy_rate_limits_count_the_real_client(database_url, upload_dir, _migrated):
    client = _limited_app(database_url, upload_dir, PROXY_FIX_X_FOR=1)
    assert _login_codes(client, "10.0.0.1", "203.0.113.7", 3) == [200, 200, 429]
    assert _login_codes(client, "10.0.0.1", "198.51.100.9", 1) == [200]


def test_without_a_proxy_a_forged_forwarded_for_changes_nothing(
    database_url, upload_dir, _migrated
):
    client = _limited_app(database_url, upload_dir)
    assert _login_codes(client, "10.0.0.1", "203.0.113.7", 3) == [200, 200, 429]
    assert _login_codes(client, "10.0.0.1", "198.51.100.9", 1) == [429]
