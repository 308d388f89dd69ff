"""What the payment pages show, built by the views so templates only display: an order's
payments and refunds (also on the order page), the page Stripe sends the buyer back to, and
the refund page."""

from dataclasses import dataclass

from ..orders.models import Fulfilment, Order, OrderStatus, PaymentMethod
from . import services
from .labels import (
    PAYMENT_STATUS_BADGES,
    PAYMENT_STATUS_LABELS,
    PROVIDER_LABELS,
    REFUND_STATUS_LABELS,
)
from .models import Payment, Refund


@dataclass(frozen=True)
class RefundLine:
    refund: Refund
    label: str
    reason: str  # the reason in the reader's language when the system wrote it


@dataclass(frozen=True)
class PaymentLine:
    payment: Payment
    provider_label: str
    label: str
    badge: str
    refunds: list[RefundLine]


def refund_line(refund: Refund) -> RefundLine:
    """A refund as the pages list it."""
    return RefundLine(refund, REFUND_STATUS_LABELS[refund.status], services.refund_reason(refund))


def order_payments(order: Order) -> list[PaymentLine]:
    """The order's payments, oldest first, each with its refunds (payments/_order_payments)."""
    return [
        PaymentLine(
            payment=payment,
            provider_label=PROVIDER_LABELS[payment.provider],
            label=PAYMENT_STATUS_LABELS[payment.status],
            badge=PAYMENT_STATUS_BADGES[payment.status],
            refunds=[refund_line(r) for r in sorted(payment.refunds, key=lambda r: r.id)],
        )
        for payment in services.payments_for_order(order)
    ]


@dataclass(frozen=True)
class CheckoutReturnPage:
    """Where Stripe sends the buyer back (payments/checkout_return.html)."""

    order: Order
    open_payment: Payment | None
    payments: list[PaymentLine]
    left: bool  # the buyer left Stripe without paying
    paid: bool  # confirmed by a webhook and the order goes on
    cancelled: bool
    waiting: bool  # no answer from Stripe yet: the page reloads itself
    can_pay_now: bool


def checkout_return_page(order: Order, left: bool) -> CheckoutReturnPage:
    """The return page of `order`; `left` when the buyer came back through Stripe's cancel."""
    open_payment = services.open_checkout(order)
    pending = order.status == OrderStatus.pending_payment
    return CheckoutReturnPage(
        order=order,
        open_payment=open_payment,
        payments=order_payments(order),
        left=left,
        paid=services.confirmed_payment(order) is not None
        and order.status in (OrderStatus.confirmed, OrderStatus.completed),
        cancelled=order.status == OrderStatus.cancelled,
        waiting=pending and not left,
        can_pay_now=pending
        and (left or open_payment is None)
        and services.online_payment_available(),
    )


@dataclass(frozen=True)
class RefundPage:
    """A parcel's refund page for its cooperative's managers (payments/refund.html)."""

    fulfilment: Fulfilment
    order: Order
    paid: int
    refunded: int
    left: int
    refunds: list[RefundLine]
    paid_in_cash: bool


def refund_page(fulfilment: Fulfilment) -> RefundPage:
    """What was paid for `fulfilment`, what was given back, and what is left to refund."""
    order = fulfilment.order
    return RefundPage(
        fulfilment=fulfilment,
        order=order,
        paid=services.paid_fen(fulfilment),
        refunded=services.refunded_fen(fulfilment),
        left=services.refundable_fen(fulfilment),
        refunds=[refund_line(r) for r in services.refunds_of_fulfilment(fulfilment)],
        paid_in_cash=order.payment_method == PaymentMethod.cash_at_pickup,
    )


@dataclass(frozen=True)
class AttentionLine:
    payment: Payment
    order: Order
    refunds: list[RefundLine]


def attention_page() -> list[AttentionLine]:
    """The payments administrators must look at (payments/attention.html)."""
    return [
        AttentionLine(
            payment=payment,
            order=payment.order,
            refunds=[refund_line(r) for r in sorted(payment.refunds, key=lambda r: r.id)],
        )
        for payment in services.payments_needing_attention()
    ]
