"""The registry of poor households (建档立卡贫困户), poverty lines and the income ledger."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db


def _enum(cls):
    return Enum(cls, native_enum=False, length=30)


class HouseholdType(StrEnum):
    ordinary = "ordinary"  # 一般贫困户
    dibao = "dibao"  # 低保贫困户
    wubao = "wubao"  # 五保贫困户


class PovertyStatus(StrEnum):
    not_exited = "not_exited"  # 未脱贫
    exited = "exited"  # 已脱贫
    fell_back = "fell_back"  # 返贫


class Household(db.Model):
    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint("members >= 1 AND members <= 30", name="members_range"),
        CheckConstraint("net_income_per_person_fen >= 0", name="income_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_no: Mapped[str] = mapped_column(String(30), unique=True)
    head_name: Mapped[str] = mapped_column(String(50))
    # Sensitive: shown in full to administrators only (households.services masks it).
    id_card_no: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(20))
    village_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    natural_village: Mapped[str | None] = mapped_column(String(50))
    members: Mapped[int]
    household_type: Mapped[HouseholdType] = mapped_column(
        _enum(HouseholdType), default=HouseholdType.ordinary
    )
    # Up to two causes, comma separated codes (see households.services.POVERTY_CAUSES).
    poverty_causes: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[PovertyStatus] = mapped_column(
        _enum(PovertyStatus), default=PovertyStatus.not_exited
    )
    planned_exit_year: Mapped[int | None]
    exit_year: Mapped[int | None]
    net_income_per_person_fen: Mapped[int | None]
    income_year: Mapped[int | None]
    is_sample: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    village = relationship("Region")


class PovertyLine(db.Model):
    """The national poverty line per person for one year, in fen (admin-editable)."""

    __tablename__ = "poverty_lines"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    amount_fen: Mapped[int]
    note: Mapped[str | None] = mapped_column(String(200))


class IncomeKind(StrEnum):
    sale = "sale"
    reversal = "reversal"


class IncomeEntry(db.Model):
    """One part of a recognised sale for one contributor (append-only ledger).

    household_id is NULL for suppliers who are not registered households; their parts
    are kept so each line's split always sums to its distributable amount.
    """

    __tablename__ = "income_entries"
    __table_args__ = (
        Index("ix_income_entries_household_at", "household_id", "recognised_at"),
        # Area reports (a county/township/village and a period) read only these columns;
        # with household and amount included PostgreSQL answers from the index alone
        # (about 5x faster for one county and one year at 21 million entries).
        Index(
            "ix_income_entries_village_at_cover",
            "village_id",
            "recognised_at",
            postgresql_include=["household_id", "amount_fen"],
        ),
        # Household reports read whole months from the monthly rollup and only the days
        # at either end of a period from here, across every village: by time alone.
        Index(
            "ix_income_entries_at_cover",
            "recognised_at",
            postgresql_include=["household_id", "village_id", "amount_fen"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    contribution_id: Mapped[int] = mapped_column(ForeignKey("lot_contributions.id"))
    supplier_name: Mapped[str | None] = mapped_column(String(100))
    # Denormalised from the household so area reports need no join through households.
    village_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    fulfilment_id: Mapped[int] = mapped_column(ForeignKey("fulfilments.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("supply_lots.id"))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # negative for reversals
    kind: Mapped[IncomeKind] = mapped_column(_enum(IncomeKind))
    recognised_at: Mapped[datetime] = mapped_column(default=utcnow)

    household = relationship("Household")


class HouseholdIncomeMonth(db.Model):
    """The ledger summed per household, village and local (China) month: a rollup.

    Kept up by households.income in the same transaction as the entries it sums, so it
    always equals the ledger; reports over whole months read it instead of the ledger
    (about 40x fewer rows at prefecture scale). Entries without a household or village
    are not rolled up: no report counts them.
    """

    __tablename__ = "household_income_months"
    __table_args__ = (Index("ix_household_income_months_month_village", "month", "village_id"),)

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), primary_key=True)
    # The village of the entries (the household's village when the sale was recognised).
    village_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 'YYYY-MM', local time
    amount_fen: Mapped[int] = mapped_column(BigInteger)
