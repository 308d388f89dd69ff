"""Carts, orders, their lines, the lots each line's units came from, and fulfilments
(one per cooperative in an order)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db


def _enum(cls):
    return Enum(cls, native_enum=False, length=30)


class PaymentMethod(StrEnum):
    cash_at_pickup = "cash_at_pickup"
    stripe = "stripe"


class Delivery(StrEnum):
    pickup = "pickup"  # collected at a village point
    express = "express"  # sent by express carrier from the county centre to an address


class OrderStatus(StrEnum):
    pending_payment = "pending_payment"  # online payment not yet confirmed; stock held
    confirmed = "confirmed"  # paid online, or cash order accepted
    completed = "completed"  # every fulfilment delivered
    cancelled = "cancelled"


class CancelReason(StrEnum):
    """Why an order was cancelled: set by the verb that cancelled it, never typed."""

    buyer = "buyer"  # the buyer (or the operator who ordered for them) cancelled it
    payment_expired = "payment_expired"  # the time to pay online ran out
    payment_failed = "payment_failed"  # the online payment failed or could not start
    not_collected = "not_collected"  # every parcel went back: nobody collected it in time


class FulfilmentStatus(StrEnum):
    pending_payment = "pending_payment"
    to_pack = "to_pack"
    packed = "packed"
    in_transit = "in_transit"
    ready_for_pickup = "ready_for_pickup"
    delivered = "delivered"
    cancelled = "cancelled"


class CartItem(db.Model):
    __tablename__ = "cart_items"
    __table_args__ = (
        UniqueConstraint("user_id", "product_id", name="uq_cart_items_user_product"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    product = relationship("Product")


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("goods_fen >= 0", name="goods_nonneg"),
        CheckConstraint("shipping_fen >= 0", name="shipping_nonneg"),
        CheckConstraint("total_fen >= 0", name="total_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Set when a village point operator ordered for a villager without a phone (代买).
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recipient_name: Mapped[str | None] = mapped_column(String(50))
    recipient_phone: Mapped[str | None] = mapped_column(String(20))
    # The village point (pickup); NULL for an express order, which has a ship_* address.
    pickup_station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    delivery: Mapped[Delivery] = mapped_column(
        _enum(Delivery), default=Delivery.pickup, server_default=Delivery.pickup.value
    )
    # The delivery address as it was at checkout (the address book may change later).
    ship_recipient: Mapped[str | None] = mapped_column(String(50))
    ship_phone: Mapped[str | None] = mapped_column(String(20))
    ship_province_code: Mapped[str | None] = mapped_column(String(12))
    ship_province_name: Mapped[str | None] = mapped_column(String(50))
    ship_city_code: Mapped[str | None] = mapped_column(String(12))
    ship_city_name: Mapped[str | None] = mapped_column(String(50))
    ship_district_code: Mapped[str | None] = mapped_column(String(12))
    ship_district_name: Mapped[str | None] = mapped_column(String(50))
    ship_street: Mapped[str | None] = mapped_column(String(200))
    payment_method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod))
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus), index=True)
    # Set with the cancellation; only an expired payment lets an order come back.
    cancel_reason: Mapped[CancelReason | None] = mapped_column(_enum(CancelReason))
    goods_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    shipping_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    buyer = relationship("User", foreign_keys=[buyer_id])
    placed_by = relationship("User", foreign_keys=[placed_by_id])
    pickup_station = relationship("Station")
    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", order_by="OrderLine.id")
    fulfilments: Mapped[list["Fulfilment"]] = relationship(
        back_populates="order", order_by="Fulfilment.id"
    )

    @property
    def is_express(self) -> bool:
        return self.delivery == Delivery.express

    @property
    def ship_address_line(self) -> str:
        """'甘肃省兰州市城关区 东岗西路1号' (a municipality's name once)."""
        names = []
        for name in (self.ship_province_name, self.ship_city_name, self.ship_district_name):
            if name and (not names or names[-1] != name):
                names.append(name)
        return "".join(names) + " " + (self.ship_street or "")

    @property
    def ship_phone_masked(self) -> str:
        phone = self.ship_phone or ""
        return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else phone


class Fulfilment(db.Model):
    """The part of an order one cooperative packs and sends: one parcel."""

    __tablename__ = "fulfilments"
    __table_args__ = (
        CheckConstraint("goods_fen >= 0", name="goods_nonneg"),
        CheckConstraint("shipping_fen >= 0", name="shipping_nonneg"),
        CheckConstraint("amount_due_fen >= 0", name="due_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    status: Mapped[FulfilmentStatus] = mapped_column(_enum(FulfilmentStatus), index=True)
    goods_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    shipping_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    # What the buyer still has to pay at pickup (cash orders); 0 once paid online.
    amount_due_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    # Set exactly once, in the transaction that writes the IncomeEntry rows.
    income_recognised_at: Mapped[datetime | None]

    order: Mapped[Order] = relationship(back_populates="fulfilments")
    cooperative = relationship("Cooperative")
    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="fulfilment", order_by="OrderLine.id"
    )
    parcel = relationship("Parcel", back_populates="fulfilment", uselist=False)


class OrderLine(db.Model):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_fen >= 0", name="price_nonneg"),
        CheckConstraint("line_fen >= 0", name="line_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    fulfilment_id: Mapped[int] = mapped_column(ForeignKey("fulfilments.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    # Copied at checkout so later edits of the product never change a placed order.
    product_name: Mapped[str] = mapped_column(String(100))
    product_name_en: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(30))
    unit_weight_g: Mapped[int]
    quantity: Mapped[int]
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)
    line_fen: Mapped[int] = mapped_column(BigInteger)

    order: Mapped[Order] = relationship(back_populates="lines")
    fulfilment: Mapped[Fulfilment] = relationship(back_populates="lines")
    product = relationship("Product")
    allocations: Mapped[list["LineAllocation"]] = relationship(
        back_populates="line", order_by="LineAllocation.id"
    )

    def display_name(self, locale: str = "zh") -> str:
        """The product's name as it was at checkout, in English where it had one."""
        if locale == "en" and self.product_name_en:
            return self.product_name_en
        return self.product_name


class LineAllocation(db.Model):
    """How many of a line's units came from which supply lot."""

    __tablename__ = "line_allocations"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("supply_lots.id"), index=True)
    quantity: Mapped[int]
    # Set when the units went back to the lot (cancel/expiry); rows are never deleted.
    released_at: Mapped[datetime | None]

    line: Mapped[OrderLine] = relationship(back_populates="allocations")
    lot = relationship("SupplyLot")
