"""The one module that talks to Stripe: Checkout Sessions, refunds and webhook verification.

Callers pass our own values and get plain dataclasses back, so no other module imports
`stripe`. When STRIPE_API_BASE is set every API call goes to that address instead of
api.stripe.com (the tests point it at a stand-in server on 127.0.0.1). Every call that
creates something carries an idempotency key derived from our ids, so a retried request
never charges or refunds twice.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import stripe
from flask import current_app

# Stripe's own default; a signature older than this is refused (replay protection).
WEBHOOK_TOLERANCE_SECONDS = 300
# Fail fast when Stripe cannot be reached: the buyer is waiting on the checkout button.
CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 30

log = logging.getLogger(__name__)


class GatewayError(Exception):
    """Stripe refused the request (or is not configured)."""


class GatewayUnreachable(GatewayError):
    """Stripe could not be reached (network error or timeout)."""


class InvalidWebhook(Exception):
    """The webhook's signature is missing, wrong or too old, or its body is not JSON."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str | None
    status: str | None
    payment_status: str | None
    payment_intent: str | None
    amount_total: int | None
    expires_at: int | None
    currency: str | None = None

    def as_event_object(self) -> dict:
        """The session as a webhook event's data.object, for the handlers that take one."""
        return {
            "id": self.id,
            "status": self.status,
            "payment_status": self.payment_status,
            "payment_intent": self.payment_intent,
            "amount_total": self.amount_total,
            "currency": self.currency,
        }


@dataclass(frozen=True)
class RefundResult:
    id: str
    status: str
    amount: int


def is_configured() -> bool:
    """True when a secret key is set, so online payment can be offered."""
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def payment_method_types() -> list[str]:
    """The payment methods offered in Checkout (config STRIPE_PAYMENT_METHOD_TYPES)."""
    configured = current_app.config.get("STRIPE_PAYMENT_METHOD_TYPES") or ["card"]
    if isinstance(configured, str):
        configured = configured.split(",")
    return [t.strip() for t in configured if t and t.strip()]


def _client() -> stripe.StripeClient:
    config = current_app.config
    key = config.get("STRIPE_SECRET_KEY")
    if not key:
        raise GatewayError("STRIPE_SECRET_KEY is not set")
    base = config.get("STRIPE_API_BASE")
    return stripe.StripeClient(
        key,
        base_addresses={"api": base.rstrip("/")} if base else None,
        # Retries are safe because every POST carries our idempotency key.
        max_network_retries=int(config.get("STRIPE_MAX_NETWORK_RETRIES", 2)),
        http_client=stripe.RequestsClient(timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS)),
    )


def _call(what: str, function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except stripe.APIConnectionError as exc:
        log.warning("Stripe unreachable during %s: %s", what, exc)
        raise GatewayUnreachable(str(exc)) from exc
    except stripe.StripeError as exc:
        log.error("Stripe refused %s: %s", what, exc)
        raise GatewayError(str(exc)) from exc


def _session(session) -> CheckoutSession:
    obj = session.to_dict()
    intent = obj.get("payment_intent")
    if intent is not None and not isinstance(intent, str):
        intent = intent.get("id")
    return CheckoutSession(
        id=obj["id"],
        url=obj.get("url"),
        status=obj.get("status"),
        payment_status=obj.get("payment_status"),
        payment_intent=intent,
        amount_total=obj.get("amount_total"),
        expires_at=obj.get("expires_at"),
        currency=obj.get("currency"),
    )


def create_checkout_session(
    *,
    line_items: list[tuple[str, int, int]],
    success_url: str,
    cancel_url: str,
    expires_at: datetime,
    client_reference_id: str,
    metadata: dict[str, str],
    idempotency_key: str,
    currency: str = "cny",
    customer_email: str | None = None,
    locale: str | None = None,
) -> CheckoutSession:
    """Create a hosted Checkout Session; `line_items` are (name, unit amount in fen, quantity).

    `expires_at` is a naive UTC datetime.
    """
    methods = payment_method_types()
    params = {
        "mode": "payment",
        "payment_method_types": methods,
        "line_items": [
            {
                "quantity": quantity,
                "price_data": {
                    "currency": currency,
                    "unit_amount": unit_fen,
                    "product_data": {"name": name},
                },
            }
            for name, unit_fen, quantity in line_items
        ],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int(expires_at.replace(tzinfo=UTC).timestamp()),
        "client_reference_id": client_reference_id,
        "metadata": metadata,
        # The same metadata on the PaymentIntent, so charges and refunds name the order too.
        "payment_intent_data": {"metadata": metadata},
    }
    if "wechat_pay" in methods:
        # Stripe requires the client type for WeChat Pay; on the web it shows a QR code.
        params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
    if customer_email:
        params["customer_email"] = customer_email
    if locale:
        params["locale"] = locale
    client = _client()
    session = _call(
        "checkout session creation",
        client.v1.checkout.sessions.create,
        params=params,
        options={"idempotency_key": idempotency_key},
    )
    return _session(session)


def retrieve_checkout_session(session_id: str) -> CheckoutSession:
    """Read a Checkout Session back from Stripe."""
    client = _client()
    session = _call("checkout session lookup", client.v1.checkout.sessions.retrieve, session_id)
    return _session(session)


def expire_checkout_session(session_id: str) -> CheckoutSession:
    """Expire an open Checkout Session so it can no longer be paid (Stripe refuses if it is
    already complete or expired: GatewayError)."""
    client = _client()
    session = _call("checkout session expiry", client.v1.checkout.sessions.expire, session_id)
    return _session(session)


def create_refund(
    *, payment_intent: str, amount_fen: int, idempotency_key: str, metadata: dict[str, str]
) -> RefundResult:
    """Refund `amount_fen` of a PaymentIntent; Stripe answers succeeded, pending or failed."""
    client = _client()
    refund = _call(
        "refund",
        client.v1.refunds.create,
        params={"payment_intent": payment_intent, "amount": amount_fen, "metadata": metadata},
        options={"idempotency_key": idempotency_key},
    )
    obj = refund.to_dict()
    return RefundResult(id=obj["id"], status=obj["status"], amount=obj["amount"])


def verify_webhook(payload: bytes, signature_header: str | None, secret: str | None) -> dict:
    """Check a webhook's Stripe-Signature with the real library; return the event as a dict.

    Raises InvalidWebhook for a missing, wrong or stale signature or a body that is not JSON.
    """
    try:
        event = stripe.Webhook.construct_event(
            payload, signature_header, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    return event.to_dict()
