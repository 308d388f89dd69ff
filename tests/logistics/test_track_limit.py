"""Wrong phone digits at /track/<code> are limited per parcel, like pickup codes."""

import pytest

from marketplace.extensions import db
from marketplace.logistics.scans import record_scan
from tests.conftest import make_test_config


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    return make_test_config(
        database_url, upload_dir, RATELIMIT_ENABLED=True, TRACK_RATE_LIMIT="3 per 15 minutes"
    )


def test_wrong_digits_lock_the_parcel_for_everyone(client, line, place_order, create_user):
    buyer = create_user(email="phone-buyer@example.com", phone="13912345678")
    parcel = place_order(buyer=buyer).parcel
    record_scan(parcel, line.a, "received", line.ops["A"])
    db.session.commit()

    def attempt(digits, address="10.0.0.1"):
        return client.post(
            f"/track/{parcel.code}",
            data={"phone_last4": digits},
            environ_overrides={"REMOTE_ADDR": address},
        ).status_code

    # The right digits do not count; three wrong ones do, from any address.
    assert attempt("5678") == 200
    assert [attempt("0000", f"10.0.0.{n}") for n in range(3)] == [200, 200, 200]
    assert attempt("0000", "10.0.0.9") == 429
    assert attempt("5678", "10.0.0.10") == 429
