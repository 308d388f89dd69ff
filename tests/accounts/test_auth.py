"""Registering, logging in and out, changing passwords, rate limits and CSRF."""

import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.conftest import make_test_config


def test_register_creates_a_buyer_and_logs_in(client):
    response = client.post(
        "/register",
        data={
            "name": "王芳",
            "login": "wang@example.com",
            "password": "secret-pass",
            "confirm": "secret-pass",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "wang@example.com"))
    assert user is not None and user.roles == set()
    # Hashed with the configured method (the suite's cheap one; scrypt by default, below).
    assert (
        user.password_hash.startswith("pbkdf2:sha256:1$")
        and "secret-pass" not in user.password_hash
    )
    assert client.get("/account").status_code == 200


def test_register_with_a_mobile_number(client):
    client.post(
        "/register",
        data={
            "name": "马",
            "login": "138 0000 1234",
            "password": "secret-pass",
            "confirm": "secret-pass",
        },
    )
    user = db.session.scalar(db.select(User).where(User.phone == "13800001234"))
    assert user is not None and user.email is None


@pytest.mark.parametrize(
    ("login", "password", "confirm", "message"),
    [
        ("not-an-address", "secret-pass", "secret-pass", b"11-digit mobile number"),
        ("a@example.com", "short", "short", b"Use 8 to 128 characters"),
        ("a@example.com", "secret-pass", "other-pass", b"Passwords do not match"),
    ],
)
def test_register_rejects_bad_input_with_a_message(client, login, password, confirm, message):
    response = client.post(
        "/register", data={"name": "x", "login": login, "password": password, "confirm": confirm}
    )
    assert response.status_code == 200
    assert message in response.data
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_register_twice_with_the_same_email_is_refused(client, create_user):
    create_user(email="taken@example.com")
    response = client.post(
        "/register",
        data={
            "name": "x",
            "login": "TAKEN@example.com",
            "password": "secret-pass",
            "confirm": "secret-pass",
        },
    )
    assert b"already exists" in response.data


def test_login_with_email_or_mobile(client, auth, create_user):
    create_user(email="m@example.com", phone="13912345678")
    assert auth.login("m@example.com").status_code == 302
    auth.logout()
    assert auth.login("13912345678").status_code == 302
    assert client.get("/account").status_code == 200


def test_wrong_password_is_rejected(client, auth, create_user):
    create_user(email="m@example.com")
    response = auth.login("m@example.com", "wrong-password")
    assert response.status_code == 200
    assert b"Wrong e-mail/mobile number or password" in response.data
    assert client.get("/account").status_code == 302


def test_logout_ends_the_session(client, auth, create_user):
    create_user(email="m@example.com")
    auth.login("m@example.com")
    assert auth.logout().status_code == 302
    assert client.get("/account").status_code == 302


def test_login_starts_a_fresh_session(client, auth, create_user):
    create_user(email="m@example.com")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("m@example.com")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_change_password_requires_the_current_one(client, auth, create_user):
    create_user(email="m@example.com")
    auth.login("m@example.com")
    bad = client.post(
        "/account/password",
        data={"current": "nope-nope", "password": "new-secret-1", "confirm": "new-secret-1"},
    )
    assert b"current password is wrong" in bad.data
    good = client.post(
        "/account/password",
        data={"current": "linxia-demo", "password": "new-secret-1", "confirm": "new-secret-1"},
    )
    assert good.status_code == 302
    auth.logout()
    assert auth.login("m@example.com", "linxia-demo").status_code == 200
    assert auth.login("m@example.com", "new-secret-1").status_code == 302


def test_password_change_ends_other_sessions(app, create_user):
    create_user(email="m@example.com")
    phone, laptop = app.test_client(), app.test_client()
    for c in (phone, laptop):
        c.post("/login", data={"login": "m@example.com", "password": "linxia-demo"})
    laptop.post(
        "/account/password",
        data={"current": "linxia-demo", "password": "new-secret-1", "confirm": "new-secret-1"},
    )
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302


def test_eleventh_rapid_login_attempt_gets_429(database_url, upload_dir, _migrated):
    from marketplace import create_app

    app = create_app(make_test_config(database_url, upload_dir, RATELIMIT_ENABLED=True))
    client = app.test_client()
    codes = [
        client.post("/login", data={"login": "x@example.com", "password": "wrong-pass"}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429


def test_post_without_csrf_token_gets_400(database_url, upload_dir, _migrated):
    from marketplace import create_app

    app = create_app(make_test_config(database_url, upload_dir, WTF_CSRF_ENABLED=True))
    response = app.test_client().post(
        "/login", data={"login": "a@b.cn", "password": "x"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert b"form expired" in response.data


def test_a_visitors_cart_survives_registration(client, create_product):
    from marketplace.orders.models import CartItem

    product = create_product()
    with client.session_transaction() as session:
        session["cart"] = {str(product.id): 2}
    client.post(
        "/register",
        data={
            "name": "x",
            "login": "new@example.com",
            "password": "secret-pass",
            "confirm": "secret-pass",
        },
    )
    item = db.session.scalar(db.select(CartItem))
    assert item is not None and (item.product_id, item.quantity) == (product.id, 2)


def test_passwords_are_hashed_with_the_configured_method(app, create_user, monkeypatch):
    from marketplace.config import load_config

    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    assert load_config(app.instance_path)["PASSWORD_HASH_METHOD"] == "scrypt"
    cheap = create_user(email="cheap@example.com", password="pw-cheap-1")
    assert cheap.password_hash.startswith("pbkdf2:sha256:1$")
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    slow = create_user(email="slow@example.com", password="pw-slow-1")
    assert slow.password_hash.startswith("scrypt:")
    assert cheap.check_password("pw-cheap-1") and slow.check_password("pw-slow-1")
    assert not slow.check_password("pw-cheap-1")
