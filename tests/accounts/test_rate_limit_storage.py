"""Redis unreachable: logins, registration and tokens still work, limited in memory
(issue 17, item 3)."""

import logging
import socket

import pytest

from marketplace.extensions import limiter
from tests.conftest import make_test_config


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    redis = f"redis://127.0.0.1:{_closed_port()}/0"
    return make_test_config(
        database_url,
        upload_dir,
        RATELIMIT_ENABLED=True,
        REDIS_URL=redis,
        RATELIMIT_STORAGE_URI=redis,
        LOGIN_RATE_LIMIT="3 per minute",
    )


@pytest.fixture(autouse=True)
def _limiter_sees_storage_again():
    """The limiter object is shared by every app of the run: once it has marked Redis dead,
    the next test's limits would count in the fallback, then restart when it rechecks."""
    yield
    limiter._storage_dead = False


def test_login_register_and_tokens_work_while_redis_is_down(client, create_user, caplog):
    create_user(email="m@example.com")
    with caplog.at_level(logging.WARNING):
        login = client.post("/login", data={"login": "m@example.com", "password": "linxia-demo"})
    assert login.status_code == 302
    assert any("falling back to in-memory" in r.getMessage() for r in caplog.records)
    assert client.get("/account").status_code == 200
    client.post("/logout")

    register = client.post(
        "/register",
        data={
            "name": "x",
            "login": "new@example.com",
            "password": "secret-pass",
            "confirm": "secret-pass",
        },
    )
    assert register.status_code == 302
    token = client.post(
        "/api/v1/tokens", json={"login": "m@example.com", "password": "linxia-demo"}
    )
    assert token.status_code == 201


def test_the_login_limit_still_holds_in_memory(client):
    codes = [
        client.post("/login", data={"login": "x@example.com", "password": "wrong"}).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
