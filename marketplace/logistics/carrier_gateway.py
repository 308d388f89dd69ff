"""The one module that talks to express carriers (or the tracking aggregator in front of
them), as `payments/stripe_gateway.py` is for Stripe: it verifies the signature of the
events they push to `POST /api/v1/carrier-events`, and subscribes a tracking number so that
its events are pushed to us.

Signature (header `X-Carrier-Signature`): `t=<unix seconds>,v1=<hex HMAC-SHA256 of
"<t>." + raw body, key CARRIER_WEBHOOK_SECRET>`; several `v1=` entries may be given (a key
being rotated), one must match; a `t` more than WEBHOOK_TOLERANCE_SECONDS away from now is
refused (replay protection). Subscribing goes to CARRIER_API_BASE with CARRIER_API_KEY; when
no base is configured it only logs (development and tests without the stand-in).
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from flask import current_app

WEBHOOK_TOLERANCE_SECONDS = 300
SIGNATURE_HEADER = "X-Carrier-Signature"
TIMEOUT_SECONDS = 10

log = logging.getLogger(__name__)


class InvalidWebhook(Exception):
    """The signature is missing, wrong or too old, or the body is not a JSON object."""


def _parse_header(header: str | None) -> tuple[int, list[str]]:
    if not header:
        raise InvalidWebhook("no signature header")
    timestamp, signatures = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise InvalidWebhook("bad timestamp") from None
        elif key == "v1" and value:
            signatures.append(value.strip().lower())
    if timestamp is None or not signatures:
        raise InvalidWebhook("signature header lacks t or v1")
    return timestamp, signatures


def expected_signature(payload: bytes, timestamp: int, secret: str) -> str:
    """hex HMAC-SHA256 of "<t>." + body with the shared secret."""
    message = f"{timestamp}.".encode() + payload
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_webhook(
    payload: bytes, signature_header: str | None, secret: str | None, now: float | None = None
) -> dict:
    """The event of a correctly signed, fresh webhook; InvalidWebhook otherwise."""
    if not secret:
        raise InvalidWebhook("CARRIER_WEBHOOK_SECRET is not set")
    timestamp, signatures = _parse_header(signature_header)
    expected = expected_signature(payload, timestamp, secret)
    # Compare with every given signature, in constant time each.
    if not any(hmac.compare_digest(expected, given) for given in signatures):
        raise InvalidWebhook("signature does not match")
    now = time.time() if now is None else now
    if abs(now - timestamp) > WEBHOOK_TOLERANCE_SECONDS:
        raise InvalidWebhook("timestamp outside the tolerance")
    try:
        event = json.loads(payload)
    except ValueError:
        raise InvalidWebhook("body is not JSON") from None
    if not isinstance(event, dict):
        raise InvalidWebhook("body is not a JSON object")
    return event


def webhook_secret() -> str | None:
    return current_app.config.get("CARRIER_WEBHOOK_SECRET")


def is_configured() -> bool:
    """True when tracking numbers can be subscribed with the aggregator."""
    return bool(current_app.config.get("CARRIER_API_BASE"))


def subscribe(carrier: str, tracking_no: str, callback_url: str) -> bool:
    """Ask the aggregator to push this tracking number's events to `callback_url`.

    Runs after the hand-over is committed (no lock held). Never raises: a failure is logged
    and the buyer can still confirm receipt, or auto-confirm completes the sale. Returns
    True when the aggregator accepted it.
    """
    config = current_app.config
    base = config.get("CARRIER_API_BASE")
    if not base:
        log.info("CARRIER_API_BASE not set: not subscribing %s %s", carrier, tracking_no)
        return False
    body = json.dumps(
        {"carrier": carrier, "tracking_no": tracking_no, "callback_url": callback_url}
    ).encode()
    request = urllib.request.Request(
        base.rstrip("/") + "/subscriptions",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {config.get('CARRIER_API_KEY') or ''}",
            # The same number subscribed twice is one subscription.
            "Idempotency-Key": f"subscribe-{carrier}-{tracking_no}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            ok = 200 <= response.status < 300
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        log.warning("Could not subscribe %s %s with the carrier API: %s", carrier, tracking_no, exc)
        return False
    if not ok:
        log.warning("The carrier API refused to subscribe %s %s", carrier, tracking_no)
    return ok
