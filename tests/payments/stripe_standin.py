"""A stand-in for the part of Stripe's API the gateway calls, and Stripe's webhook signing.

It answers POST /v1/checkout/sessions, GET /v1/checkout/sessions/{id} and POST /v1/refunds
with objects shaped like Stripe's, honours Idempotency-Key (same key and parameters: the
first answer replayed; same key, other parameters: an idempotency error) and checks what
Stripe checks for our calls. Served on 127.0.0.1 so the real `stripe` library runs end to
end with no network. Tests drive the buyer's side with `pay`, `expire` and `charge_for`,
and build signed webhook events with `event` and `sign`.
"""

import hashlib
import hmac
import json
import secrets
import threading
import time
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request, Response

PAYMENT_METHOD_TYPES = {"card", "alipay", "wechat_pay"}
MIN_LIFETIME, MAX_LIFETIME = 30 * 60, 24 * 60 * 60


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send: t=<ts>,v1=<HMAC-SHA256 of 't.payload'>."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def parse_form(body: str) -> dict:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts and lists."""
    root: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node):
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        return [_listify(node[k]) for k in sorted(node, key=int)]
    return {k: _listify(v) for k, v in node.items()}


def _new_id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


class StandinError(Exception):
    def __init__(self, status: int, kind: str, message: str, code: str | None = None):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": kind, "message": message}}
        if code:
            self.body["error"]["code"] = code


class StripeStandin:
    """A WSGI app; `url` is set once it is served."""

    def __init__(self, api_key: str = "sk_test_standin"):
        self.api_key = api_key
        self.url = ""
        self.sessions: dict[str, dict] = {}
        self.intents: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.refund_status = "succeeded"  # what new refunds report (tests set "pending")
        self._replies: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        return self._respond(Request(environ))(environ, start_response)

    def _respond(self, request: Request) -> Response:
        params = parse_form(request.get_data(as_text=True)) if request.method == "POST" else {}
        key = request.headers.get("Idempotency-Key")
        with self._lock:
            self.requests.append(
                {"method": request.method, "path": request.path, "params": params, "key": key}
            )
            try:
                if request.headers.get("Authorization") != f"Bearer {self.api_key}":
                    raise StandinError(401, "invalid_request_error", "Invalid API Key provided")
                if request.method == "POST" and key in self._replies:
                    first_params, body = self._replies[key]
                    if first_params != (request.path, params):
                        raise StandinError(
                            400,
                            "idempotency_error",
                            "Keys for idempotent requests can only be used with the same "
                            "parameters they were first used with.",
                        )
                    reply = Response(json.dumps(body), 200, mimetype="application/json")
                    reply.headers["Idempotent-Replayed"] = "true"
                    return reply
                body = self._route(request.method, request.path, params)
            except StandinError as exc:
                return Response(json.dumps(exc.body), exc.status, mimetype="application/json")
            if request.method == "POST" and key:
                self._replies[key] = ((request.path, params), body)
        return Response(json.dumps(body), 200, mimetype="application/json")

    def _route(self, method: str, path: str, params: dict) -> dict:
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._create_session(params)
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            session = self.sessions.get(path.rsplit("/", 1)[1])
            if session is None:
                raise StandinError(
                    404, "invalid_request_error", "No such session", "resource_missing"
                )
            return session
        if method == "POST" and path.startswith("/v1/checkout/sessions/"):
            return self._expire_session(path.split("/")[4])
        if method == "POST" and path == "/v1/refunds":
            return self._create_refund(params)
        raise StandinError(404, "invalid_request_error", f"Unrecognized request URL ({path})")

    def _expire_session(self, session_id: str) -> dict:
        """POST /v1/checkout/sessions/{id}/expire: only an open session can be expired."""
        session = self.sessions.get(session_id)
        if session is None:
            raise StandinError(404, "invalid_request_error", "No such session", "resource_missing")
        if session["status"] != "open":
            raise StandinError(
                400,
                "invalid_request_error",
                f"Only Checkout Sessions with a status in [open] can be expired, "
                f"but this Checkout Session has status {session['status']}.",
            )
        session["status"] = "expired"
        return session

    def _create_session(self, params: dict) -> dict:
        now = int(time.time())
        expires_at = int(params.get("expires_at", now + MAX_LIFETIME))
        if not now + MIN_LIFETIME <= expires_at <= now + MAX_LIFETIME:
            raise StandinError(
                400,
                "invalid_request_error",
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from "
                "Checkout Session creation.",
                "parameter_invalid_integer",
            )
        methods = params.get("payment_method_types") or ["card"]
        if set(methods) - PAYMENT_METHOD_TYPES:
            raise StandinError(400, "invalid_request_error", "Invalid payment_method_types")
        wechat = (params.get("payment_method_options") or {}).get("wechat_pay") or {}
        if "wechat_pay" in methods and wechat.get("client") != "web":
            raise StandinError(
                400,
                "invalid_request_error",
                "payment_method_options[wechat_pay][client] is required.",
                "parameter_missing",
            )
        items = params.get("line_items") or []
        currencies = {item["price_data"]["currency"] for item in items}
        if not items or len(currencies) != 1 or params.get("mode") != "payment":
            raise StandinError(400, "invalid_request_error", "Invalid line_items or mode")
        session_id = _new_id("cs")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"{self.url}/c/pay/{session_id}",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": sum(
                int(i["price_data"]["unit_amount"]) * int(i["quantity"]) for i in items
            ),
            "currency": currencies.pop(),
            "created": now,
            "expires_at": expires_at,
            "payment_intent": None,
            "payment_method_types": methods,
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "locale": params.get("locale"),
            "metadata": params.get("metadata") or {},
            "success_url": params["success_url"],
            "cancel_url": params["cancel_url"],
            "livemode": False,
        }
        self.sessions[session_id] = session
        return session

    def _create_refund(self, params: dict) -> dict:
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None:
            raise StandinError(
                400, "invalid_request_error", "No such payment_intent", "resource_missing"
            )
        left = intent["amount"] - intent["refunded"]
        amount = int(params.get("amount", left))
        if amount <= 0 or amount > left:
            raise StandinError(
                400,
                "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                "charge_already_refunded" if left == 0 else "amount_too_large",
            )
        intent["refunded"] += amount
        refund = {
            "id": _new_id("re"),
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "charge": intent["charge"],
            "status": self.refund_status,
            "metadata": params.get("metadata") or {},
            "created": int(time.time()),
        }
        self.refunds[refund["id"]] = refund
        return refund

    # The buyer's and Stripe's side, for tests.

    def pay(self, session_id: str, payment_status: str = "paid") -> dict:
        """The buyer pays on the hosted page: the session completes with a PaymentIntent."""
        with self._lock:
            session = self.sessions[session_id]
            intent_id = _new_id("pi")
            self.intents[intent_id] = {
                "id": intent_id,
                "amount": session["amount_total"],
                "currency": session["currency"],
                "charge": _new_id("ch"),
                "refunded": 0,
            }
            session.update(status="complete", payment_status=payment_status)
            session["payment_intent"] = intent_id
            return dict(session)

    def expire(self, session_id: str) -> dict:
        """The session's time runs out on Stripe's side."""
        with self._lock:
            self.sessions[session_id]["status"] = "expired"
            return dict(self.sessions[session_id])

    def charge_for(self, intent_id: str, with_refund_list: bool = True) -> dict:
        """The Charge object of a paid PaymentIntent, as a charge.refunded event carries it."""
        intent = self.intents[intent_id]
        refunds = [dict(r, status="succeeded") for r in self.refunds.values()]
        charge = {
            "id": intent["charge"],
            "object": "charge",
            "amount": intent["amount"],
            "amount_refunded": intent["refunded"],
            "currency": intent["currency"],
            "payment_intent": intent_id,
            "refunded": intent["refunded"] == intent["amount"],
        }
        if with_refund_list:
            mine = [r for r in refunds if r["payment_intent"] == intent_id]
            charge["refunds"] = {"object": "list", "data": mine, "has_more": False}
        return charge

    def posts_to(self, path: str) -> list[dict]:
        """The POST requests the gateway sent to `path`."""
        return [r for r in self.requests if r["method"] == "POST" and r["path"] == path]

    @staticmethod
    def event(kind: str, obj: dict, event_id: str | None = None) -> dict:
        """A webhook event as Stripe sends it."""
        return {
            "id": event_id or _new_id("evt"),
            "object": "event",
            "type": kind,
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": obj},
        }
