"""The one module that sends text messages, shaped like Aliyun's SMS API (SendSms: a sign
name, a template code registered with the provider and the template's parameters as JSON,
in a request signed with HMAC-SHA1 over the sorted, percent-encoded parameters).

SMS_PROVIDER: "log" (the default: development writes the text to the log, sends nothing),
"aliyun" (POST to SMS_API_BASE, the real endpoint or the stand-in the tests serve), "off".
"""

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """The provider could not be reached or failed: try again later."""


class SmsRefused(SmsError):
    """The provider refused this message (bad number, unknown template): do not retry."""


@dataclass(frozen=True)
class SmsResult:
    provider_ref: str


def percent_encode(value: str) -> str:
    """Aliyun's encoding: RFC 3986, space as %20, '~' kept, '*' encoded."""
    return urllib.parse.quote(str(value), safe="~")


def signature(params: dict, secret: str, method: str = "POST") -> str:
    """The Signature of an Aliyun RPC request (SignatureVersion 1.0, HMAC-SHA1)."""
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    mac = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def send(phone: str, template: str, params: dict, *, out_id: str, text: str) -> SmsResult:
    """Send one templated message; `text` is what the template reads as (logged)."""
    config = current_app.config
    provider = config.get("SMS_PROVIDER", "log")
    if provider == "off":
        return SmsResult("off")
    if provider == "log":
        log.info("SMS to %s [%s %s]: %s", phone, template, out_id, text)
        return SmsResult(f"log-{out_id}")
    if provider != "aliyun":
        raise SmsRefused(f"unknown SMS_PROVIDER {provider!r}")
    key_id, secret = config.get("SMS_ACCESS_KEY_ID"), config.get("SMS_ACCESS_KEY_SECRET")
    if not key_id or not secret:
        raise SmsRefused("SMS_ACCESS_KEY_ID and SMS_ACCESS_KEY_SECRET must be set")
    request_params = {
        "AccessKeyId": key_id,
        "Action": "SendSms",
        "Format": "JSON",
        "OutId": out_id,
        "PhoneNumbers": phone,
        "SignName": config.get("SMS_SIGN_NAME", ""),
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "TemplateCode": template,
        "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25",
    }
    request_params["Signature"] = signature(request_params, secret)
    body = urllib.parse.urlencode(request_params, quote_via=urllib.parse.quote).encode()
    url = config.get("SMS_API_BASE", "").rstrip("/") + "/"
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read().decode() or "{}")
    except urllib.error.HTTPError as exc:
        if 400 <= exc.code < 500:
            raise SmsRefused(f"HTTP {exc.code}: {exc.read()[:200]!r}") from exc
        raise SmsError(f"HTTP {exc.code}") from exc
    except (OSError, ValueError) as exc:
        raise SmsError(str(exc)) from exc
    if answer.get("Code") != "OK":
        code = answer.get("Code", "?")
        if code.startswith("isv.") and "CONTROL" not in code:
            raise SmsRefused(f"{code}: {answer.get('Message')}")
        raise SmsError(f"{code}: {answer.get('Message')}")
    return SmsResult(answer.get("BizId") or out_id)
