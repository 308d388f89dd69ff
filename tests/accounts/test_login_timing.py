"""The login does the same work for an unknown account as for a wrong password (one
password hash of the configured method), so its timing does not tell who has an account
(issue 17, item 12). Counted, not timed: speed is for `make bench`."""

import pytest
from werkzeug import security

from marketplace.accounts import models, services


@pytest.fixture
def hashes(monkeypatch):
    """The methods of the password hashes checked, in order."""
    checked = []

    def counting(pwhash, password):
        checked.append(pwhash.split("$", 1)[0])
        return security.check_password_hash(pwhash, password)

    monkeypatch.setattr(models, "check_password_hash", counting)
    monkeypatch.setattr(services, "check_password_hash", counting)
    return checked


def _page(client, login):
    response = client.post("/login", data={"login": login, "password": "wrong-password"})
    assert response.status_code == 200


def _token(client, login):
    response = client.post("/api/v1/tokens", json={"login": login, "password": "wrong-password"})
    assert response.status_code == 401


@pytest.mark.parametrize("attempt", [_page, _token])
def test_an_unknown_login_costs_one_hash_like_a_wrong_password(
    app, client, create_user, hashes, attempt
):
    create_user(email="m@example.com")
    attempt(client, "m@example.com")
    known = list(hashes)
    hashes.clear()
    attempt(client, "nobody@example.com")
    assert known == hashes == [app.config["PASSWORD_HASH_METHOD"]]
