"""The Stripe gateway against the stand-in: idempotent creation, and webhook verification
with the real library."""

import json
import time
from datetime import timedelta

import pytest

from marketplace.clock import utcnow
from marketplace.payments import stripe_gateway

from .conftest import WEBHOOK_SECRET
from .stripe_standin import sign


def _create(key, amount=1500):
    return stripe_gateway.create_checkout_session(
        line_items=[("兰州百合", amount, 1)],
        success_url="http://x/ok",
        cancel_url="http://x/back",
        expires_at=utcnow() + timedelta(minutes=31),
        client_reference_id="LX1",
        metadata={"order_reference": "LX1"},
        idempotency_key=key,
    )


def test_creating_a_session_twice_with_the_same_key_returns_the_same_session(stripe_standin):
    first = _create("checkout-LX1-1")
    again = _create("checkout-LX1-1")

    assert first == again
    assert len(stripe_standin.sessions) == 1
    assert first.url.startswith(stripe_standin.url)


def test_reusing_a_key_with_other_parameters_is_refused(stripe_standin):
    _create("checkout-LX1-1")

    with pytest.raises(stripe_gateway.GatewayError) as caught:
        _create("checkout-LX1-1", amount=9900)

    assert not isinstance(caught.value, stripe_gateway.GatewayUnreachable)


def test_a_session_reads_back_as_stripe_sends_it(stripe_standin):
    created = _create("checkout-LX1-1")
    stripe_standin.pay(created.id)

    session = stripe_gateway.retrieve_checkout_session(created.id)

    assert (session.status, session.payment_status) == ("complete", "paid")
    assert session.payment_intent in stripe_standin.intents
    assert session.amount_total == 1500


def test_an_unreachable_stripe_is_reported_as_unreachable(app, closed_port_url):
    app.config["STRIPE_API_BASE"] = closed_port_url

    with pytest.raises(stripe_gateway.GatewayUnreachable):
        _create("checkout-LX1-1")


def test_a_signed_event_is_verified_and_returned_as_a_plain_dict():
    payload = json.dumps({"id": "evt_1", "object": "event", "type": "x", "data": {"object": {}}})

    event = stripe_gateway.verify_webhook(
        payload.encode(), sign(payload, WEBHOOK_SECRET), WEBHOOK_SECRET
    )

    assert event["id"] == "evt_1"
    assert isinstance(event["data"]["object"], dict)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "garbage",
        sign("{}", "whsec_other"),
        sign("{}", WEBHOOK_SECRET, timestamp=int(time.time()) - 301),
    ],
    ids=["missing", "unparseable", "wrong secret", "older than 5 minutes"],
)
def test_a_bad_signature_is_refused(header):
    with pytest.raises(stripe_gateway.InvalidWebhook):
        stripe_gateway.verify_webhook(b"{}", header, WEBHOOK_SECRET)
