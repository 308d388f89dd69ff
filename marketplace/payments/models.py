"""Payments, refunds and the provider webhook events already processed (all append-only
in amount; status changes are recorded as status events)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db


def _enum(cls):
    return Enum(cls, native_enum=False, length=30)


class PaymentProvider(StrEnum):
    stripe = "stripe"
    cash = "cash"


class PaymentStatus(StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"
    expired = "expired"
    # Stripe reported an amount or currency other than the payment's: never confirmed,
    # given back automatically, listed for administrators.
    needs_attention = "needs_attention"


class Payment(db.Model):
    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount_fen >= 0", name="amount_nonneg"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    fulfilment_id: Mapped[int | None] = mapped_column(ForeignKey("fulfilments.id"))
    provider: Mapped[PaymentProvider] = mapped_column(_enum(PaymentProvider))
    status: Mapped[PaymentStatus] = mapped_column(_enum(PaymentStatus))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="cny")
    # Stripe Checkout Session id (cs_...), or the cash movement's station reference.
    provider_ref: Mapped[str | None] = mapped_column(String(255), unique=True)
    payment_intent_ref: Mapped[str | None] = mapped_column(String(255))
    checkout_url: Mapped[str | None] = mapped_column(String(1000))
    expires_at: Mapped[datetime | None]
    # What Stripe said it charged when that differed (minor unit of `received_currency`).
    received_amount: Mapped[int | None] = mapped_column(BigInteger)
    received_currency: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order = relationship("Order")
    refunds: Mapped[list["Refund"]] = relationship(back_populates="payment")


class RefundStatus(StrEnum):
    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"


class Refund(db.Model):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    fulfilment_id: Mapped[int | None] = mapped_column(ForeignKey("fulfilments.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(500))
    provider_ref: Mapped[str | None] = mapped_column(String(255), unique=True)
    # The key a Stripe refund is sent with, the same at every try (none for cash).
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    status: Mapped[RefundStatus] = mapped_column(_enum(RefundStatus))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    payment: Mapped[Payment] = relationship(back_populates="refunds")


class WebhookEvent(db.Model):
    """A provider event id we have processed; written in the same transaction as its effect."""

    __tablename__ = "webhook_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    provider: Mapped[str] = mapped_column(String(20), default="stripe")
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(200))
