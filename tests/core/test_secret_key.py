"""FLASK_DEBUG=1 without SECRET_KEY (say, left on under gunicorn) never signs sessions with
a known key (issue 17, item 12)."""

from flask import Flask

from marketplace import create_app
from tests.conftest import IsolatedClient, make_test_config


def _session_cookie_signed_with(key: str, data: dict) -> str:
    forger = Flask("forger")
    forger.secret_key = key
    return forger.session_interface.get_signing_serializer(forger).dumps(data)


def test_debug_without_a_secret_key_uses_a_random_key_per_process(
    app, create_user, database_url, upload_dir, monkeypatch
):
    user = create_user(email="m@example.com")
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = make_test_config(database_url, upload_dir)
    del config["SECRET_KEY"]
    debug_app = create_app(config)
    debug_app.test_client_class = IsolatedClient
    assert debug_app.secret_key != create_app(dict(config)).secret_key
    assert len(debug_app.secret_key) >= 32

    forged = _session_cookie_signed_with(
        "dev-only-not-secret", {"_user_id": user.get_id(), "_fresh": True}
    )
    client = debug_app.test_client()
    client.set_cookie("session", forged)
    assert client.get("/account").status_code == 302
