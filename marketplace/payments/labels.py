"""How payments and refunds are named on the pages: one place for their labels and badges."""

from flask_babel import lazy_gettext as _l

from .models import PaymentProvider, PaymentStatus, RefundStatus

PAYMENT_STATUS_LABELS = {
    PaymentStatus.pending: _l("Waiting for confirmation"),
    PaymentStatus.succeeded: _l("Paid"),
    PaymentStatus.failed: _l("Not paid"),
    PaymentStatus.expired: _l("Time ran out"),
    PaymentStatus.needs_attention: _l("Amount did not match: refunded"),
}
PAYMENT_STATUS_BADGES = {
    PaymentStatus.pending: "warning text-dark",
    PaymentStatus.succeeded: "success",
    PaymentStatus.failed: "secondary",
    PaymentStatus.expired: "secondary",
    PaymentStatus.needs_attention: "danger",
}
REFUND_STATUS_LABELS = {
    RefundStatus.pending: _l("Refund in progress"),
    RefundStatus.succeeded: _l("Refunded"),
    RefundStatus.failed: _l("Refund failed"),
}
PROVIDER_LABELS = {
    PaymentProvider.stripe: _l("Online (card, Alipay or WeChat Pay)"),
    PaymentProvider.cash: _l("Cash at the pickup point"),
}
