"""A stand-in for Aliyun's SMS API (SendSms), served on 127.0.0.1 by the tests: it checks
the request's HMAC-SHA1 signature as Aliyun does (403 SignatureDoesNotMatch otherwise) and
keeps every message it accepted."""

import json
import secrets
import threading

from werkzeug.wrappers import Request, Response

from marketplace.notifications.sms_gateway import signature

KEY_ID, KEY_SECRET = "LTAI_standin", "standin-secret"


class SmsStandin:
    def __init__(self):
        self.url = ""
        self.messages: list[dict] = []
        self.refused = 0
        self.fail_next = 0  # answer the next N requests with 500 (provider trouble)
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        params = dict(request.form.items())
        given = params.pop("Signature", "")
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return Response("busy", status=500)(environ, start_response)
            if params.get("AccessKeyId") != KEY_ID or given != signature(params, KEY_SECRET):
                self.refused += 1
                body = {
                    "Code": "SignatureDoesNotMatch",
                    "Message": "Specified signature is not matched",
                }
                return Response(json.dumps(body), status=403, content_type="application/json")(
                    environ, start_response
                )
            message = {
                "phone": params["PhoneNumbers"],
                "sign": params["SignName"],
                "template": params["TemplateCode"],
                "params": json.loads(params["TemplateParam"]),
                "out_id": params.get("OutId"),
            }
            self.messages.append(message)
        body = {"Code": "OK", "Message": "OK", "BizId": secrets.token_hex(8), "RequestId": "r"}
        return Response(json.dumps(body), content_type="application/json")(environ, start_response)

    def to(self, phone: str) -> list[dict]:
        return [m for m in self.messages if m["phone"] == phone]
