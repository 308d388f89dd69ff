"""Every kind of notification: its inbox text (translated when shown) and its SMS template
(the code registered with the provider and the Chinese text it reads as, within 70
characters with the sign name)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    inbox: object  # lazy text with %(name)s placeholders
    sms_template: str | None  # the provider's template code
    sms_text: str | None  # what that template reads as, {name} placeholders


KINDS = {
    "parcel_ready": Kind(
        _l("Parcel %(parcel)s is at %(station)s. Pickup code: %(pickup_code)s."),
        "SMS_PARCEL_READY",
        "包裹{parcel}已到{station}，取件码{pickup_code}，请凭码取件。",
    ),
    "pickup_reminder": Kind(
        _l(
            "Reminder: parcel %(parcel)s is waiting at %(station)s (pickup code "
            "%(pickup_code)s). It goes back to the cooperative on %(date)s if nobody "
            "collects it."
        ),
        "SMS_PICKUP_REMINDER",
        "包裹{parcel}在{station}待取，取件码{pickup_code}，{date}前未取将退回。",
    ),
    "parcel_returned": Kind(
        _l(
            "Parcel %(parcel)s was not collected in time: it goes back to the cooperative "
            "and order %(order)s is cancelled."
        ),
        "SMS_PARCEL_RETURNED",
        "包裹{parcel}超期未取已退回，订单{order}已取消，已付款项将退还。",
    ),
    "refund": Kind(
        _l("Order %(order)s: %(amount)s has been refunded."),
        "SMS_REFUND",
        "订单{order}已退款{amount}，款项原路退回，请留意到账。",
    ),
}


def inbox_text(kind: str, params: dict) -> str:
    found = KINDS.get(kind)
    if found is None:
        return kind
    try:
        return str(found.inbox) % params
    except (KeyError, TypeError, ValueError):
        return str(found.inbox)


def sms_text(kind: str, params: dict, sign_name: str = "") -> str:
    text = KINDS[kind].sms_text.format(**params)
    return f"【{sign_name}】{text}" if sign_name else text
