"""Words shown for the order, fulfilment, parcel and payment-method codes, in both languages."""

from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from ..logistics.models import ParcelStatus
from .models import FulfilmentStatus, OrderStatus, PaymentMethod

ORDER_STATUS = {
    OrderStatus.pending_payment: _l("Waiting for payment"),
    OrderStatus.confirmed: _l("Confirmed"),
    OrderStatus.completed: _l("Completed"),
    OrderStatus.cancelled: _l("Cancelled"),
}

FULFILMENT_STATUS = {
    FulfilmentStatus.pending_payment: _l("Waiting for payment"),
    FulfilmentStatus.to_pack: _l("Being packed"),
    FulfilmentStatus.packed: _l("Packed"),
    FulfilmentStatus.in_transit: _l("On the way"),
    FulfilmentStatus.ready_for_pickup: _l("Ready for pickup"),
    FulfilmentStatus.delivered: _l("Picked up"),
    FulfilmentStatus.cancelled: _l("Cancelled"),
}

PARCEL_STATUS = {
    ParcelStatus.awaiting_handover: _l("At the cooperative"),
    ParcelStatus.at_station: _l("At a station"),
    ParcelStatus.in_transit: _l("On the way"),
    ParcelStatus.ready_for_pickup: _l("Ready for pickup"),
    ParcelStatus.handed_over: _l("Picked up"),
    ParcelStatus.handed_to_carrier: _l("Handed to the express carrier"),
    ParcelStatus.cancelled: _l("Cancelled"),
}

PAYMENT_METHOD = {
    PaymentMethod.cash_at_pickup: _l("Cash at the pickup point"),
    PaymentMethod.stripe: _l("Pay online (card, Alipay, WeChat Pay)"),
}

# Bootstrap colour of each status badge.
BADGE = {
    "pending_payment": "warning",
    "confirmed": "primary",
    "to_pack": "primary",
    "packed": "info",
    "in_transit": "info",
    "ready_for_pickup": "success",
    "delivered": "success",
    "completed": "success",
    "cancelled": "secondary",
}


def status_label(subject: str, code: str) -> str:
    """The words for a status code of an order, fulfilment or parcel (the code if unknown)."""
    table = {"order": ORDER_STATUS, "fulfilment": FULFILMENT_STATUS, "parcel": PARCEL_STATUS}
    for status, label in table.get(subject, {}).items():
        if status == code:
            return label
    return code


def shown_name(product) -> LazyString:
    """A product's name in the language of the page the message ends up on."""
    name_zh, name_en = product.name_zh, product.name_en
    return LazyString(lambda: name_en if name_en and str(get_locale()) == "en" else name_zh)
