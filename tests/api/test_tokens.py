"""Tokens: logging in through the API, hashed storage, expiry, revocation, no session cookie."""

import hashlib
from datetime import datetime, timedelta

import pytest

from marketplace import create_app
from marketplace.accounts.models import ApiToken
from marketplace.clock import utcnow
from marketplace.extensions import db
from tests.conftest import make_test_config


def _login(client, login, password="linxia-demo"):
    return client.post("/api/v1/tokens", json={"login": login, "password": password})


def test_login_returns_a_token_that_is_stored_only_as_its_hash(client, create_user):
    user = create_user(email="ma@example.com", roles=["admin"])
    response = _login(client, "MA@example.com")
    assert response.status_code == 201
    body = response.get_json()
    assert body["user"] == {"id": user.id, "name": user.name, "roles": ["buyer", "admin"]}
    token = body["token"]
    assert "Set-Cookie" not in response.headers  # the API keeps no session
    row = db.session.scalar(db.select(ApiToken))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.token_hash, str(row.id)}
    expires = datetime.fromisoformat(body["expires_at"].removesuffix("Z"))
    assert timedelta(days=29, hours=23) < expires - utcnow() <= timedelta(days=30)


def test_a_token_opens_the_calls_that_need_one(client, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    token = _login(client, "admin@example.com").get_json()["token"]
    response = client.get("/api/v1/households", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_login_with_a_mobile_number(client, create_user):
    create_user(phone="13912345678")
    assert _login(client, "139 1234 5678").status_code == 201


def test_an_empty_password_is_a_400_and_issues_no_token(client, create_user):
    create_user(email="ma@example.com")
    response = _login(client, "ma@example.com", "")
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid"
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_wrong_password_is_401_invalid_credentials(client, create_user):
    create_user(email="ma@example.com")
    response = _login(client, "ma@example.com", "wrong-password")
    assert response.status_code == 401
    assert response.get_json() == {
        "error": "invalid_credentials",
        "message": "Wrong e-mail/mobile number or password.",
    }


def test_inactive_account_cannot_log_in(client, create_user):
    user = create_user(email="ma@example.com")
    user.active = False
    db.session.commit()
    assert _login(client, "ma@example.com").status_code == 401


def test_missing_fields_are_named_in_a_400(client):
    response = client.post("/api/v1/tokens", json={"login": "ma@example.com"})
    assert response.status_code == 400
    assert response.get_json()["fields"] == {"password": "This field is required."}


def test_a_body_that_is_not_json_gets_415(client):
    response = client.post("/api/v1/tokens", data={"login": "a", "password": "b"})
    assert response.status_code == 415
    assert response.get_json()["error"] == "unsupported_media_type"


def test_revoked_token_gets_401(client, create_user, bearer):
    headers = bearer(create_user(roles=["admin"]))
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert db.session.scalar(db.select(ApiToken)).revoked_at is not None
    response = client.get("/api/v1/households", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_gets_401(client, create_user, bearer):
    headers = bearer(create_user(roles=["admin"]), days=30, now=utcnow() - timedelta(days=31))
    assert client.get("/api/v1/households", headers=headers).status_code == 401


def test_token_of_a_deactivated_account_gets_401(client, create_user, bearer):
    user = create_user(roles=["admin"])
    headers = bearer(user)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/households", headers=headers).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer not-a-token", "Basic YWRtaW46YWRtaW4=", "not-a-token"]
)
def test_malformed_or_unknown_tokens_get_401(client, header):
    response = client.get("/api/v1/products", headers={"Authorization": header})
    assert response.status_code == 401


def test_the_session_cookie_alone_gets_401(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    assert auth.login("admin@example.com").status_code == 302
    assert client.get("/admin").status_code == 200  # the browser session works for pages
    assert client.get("/api/v1/households").status_code == 401
    assert client.delete("/api/v1/tokens/current").status_code == 401


def test_revoking_needs_a_token(client):
    assert client.delete("/api/v1/tokens/current").status_code == 401


def test_token_lifetime_comes_from_config(database_url, upload_dir, _migrated, create_user):
    create_user(email="ma@example.com")
    app = create_app(make_test_config(database_url, upload_dir, API_TOKEN_DAYS=7))
    body = _login(app.test_client(), "ma@example.com").get_json()
    expires = datetime.fromisoformat(body["expires_at"].removesuffix("Z"))
    assert timedelta(days=6, hours=23) < expires - utcnow() <= timedelta(days=7)


def test_the_api_needs_no_csrf_token(database_url, upload_dir, _migrated, create_user):
    create_user(email="ma@example.com")
    app = create_app(make_test_config(database_url, upload_dir, WTF_CSRF_ENABLED=True))
    assert _login(app.test_client(), "ma@example.com").status_code == 201
    # ...while the pages still demand one.
    page = app.test_client().post("/login", data={"login": "ma@example.com", "password": "x"})
    assert page.status_code == 400


def test_eleventh_rapid_token_request_gets_429(database_url, upload_dir, _migrated):
    app = create_app(make_test_config(database_url, upload_dir, RATELIMIT_ENABLED=True))
    client = app.test_client()
    codes = [_login(client, "x@example.com", "wrong-pass").status_code for _ in range(11)]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    assert client.post("/api/v1/tokens", json={}).get_json()["error"] == "rate_limited"


def test_changing_the_password_revokes_every_api_token(client, auth, create_user, bearer):
    user = create_user(email="ma@example.com", roles=["admin"])
    phone, tablet = bearer(user), bearer(user)
    someone_else = bearer(create_user(roles=["admin"]))
    auth.login("ma@example.com")
    response = client.post(
        "/account/password",
        data={"current": "linxia-demo", "password": "new-secret-1", "confirm": "new-secret-1"},
    )
    assert response.status_code == 302
    for headers in (phone, tablet):
        assert client.get("/api/v1/households", headers=headers).status_code == 401
    assert client.get("/api/v1/households", headers=someone_else).status_code == 200
    # The new password opens the API again.
    assert _login(client, "ma@example.com", "new-secret-1").status_code == 201


def test_a_wrong_current_password_revokes_nothing(app, create_user, bearer, client):
    from marketplace.accounts.services import change_password
    from marketplace.errors import DomainError

    user = create_user(email="ma@example.com", roles=["admin"])
    headers = bearer(user)
    with app.test_request_context(), pytest.raises(DomainError):
        change_password(user, "wrong-password", "new-secret-1")
    db.session.rollback()
    assert client.get("/api/v1/households", headers=headers).status_code == 200


def test_revoking_all_tokens_logs_out_every_device(client, create_user, bearer):
    user = create_user(roles=["admin"])
    phone, tablet = bearer(user), bearer(user)
    assert client.delete("/api/v1/tokens", headers=phone).status_code == 204
    assert client.get("/api/v1/households", headers=tablet).status_code == 401
    assert db.session.scalar(db.select(db.func.count()).where(ApiToken.revoked_at.is_(None))) == 0
