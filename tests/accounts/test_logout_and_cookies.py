"""Logout ends the remembered login too, and the remember cookie is Secure and short-lived
(issue 17, items 1 and 2)."""

from datetime import UTC, datetime, timedelta

from marketplace import create_app
from marketplace.config import load_config
from tests.conftest import IsolatedClient, make_test_config


def _login_remembered(client):
    return client.post(
        "/login",
        data={"login": "m@example.com", "password": "linxia-demo", "remember": "y"},
    )


def test_logout_deletes_the_remember_cookie_and_ends_the_remembered_login(app, client, create_user):
    create_user(email="m@example.com")
    _login_remembered(client)
    remembered = client.get_cookie("remember_token").value
    session_cookie = client.get_cookie("session").value

    response = client.post("/logout")
    deleted = [c for c in response.headers.getlist("Set-Cookie") if "remember_token=" in c]
    assert deleted and "remember_token=;" in deleted[0] and "Max-Age=0" in deleted[0]
    assert client.get_cookie("remember_token") is None
    assert client.get("/account").status_code == 302

    # A copy of either cookie taken before the logout opens nothing afterwards.
    for name, value in (("remember_token", remembered), ("session", session_cookie)):
        replay = app.test_client()
        replay.set_cookie(name, value)
        assert replay.get("/account").status_code == 302, name


def test_a_remember_cookie_logs_in_until_logout(app, client, create_user):
    create_user(email="m@example.com")
    _login_remembered(client)
    remembered = client.get_cookie("remember_token").value
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered)
    assert fresh.get("/account").status_code == 200  # the cookie works before logout


def test_remember_cookie_is_secure_and_lasts_30_days_by_default(
    database_url, upload_dir, _migrated, create_user, monkeypatch
):
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "REMEMBER_COOKIE_DAYS"):
        monkeypatch.delenv(name, raising=False)
    config = make_test_config(database_url, upload_dir)
    del config["SESSION_COOKIE_SECURE"]  # production defaults
    app = create_app(config)
    app.test_client_class = IsolatedClient
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)
    with app.app_context():
        create_user(email="m@example.com")
    client = app.test_client()
    response = _login_remembered(client)
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if "remember_token=" in c]
    assert "Secure" in cookie and "HttpOnly" in cookie
    lasts = client.get_cookie("remember_token").expires - datetime.now(UTC)
    assert timedelta(days=29, hours=23) < lasts <= timedelta(days=30)

    monkeypatch.setenv("REMEMBER_COOKIE_DAYS", "7")
    assert load_config(app.instance_path)["REMEMBER_COOKIE_DURATION"] == timedelta(days=7)
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    assert load_config(app.instance_path)["REMEMBER_COOKIE_SECURE"] is False


def test_the_development_server_sends_the_remember_cookie_over_http(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"UPLOAD_FOLDER": str(tmp_path)})
    assert app.config["REMEMBER_COOKIE_SECURE"] is False
