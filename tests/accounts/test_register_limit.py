"""Registration tells when an address is taken, so each client address gets a small
budget of attempts an hour (issue 17, item 12)."""

import pytest

from tests.conftest import make_test_config


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    # The login budget is wide here: registration must be limited on its own.
    return make_test_config(
        database_url, upload_dir, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="1000 per minute"
    )


def _register(client, login, address="10.0.0.1"):
    return client.post(
        "/register",
        data={"name": "x", "login": login, "password": "secret-pass", "confirm": "secret-pass"},
        environ_overrides={"REMOTE_ADDR": address},
    )


def test_the_eleventh_registration_attempt_in_an_hour_gets_429(client, create_user):
    create_user(email="taken@example.com")
    answers = [_register(client, "taken@example.com") for _ in range(11)]
    assert all(b"already exists" in a.data for a in answers[:10])
    assert answers[10].status_code == 429
    assert _register(client, "other@example.com", address="10.0.0.2").status_code == 302
