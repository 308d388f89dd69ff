"""The carrier integration's signature check, on its own (the webhook tests go through it)."""

import json
import time

import pytest

from marketplace.logistics import carrier_gateway
from marketplace.logistics.carrier_gateway import InvalidWebhook, verify_webhook

from .carrier_standin import sign

SECRET = "whsec_unit"
BODY = json.dumps({"id": "evt_1", "status": "delivered"}).encode()


def test_a_correct_signature_within_the_tolerance_gives_the_event():
    now = time.time()
    assert (
        verify_webhook(BODY, sign(BODY, SECRET, int(now) - 299), SECRET, now=now)["id"] == "evt_1"
    )
    # One of several v1 signatures (a key being rotated) is enough.
    header = sign(BODY, SECRET, int(now)).replace("v1=", "v1=00ff,v1=")
    assert verify_webhook(BODY, header, SECRET, now=now)["status"] == "delivered"


# Built when the test runs (the ids stay the same on every xdist worker).
REFUSED = {
    "missing": lambda: None,
    "empty": lambda: "",
    "no_t": lambda: "v1=abc",
    "bad_t": lambda: "t=notanumber,v1=abc",
    "no_v1": lambda: "t=1700000000",
    "other_secret": lambda: sign(BODY, "another-secret"),
    "other_body": lambda: sign(BODY + b" ", SECRET),
    "stale": lambda: sign(BODY, SECRET, int(time.time()) - 400),
    "future": lambda: sign(BODY, SECRET, int(time.time()) + 400),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_missing_wrong_or_stale_signature_is_refused(case):
    with pytest.raises(InvalidWebhook):
        verify_webhook(BODY, REFUSED[case](), SECRET)


def test_no_secret_configured_refuses_everything():
    with pytest.raises(InvalidWebhook):
        verify_webhook(BODY, sign(BODY, SECRET), None)


def test_a_signed_body_that_is_not_a_json_object_is_refused():
    for body in (b"not json", b"[1, 2]"):
        with pytest.raises(InvalidWebhook):
            verify_webhook(body, sign(body, SECRET), SECRET)


def test_without_an_api_base_subscribing_only_logs(app):
    with app.app_context():
        assert carrier_gateway.subscribe("sf", "SF0000000000001", "http://x/cb") is False
