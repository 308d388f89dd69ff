"""The `send-sms` job: send one queued text message, once.

The row is the sent marker: a run that finds it sent (a retry, or the same run pushed
twice) sends nothing. The provider is asked with no transaction of ours open; the answer
is then recorded and committed at once, so a retry after a later failure does not send
again.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import transaction
from ..clock import utcnow
from ..extensions import db
from ..jobs.registry import job
from . import sms_gateway
from .messages import KINDS, sms_text
from .models import SmsMessage, SmsStatus


@job("send-sms", label=_l("Send a text message"), retries=5, backoff_seconds=30)
def send_sms(run, message_id: int) -> dict:
    message = db.session.get(SmsMessage, message_id)
    if message is None:
        return {"skipped": "no such message"}
    if message.status != SmsStatus.pending:
        return {"skipped": f"already {message.status}"}
    phone, template, params, key = message.phone, message.template, message.params, message.key
    kind = next((k for k, v in KINDS.items() if v.sms_template == template), None)
    text = sms_text(kind, params, current_app.config.get("SMS_SIGN_NAME", ""))
    transaction.commit()  # nothing of ours is open while the provider is asked
    try:
        result = sms_gateway.send(phone, template, params, out_id=key, text=text)
    except sms_gateway.SmsRefused as exc:
        message = db.session.get(SmsMessage, message_id)
        message.status, message.error = SmsStatus.failed, str(exc)[:1000]
        return {"refused": str(exc)[:200]}
    message = db.session.get(SmsMessage, message_id)
    message.status, message.sent_at, message.provider_ref = (
        SmsStatus.sent,
        utcnow(),
        result.provider_ref,
    )
    transaction.commit()
    return {"sent": key}
