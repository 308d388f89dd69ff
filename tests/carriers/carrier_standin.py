"""A local stand-in for the express carriers' tracking aggregator, in both directions:

- `CarrierStandin` signs tracking events exactly as the real integration does (header
  `X-Carrier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + raw body>`) and
  POSTs them to `/api/v1/carrier-events` (through the Flask test client, or over HTTP to a
  live server). The signing is written here from the contract, not imported from the app,
  so the tests prove the app verifies what a carrier sends.
- `AggregatorStandin` is the aggregator's API (`CARRIER_API_BASE`) on 127.0.0.1, port 0:
  it records the tracking numbers the app subscribes.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WEBHOOK_PATH = "/api/v1/carrier-events"
_ids = itertools.count(1)


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The X-Carrier-Signature header for `body`."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


class CarrierStandin:
    """carrier.send(tracking_no, "delivered") -> the response to the signed POST."""

    def __init__(self, secret: str, client=None, base_url: str | None = None):
        self.secret, self.client, self.base_url = secret, client, base_url

    @staticmethod
    def event(tracking_no, status, carrier="sf", event_id=None, at=None, location="北京市朝阳区"):
        return {
            "id": event_id or f"evt_carrier_{next(_ids)}",
            "carrier": carrier,
            "tracking_no": tracking_no,
            "status": status,
            "at": at or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "location": location,
        }

    def post(self, event: dict, *, timestamp=None, secret=None, signature=None):
        body = json.dumps(event, ensure_ascii=False).encode()
        header = signature or sign(body, secret or self.secret, timestamp)
        headers = {"Content-Type": "application/json", "X-Carrier-Signature": header}
        if self.client is not None:
            return self.client.post(WEBHOOK_PATH, data=body, headers=headers)
        request = urllib.request.Request(
            self.base_url.rstrip("/") + WEBHOOK_PATH, data=body, headers=headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())

    def send(self, tracking_no, status, **fields):
        """Sign and POST one event; returns (response, event)."""
        event = self.event(tracking_no, status, **fields)
        return self.post(event), event


class AggregatorStandin:
    """The tracking aggregator's API: POST /subscriptions is recorded and answered 201."""

    def __init__(self):
        self.subscriptions: list[dict] = []
        self.headers: list[dict] = []
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path == "/subscriptions":
                    standin.subscriptions.append(body)
                    standin.headers.append(dict(self.headers))
                    self.send_response(201)
                else:
                    self.send_response(404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
