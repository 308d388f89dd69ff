"""After the sale: a buyer's claim about a delivered fulfilment (damaged, spoiled, missing,
wrong or not as described goods), its lines, messages and photos; and buyers' reviews."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..catalog import freshness
from ..clock import utcnow
from ..extensions import db


def _enum(cls):
    return Enum(cls, native_enum=False, length=30)


class ClaimReason(StrEnum):
    damaged = "damaged"
    spoiled = "spoiled"
    missing = "missing"
    wrong_item = "wrong_item"
    not_as_described = "not_as_described"
    other = "other"


class ClaimRemedy(StrEnum):
    refund = "refund"
    resend = "resend"  # only for a missing or wrong item


class ClaimStatus(StrEnum):
    open = "open"  # waiting for the cooperative's answer
    offered = "offered"  # the cooperative offered less; the buyer accepts or disputes
    rejected = "rejected"  # the cooperative refused; the buyer may dispute
    escalated = "escalated"  # not answered in time: the administrators decide
    disputed = "disputed"  # the buyer disputes an offer or a refusal: administrators decide
    accepted = "accepted"  # final: refunded (in full or in part) or resent
    closed = "closed"  # final: refused by an administrator, or the buyer let it go


class ClaimDecision(StrEnum):
    accept = "accept"
    partial = "partial"
    reject = "reject"


class Claim(db.Model):
    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("refund_fen >= 0", name="refund_nonneg"),
        CheckConstraint("offer_fen >= 0", name="offer_nonneg"),
        # Set while the claim is active, NULL once it is decided for good: one active claim
        # per fulfilment, guarded by the database as well as by the sale's lock.
        UniqueConstraint("active_fulfilment_id", name="uq_claims_active_fulfilment"),
        Index("ix_claims_status_opened", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fulfilment_id: Mapped[int] = mapped_column(ForeignKey("fulfilments.id"), index=True)
    active_fulfilment_id: Mapped[int | None] = mapped_column(ForeignKey("fulfilments.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[ClaimReason] = mapped_column(_enum(ClaimReason))
    remedy: Mapped[ClaimRemedy] = mapped_column(_enum(ClaimRemedy))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ClaimStatus] = mapped_column(_enum(ClaimStatus), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The cooperative's (or, if escalated, an administrator's) first decision.
    answered_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]  # the final decision
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    offer_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # the cooperative's offer
    refund_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # what was refunded
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    resend_fulfilment_id: Mapped[int | None] = mapped_column(ForeignKey("fulfilments.id"))
    # Moved by every decision with a conditional UPDATE: of two decisions at once, one wins.
    version: Mapped[int] = mapped_column(default=0)

    fulfilment = relationship("Fulfilment", foreign_keys=[fulfilment_id])
    resend_fulfilment = relationship("Fulfilment", foreign_keys=[resend_fulfilment_id])
    order = relationship("Order")
    cooperative = relationship("Cooperative")
    buyer = relationship("User", foreign_keys=[buyer_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    refund = relationship("Refund")
    lines: Mapped[list["ClaimLine"]] = relationship(back_populates="claim", order_by="ClaimLine.id")
    messages: Mapped[list["ClaimMessage"]] = relationship(
        back_populates="claim", order_by="ClaimMessage.id"
    )
    photos: Mapped[list["ClaimPhoto"]] = relationship(
        back_populates="claim", order_by="ClaimPhoto.id"
    )


class ClaimLine(db.Model):
    __tablename__ = "claim_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        UniqueConstraint("claim_id", "order_line_id", name="uq_claim_lines_claim_line"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int]

    claim: Mapped[Claim] = relationship(back_populates="lines")
    order_line = relationship("OrderLine")


class ClaimMessage(db.Model):
    """One message of a claim's thread; decisions are messages too (with `decision`)."""

    __tablename__ = "claim_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # buyer, cooperative, admin or system (escalation).
    author_role: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[ClaimDecision | None] = mapped_column(_enum(ClaimDecision))
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="messages")
    author = relationship("User")


class ClaimPhoto(db.Model):
    __tablename__ = "claim_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    # Generated names under UPLOAD_FOLDER/claims; never the uploader's file name.
    filename: Mapped[str] = mapped_column(String(80))
    thumb_filename: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="photos")


class Review(db.Model):
    """A buyer's rating of a product they received: one per order line."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        UniqueConstraint("order_line_id", name="uq_reviews_order_line"),
        Index("ix_reviews_product_created", "product_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    buyer = relationship("User", foreign_keys=[buyer_id])
    product = relationship("Product")
    order_line = relationship("OrderLine")


# Product pages (cached) show the reviews: writing one moves the catalogue stamp.
freshness.also_shown(Review)
