"""Cooperatives, their products and photos, supply lots and who contributed to each lot."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db

cooperative_managers = Table(
    "cooperative_managers",
    db.metadata,
    Column("cooperative_id", ForeignKey("cooperatives.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Cooperative(db.Model):
    __tablename__ = "cooperatives"
    __table_args__ = (
        CheckConstraint(
            "producer_share_bp >= 0 AND producer_share_bp <= 10000", name="share_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    village_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    registration_no: Mapped[str] = mapped_column(String(40), unique=True)
    description_zh: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(20))
    home_station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    producer_share_bp: Mapped[int] = mapped_column(default=8000)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    village = relationship("Region")
    home_station = relationship("Station")
    managers = relationship("User", secondary=cooperative_managers, lazy="selectin")
    products: Mapped[list["Product"]] = relationship(back_populates="cooperative")

    def display_name(self, locale: str = "zh") -> str:
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name_zh


class Category(db.Model):
    """A product category; the fixed list is seeded and administrators may add to it."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(default=0)

    def display_name(self, locale: str = "zh") -> str:
        return self.name_en if locale == "en" else self.name_zh


class ProductStatus(StrEnum):
    draft = "draft"
    active = "active"
    archived = "archived"


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_fen >= 0", name="price_nonneg"),
        CheckConstraint("unit_weight_g > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    # Code of the sale unit (see catalog.services.UNITS): bag_1kg, box_5kg, head, ...
    unit: Mapped[str] = mapped_column(String(30))
    unit_weight_g: Mapped[int]
    price_fen: Mapped[int] = mapped_column(BigInteger)
    description_zh: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    ovop: Mapped[bool] = mapped_column(default=False)
    perishable: Mapped[bool] = mapped_column(default=False)
    # One of the cooperative's freight templates; NULL: its default (catalog/freight.py).
    freight_template_id: Mapped[int | None] = mapped_column(ForeignKey("freight_templates.id"))
    status: Mapped[ProductStatus] = mapped_column(
        Enum(ProductStatus, native_enum=False, length=20), default=ProductStatus.draft, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    cooperative: Mapped[Cooperative] = relationship(back_populates="products")
    category = relationship("Category")
    photos: Mapped[list["ProductPhoto"]] = relationship(
        order_by="ProductPhoto.position", cascade="all, delete-orphan", back_populates="product"
    )
    lots: Mapped[list["SupplyLot"]] = relationship(back_populates="product")

    def display_name(self, locale: str = "zh") -> str:
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name_zh

    # The status questions pages ask, answered here so templates compare no status strings.
    @property
    def on_sale(self) -> bool:
        return self.status == ProductStatus.active

    @property
    def is_archived(self) -> bool:
        return self.status == ProductStatus.archived

    def display_description(self, locale: str = "zh") -> str:
        if locale == "en" and self.description_en:
            return self.description_en
        return self.description_zh or ""


class ProductPhoto(db.Model):
    __tablename__ = "product_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    # Generated names under UPLOAD_FOLDER; never the uploader's file name.
    filename: Mapped[str] = mapped_column(String(80))
    thumb_filename: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="photos")


class SupplyLot(db.Model):
    """A batch of a product received from suppliers (入库批次); never deleted, only voided."""

    __tablename__ = "supply_lots"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("remaining >= 0", name="remaining_nonneg"),
        CheckConstraint("remaining <= quantity", name="remaining_le_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int]
    remaining: Mapped[int]
    grade: Mapped[str] = mapped_column(String(10))
    harvested_on: Mapped[date | None]
    received_on: Mapped[date]
    void: Mapped[bool] = mapped_column(default=False)
    corrects_lot_id: Mapped[int | None] = mapped_column(ForeignKey("supply_lots.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="lots")
    contributions: Mapped[list["LotContribution"]] = relationship(
        back_populates="lot", order_by="LotContribution.id"
    )


class LotContribution(db.Model):
    """How much of a lot one registered household, or another supplier, handed in."""

    __tablename__ = "lot_contributions"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "household_id IS NOT NULL OR supplier_name IS NOT NULL", name="has_supplier"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("supply_lots.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    supplier_name: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[int]

    lot: Mapped[SupplyLot] = relationship(back_populates="contributions")
    household = relationship("Household")


class CatalogStamp(db.Model):
    """One row: a random stamp that any write to the catalogue moves (catalog/freshness.py);
    cached shop and product pages carry it in their keys."""

    __tablename__ = "catalog_stamps"

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))
