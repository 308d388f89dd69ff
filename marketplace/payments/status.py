"""The payment and refund status machines: the one place their statuses change."""

from ..status import record_initial_status, transition
from .models import Payment, PaymentStatus, Refund, RefundStatus

P, R = PaymentStatus, RefundStatus

PAYMENT_TRANSITIONS = {
    P.pending: {P.succeeded, P.failed, P.expired, P.needs_attention},
    # Stripe may report a payment completed after the session's expiry reached us first.
    P.expired: {P.succeeded, P.needs_attention},
    P.succeeded: set(),
    # Stripe saying the money arrived outranks an earlier failure: it must be used or returned.
    P.failed: {P.succeeded, P.needs_attention},
    # Money that did not match is given back; an administrator looks at what happened.
    P.needs_attention: set(),
}

REFUND_TRANSITIONS = {
    R.pending: {R.succeeded, R.failed},
    R.succeeded: set(),
    R.failed: set(),
}


def start_payment(payment: Payment, by=None, note=None):
    """Record the status a new (flushed) payment starts in."""
    return record_initial_status(payment, "payment", by=by, note=note)


def move_payment(payment: Payment, to: PaymentStatus, by=None, note=None):
    """Change a payment's status (IllegalTransition if not allowed); records the event."""
    return transition(payment, to, PAYMENT_TRANSITIONS, "payment", by=by, note=note)


def start_refund(refund: Refund, by=None, note=None):
    """Record the status a new (flushed) refund starts in."""
    return record_initial_status(refund, "refund", by=by, note=note)


def move_refund(refund: Refund, to: RefundStatus, by=None, note=None):
    """Change a refund's status (IllegalTransition if not allowed); records the event."""
    return transition(refund, to, REFUND_TRANSITIONS, "refund", by=by, note=note)
