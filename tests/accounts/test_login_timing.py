"""The login answers as slowly for an unknown account as for a wrong password, so its
timing does not tell who has an account (issue 17, item 12)."""

import time

import pytest

from tests.conftest import make_test_config


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    # A hash slow enough (about 0.05 s) that skipping it shows; the suite's default is 1 round.
    return make_test_config(database_url, upload_dir, PASSWORD_HASH_METHOD="pbkdf2:sha256:150000")


def _page(client, login):
    response = client.post("/login", data={"login": login, "password": "wrong-password"})
    assert response.status_code == 200


def _token(client, login):
    response = client.post("/api/v1/tokens", json={"login": login, "password": "wrong-password"})
    assert response.status_code == 401


@pytest.mark.parametrize("attempt", [_page, _token])
def test_an_unknown_login_takes_as_long_as_a_wrong_password(client, create_user, attempt):
    create_user(email="m@example.com")

    def fastest(login):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            attempt(client, login)
            times.append(time.perf_counter() - start)
        return min(times)

    known, unknown = fastest("m@example.com"), fastest("nobody@example.com")
    assert unknown > known * 0.5, (known, unknown)
