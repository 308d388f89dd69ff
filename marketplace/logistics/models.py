"""The station network (county centre > township station > village point), links with
schedules, parcels, manifests (consolidated runs), scans and cash movements."""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db


def _enum(cls):
    return Enum(cls, native_enum=False, length=30)


class StationKind(StrEnum):
    county_center = "county_center"
    township_station = "township_station"
    village_point = "village_point"


station_operators = Table(
    "station_operators",
    db.metadata,
    Column("station_id", ForeignKey("stations.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
)


class Station(db.Model):
    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[StationKind] = mapped_column(_enum(StationKind))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    opening_hours: Mapped[str | None] = mapped_column(String(100))
    cold_chain: Mapped[bool] = mapped_column(default=False)
    capacity_per_day: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)

    region = relationship("Region")
    operators = relationship("User", secondary=station_operators, lazy="selectin")

    __table_args__ = (CheckConstraint("capacity_per_day >= 0", name="capacity_nonneg"),)

    def display_name(self, locale: str = "zh") -> str:
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name_zh


class Link(db.Model):
    """A scheduled run between two stations, or (to_station_id NULL) an express hand-over."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    to_station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    distance_km: Mapped[int] = mapped_column(default=0)
    cost_per_run_fen: Mapped[int] = mapped_column(default=0)
    cost_per_kg_fen: Mapped[int] = mapped_column(default=0)
    transit_minutes: Mapped[int] = mapped_column(default=60)
    cold_chain: Mapped[bool] = mapped_column(default=False)
    # ISO weekdays the run departs, e.g. "14" = Monday and Thursday, "1234567" = daily.
    weekdays: Mapped[str] = mapped_column(String(7), default="1234567")
    departs_at: Mapped[time] = mapped_column(default=time(8, 0))
    carrier: Mapped[str | None] = mapped_column(String(50))
    # Cost figures in demo data are assumptions, not published numbers.
    cost_is_assumption: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)

    from_station = relationship("Station", foreign_keys=[from_station_id])
    to_station = relationship("Station", foreign_keys=[to_station_id])

    __table_args__ = (
        CheckConstraint("cost_per_run_fen >= 0", name="cost_per_run_nonneg"),
        CheckConstraint("cost_per_kg_fen >= 0", name="cost_per_kg_nonneg"),
        CheckConstraint("transit_minutes >= 0", name="transit_nonneg"),
    )


class NetworkStamp(db.Model):
    """One row whose stamp changes whenever a station or link is written (see
    logistics.network): processes keep the planner's network until the stamp moves."""

    __tablename__ = "network_stamps"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    stamp: Mapped[str] = mapped_column(String(32))


class ParcelStatus(StrEnum):
    awaiting_handover = "awaiting_handover"  # at the cooperative, not yet handed in
    at_station = "at_station"
    in_transit = "in_transit"
    ready_for_pickup = "ready_for_pickup"
    handed_over = "handed_over"
    handed_to_carrier = "handed_to_carrier"
    cancelled = "cancelled"
    # Nobody collected it in time: it travelled back and its origin point received it.
    returned = "returned"


class Parcel(db.Model):
    __tablename__ = "parcels"
    __table_args__ = (
        UniqueConstraint("carrier", "tracking_no", name="uq_parcels_carrier_tracking_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    pickup_code: Mapped[str] = mapped_column(String(6))
    fulfilment_id: Mapped[int] = mapped_column(ForeignKey("fulfilments.id"), unique=True)
    # Ordered station ids from origin village point to pickup point (or express hub).
    route: Mapped[list] = mapped_column(JSON)
    # Ordered link ids between the route's stations (len(route) - 1, + express link if any).
    route_links: Mapped[list] = mapped_column(JSON, default=list)
    weight_g: Mapped[int] = mapped_column(default=0)
    cold_chain: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ParcelStatus] = mapped_column(
        _enum(ParcelStatus), default=ParcelStatus.awaiting_handover
    )
    current_station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    leg_index: Mapped[int] = mapped_column(default=0)
    eta: Mapped[datetime | None]
    # The end of the pickup window the buyer was shown at checkout (never moved): the
    # parcel is late if it is ready for pickup after it (the logistics report).
    promised_by: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Nobody collected it: the buyer was reminded; then it started back to its origin (the
    # route and route_links are then the way back; the scans keep the way there).
    reminded_at: Mapped[datetime | None]
    return_started_at: Mapped[datetime | None]
    # Express parcels: the carrier (logistics/carriers.py CARRIERS), its tracking number and
    # when the county centre handed the parcel to it (set by the handed_to_carrier scan).
    carrier: Mapped[str | None] = mapped_column(String(10))
    tracking_no: Mapped[str | None] = mapped_column(String(32))
    carrier_handed_at: Mapped[datetime | None] = mapped_column(index=True)

    fulfilment = relationship("Fulfilment", back_populates="parcel")
    scans = relationship("ParcelScan", order_by="ParcelScan.at", back_populates="parcel")

    # The status questions pages ask, answered here so templates compare no status strings.
    @property
    def is_ready(self) -> bool:
        return self.status == ParcelStatus.ready_for_pickup

    @property
    def is_handed_over(self) -> bool:
        """With the buyer, or with the express carrier: its journey here is over."""
        return self.status in (ParcelStatus.handed_over, ParcelStatus.handed_to_carrier)

    @property
    def is_under_way(self) -> bool:
        """Still to reach its buyer: packed, travelling or waiting at the pickup point."""
        return not self.is_handed_over and self.status != ParcelStatus.cancelled

    @property
    def is_returning(self) -> bool:
        """On its way back to its origin because nobody collected it."""
        return self.return_started_at is not None and self.status != ParcelStatus.returned

    @property
    def is_in_transit(self) -> bool:
        return self.status == ParcelStatus.in_transit


class ManifestStatus(StrEnum):
    planned = "planned"
    departed = "departed"
    arrived = "arrived"


class Manifest(db.Model):
    """One scheduled run of one link on one day: the parcels consolidated onto it."""

    __tablename__ = "manifests"
    __table_args__ = (
        UniqueConstraint("link_id", "departs_at", name="uq_manifests_link_departs"),
        CheckConstraint("cost_fen >= 0", name="cost_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("links.id"))
    service_date: Mapped[date] = mapped_column(index=True)
    departs_at: Mapped[datetime]
    cost_fen: Mapped[int] = mapped_column(default=0)
    status: Mapped[ManifestStatus] = mapped_column(
        _enum(ManifestStatus), default=ManifestStatus.planned
    )

    link = relationship("Link")
    entries = relationship("ManifestParcel", back_populates="manifest")


class ManifestParcel(db.Model):
    __tablename__ = "manifest_parcels"
    __table_args__ = (CheckConstraint("cost_share_fen >= 0", name="share_nonneg"),)

    manifest_id: Mapped[int] = mapped_column(ForeignKey("manifests.id"), primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"), primary_key=True)
    cost_share_fen: Mapped[int] = mapped_column(default=0)

    manifest = relationship("Manifest", back_populates="entries")
    parcel = relationship("Parcel")


class ScanAction(StrEnum):
    received = "received"
    departed = "departed"
    arrived = "arrived"
    handed_over = "handed_over"
    handed_to_carrier = "handed_to_carrier"


class ParcelScan(db.Model):
    __tablename__ = "parcel_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    action: Mapped[ScanAction] = mapped_column(_enum(ScanAction))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    parcel = relationship("Parcel", back_populates="scans")
    station = relationship("Station")


class PickupCodeFailure(db.Model):
    """A wrong pickup code typed for a parcel: enough of them lock its hand-over for a while
    (`scans.pickup_locked_until`). Rows, not a counter in memory, so every worker agrees."""

    __tablename__ = "pickup_code_failures"
    __table_args__ = (db.Index("ix_pickup_code_failures_parcel_at", "parcel_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"))
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class CashKind(StrEnum):
    collected = "collected"
    handed_on = "handed_on"
    refunded = "refunded"


class CashMovement(db.Model):
    """Cash in or out of a station's till (append-only)."""

    __tablename__ = "cash_movements"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    fulfilment_id: Mapped[int | None] = mapped_column(ForeignKey("fulfilments.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[CashKind] = mapped_column(_enum(CashKind))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(String(200))

    order = relationship("Order")


class CarrierEventStatus(StrEnum):
    in_transit = "in_transit"
    out_for_delivery = "out_for_delivery"
    delivered = "delivered"
    exception = "exception"
    returned = "returned"


class CarrierEvent(db.Model):
    """A tracking event a carrier (or aggregator) pushed to the signed webhook, stored once
    per its `event_id`; `parcel_id` is NULL when no parcel has that tracking number."""

    __tablename__ = "carrier_events"
    __table_args__ = (db.Index("ix_carrier_events_parcel_at", "parcel_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    carrier: Mapped[str] = mapped_column(String(20))
    tracking_no: Mapped[str] = mapped_column(String(40))
    status: Mapped[CarrierEventStatus] = mapped_column(_enum(CarrierEventStatus))
    at: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(String(200))
    parcel_id: Mapped[int | None] = mapped_column(ForeignKey("parcels.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(200))
