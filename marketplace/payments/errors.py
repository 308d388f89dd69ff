"""Errors of the payments package that views and the webhook turn into responses."""

from ..errors import Conflict, DomainError


class PaymentServiceUnavailable(DomainError):
    """Stripe could not be reached or refused the request; nothing was charged or refunded.

    The caller rolls back.
    """

    status_code = 503
    code = "payment_service_unavailable"


class CheckoutCancelled(Conflict):
    """Checkout could not go ahead, so the order was cancelled and its stock released.

    Unlike other domain errors the caller COMMITS (the release must be kept) and then
    shows the message.
    """

    code = "checkout_cancelled"
