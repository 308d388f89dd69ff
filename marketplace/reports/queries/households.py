"""Report 1, household income: platform income per registered household in a period,
per person, and whether it lifts the household to the year's poverty line."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, case, cast, func, null, select, union_all
from sqlalchemy.orm import aliased

from ...extensions import db
from ...households.models import Household, HouseholdIncomeMonth, IncomeEntry
from ...money import format_fen
from ...regions.models import Region
from ..services import (
    Column,
    Filters,
    Table,
    local_to_utc,
    mask_name,
    order_by,
    per,
    poverty_line_fen,
    stream,
)
from ..sql import positive, total, under_area

COLUMNS = [
    Column("household_no", _l("Household no."), sort="household_no"),
    Column("name", _l("Head of household")),
    Column("village", _l("Village"), sort="village"),
    Column("members", _l("Members"), "int", sort="members"),
    Column("income", _l("Platform income"), "fen", sort="income"),
    Column("per_person", _l("Per person"), "fen", sort="per_person"),
    Column("registered", _l("Registered net income per person"), "fen", sort="registered"),
    Column("reaches", _l("Reaches the poverty line"), "yesno", sort="reaches"),
]


def household_income(filters: Filters):
    """One row per household with ledger entries in the period and area (a subquery).

    The area is that of the entries (the household's village when the sale was
    recognised), the same rule the area roll-up uses, so their totals agree.
    """
    source = income_source(filters)
    village = aliased(Region)
    return (
        select(
            source.c.household_id.label("household_id"),
            total(source.c.amount_fen).label("income"),
        )
        .join(village, village.id == source.c.village_id)
        .where(under_area(village.code, filters))
        .group_by(source.c.household_id)
        .subquery("household_income")
    )


def income_source(filters: Filters):
    """(household_id, village_id, amount_fen) of the household income in the period.

    The whole local months inside the period are read from the monthly rollup (about 40x
    fewer rows than the ledger at prefecture scale); the days before the first and after
    the last whole month from the ledger. The rollup is kept up in the ledger's own
    transaction, so the sums are exactly the ledger's.
    """
    first_full = filters.start if filters.start.day == 1 else _next_month(filters.start)
    after_full = (filters.end + timedelta(days=1)).replace(day=1)  # exclusive
    if first_full >= after_full:  # no whole month inside: the ledger alone
        return _ledger(filters.start_utc, filters.end_utc).subquery("income_source")
    rollup = HouseholdIncomeMonth
    parts = [
        select(rollup.household_id, rollup.village_id, rollup.amount_fen).where(
            rollup.month.between(
                first_full.strftime("%Y-%m"), (after_full - timedelta(days=1)).strftime("%Y-%m")
            )
        )
    ]
    if first_full > filters.start:
        parts.append(_ledger(filters.start_utc, local_to_utc(first_full)))
    if after_full <= filters.end:
        parts.append(_ledger(local_to_utc(after_full), filters.end_utc))
    stmt = parts[0] if len(parts) == 1 else union_all(*parts)
    return stmt.subquery("income_source")


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=31)).replace(day=1)


def _ledger(start_utc, end_utc):
    """Household entries recognised in [start_utc, end_utc)."""
    return select(IncomeEntry.household_id, IncomeEntry.village_id, IncomeEntry.amount_fen).where(
        IncomeEntry.household_id.is_not(None),
        IncomeEntry.village_id.is_not(None),
        IncomeEntry.recognised_at >= start_utc,
        IncomeEntry.recognised_at < end_utc,
    )


def _rows_statement(filters: Filters, line_fen: int | None):
    grouped = household_income(filters)
    village = aliased(Region)
    net = Household.net_income_per_person_fen
    # Reaches the line when registered income + platform income per person >= the line;
    # compared multiplied out by members so no division (and no rounding) is involved.
    if line_fen is None:
        reaches = cast(null(), Integer)
    else:
        reaches = case(
            (net.is_(None), None),
            (net * Household.members + grouped.c.income >= line_fen * Household.members, 1),
            else_=0,
        )
    stmt = (
        select(
            Household.household_no,
            Household.head_name,
            Household.members,
            net.label("registered"),
            village.code.label("village_code"),
            village.name_zh.label("village_zh"),
            village.name_en.label("village_en"),
            grouped.c.income,
            reaches.label("reaches"),
        )
        .join(Household, Household.id == grouped.c.household_id)
        .join(village, village.id == Household.village_id)
    )
    return stmt, grouped, reaches


def build(filters: Filters) -> Table:
    """The household income report for `filters`."""
    line_fen = poverty_line_fen(filters.end.year)
    stmt, grouped, reaches = _rows_statement(filters, line_fen)
    sorts = {
        "household_no": Household.household_no,
        "village": stmt.selected_columns.village_code,
        "members": Household.members,
        "income": grouped.c.income,
        "per_person": grouped.c.income // Household.members,
        "registered": Household.net_income_per_person_fen,
        "reaches": reaches,
    }
    ordered = order_by(
        stmt, sorts, filters, "income", Household.household_no, ("household_no", "village")
    )

    def read_rows(limit, offset):
        for row in stream(ordered, limit, offset):
            yield {
                "household_no": row.household_no,
                "name": mask_name(row.head_name),
                "village": filters.name(row.village_zh, row.village_en),
                "members": row.members,
                "income": row.income,
                "per_person": per(row.income, row.members),
                "registered": row.registered,
                "reaches": None if row.reaches is None else bool(row.reaches),
            }

    summary = stmt.subquery()
    totals_row = db.session.execute(
        select(
            func.count().label("households"),
            func.coalesce(total(summary.c.members), 0).label("members"),
            func.coalesce(total(summary.c.income), 0).label("income"),
            func.coalesce(total(positive(summary.c.income)), 0).label("reached"),
            func.coalesce(total(summary.c.reaches), 0).label("reaching"),
        ).select_from(summary)
    ).one()
    totals = {
        "household_no": _l("%(n)s households", n=totals_row.households),
        "members": totals_row.members,
        "income": totals_row.income,
        "per_person": per(totals_row.income, totals_row.members),
        "reaches": _l("%(n)s reach", n=totals_row.reaching),
        "_reached": totals_row.reached,
        "_households": totals_row.households,
    }
    notes = [
        _l(
            "Households with platform income in the period. Names are masked. Per person = "
            "platform income / members, rounded down to the fen."
        ),
    ]
    if line_fen is None:
        notes.append(_l("No poverty line is recorded for %(year)s.", year=filters.end.year))
    else:
        notes.append(
            _l(
                "Reaches the poverty line: registered net income per person plus platform "
                "income per person is at least the %(year)s line of %(line)s.",
                year=filters.end.year,
                line=format_fen(line_fen),
            )
        )
    return Table(COLUMNS, read_rows, totals, totals_row.households, notes)
