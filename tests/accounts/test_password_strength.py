"""Easily guessed passwords are refused beside the field, in both languages
(issue 17, item 12)."""

import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db

WEAK = b"This password is too easy to guess"
WEAK_ZH = "这个密码太容易被猜到"


def _register(client, login, password, **headers):
    return client.post(
        "/register",
        data={"name": "王芳", "login": login, "password": password, "confirm": password},
        headers=headers,
    )


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("wang@example.com", "12345678"),
        ("wang@example.com", "password"),
        ("wang@example.com", "qwertyuiop"),
        ("wang@example.com", "wang@example.com"),
        ("wang@example.com", "WANG@example.com!"),
        ("13800001234", "13800001234"),
        ("13800001234", "x13800001234"),
    ],
)
def test_register_refuses_a_weak_password(client, login, password):
    response = _register(client, login, password)
    assert response.status_code == 200 and WEAK in response.data
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_the_message_is_in_chinese_beside_the_field(client):
    html = _register(client, "wang@example.com", "12345678", **{"Accept-Language": "zh"}).get_data(
        as_text=True
    )
    assert WEAK_ZH in html
    assert html.index(WEAK_ZH) > html.index('name="password"')


def test_a_strong_password_is_accepted(client):
    assert _register(client, "wang@example.com", "lily-harvest-2024").status_code == 302


def test_changing_to_a_weak_password_is_refused(client, auth, create_user):
    create_user(email="m@example.com")
    auth.login("m@example.com")
    for weak in ("11111111", "m@example.com1"):
        response = client.post(
            "/account/password",
            data={"current": "linxia-demo", "password": weak, "confirm": weak},
        )
        assert response.status_code == 200 and WEAK in response.data, weak
    assert auth.logout().status_code == 302
    assert auth.login("m@example.com").status_code == 302  # the old password still works
