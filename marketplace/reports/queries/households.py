"""Report 1, household income: platform income per registered household in a period,
per person, and whether it lifts the household to the year's poverty line."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, case, cast, func, null, select, union_all
from sqlalchemy.orm import aliased

from ...clock import day_start
from ...extensions import db
from ...households.models import Household, HouseholdIncomeMonth, IncomeEntry
from ...households.services import mask_name, poverty_line_fen
from ...money import format_fen
from ...regions.models import Region
from ..services import (
    Column,
    Filters,
    Table,
    order_by,
    per,
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
    """(household_id, village_id, amount_fen) rows that sum to the household income of the
    period.

    Whole local months are read from the monthly rollup (about 40x fewer rows than the
    ledger at prefecture scale), the days at either end of the period from the ledger. A
    month the period covers mostly is read as its rollup minus the ledger of the few days
    left out. The rollup is kept up in the ledger's own transaction, so the sums are
    exactly the ledger's.
    """
    first_full = filters.start if filters.start.day == 1 else _next_month(filters.start)
    after_full = (filters.end + timedelta(days=1)).replace(day=1)  # exclusive
    if first_full >= after_full:  # no whole month inside: the ledger alone
        return _ledger(filters.start, filters.end + timedelta(days=1)).subquery("income_source")
    parts = [_rollup(first_full, after_full)]
    if first_full > filters.start:  # the days before the first whole month
        month = filters.start.replace(day=1)
        if (filters.start - month) <= (first_full - filters.start):
            parts += [_rollup(month, first_full), _ledger(month, filters.start, sign=-1)]
        else:
            parts.append(_ledger(filters.start, first_full))
    after_end = filters.end + timedelta(days=1)
    if after_full < after_end:  # the days after the last whole month
        next_month = _next_month(after_full)
        if (next_month - after_end) <= (after_end - after_full):
            parts += [_rollup(after_full, next_month), _ledger(after_end, next_month, sign=-1)]
        else:
            parts.append(_ledger(after_full, after_end))
    stmt = parts[0] if len(parts) == 1 else union_all(*parts)
    return stmt.subquery("income_source")


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=31)).replace(day=1)


def _rollup(first: date, after: date):
    """Rollup rows of the whole months from `first` up to (not including) `after`."""
    rollup = HouseholdIncomeMonth
    last = after - timedelta(days=1)
    return select(rollup.household_id, rollup.village_id, rollup.amount_fen).where(
        rollup.month.between(first.strftime("%Y-%m"), last.strftime("%Y-%m"))
    )


def _ledger(first: date, after: date, sign: int = 1):
    """Household entries recognised on local days first..after (exclusive), times `sign`."""
    amount = IncomeEntry.amount_fen if sign > 0 else -IncomeEntry.amount_fen
    return select(IncomeEntry.household_id, IncomeEntry.village_id, amount).where(
        IncomeEntry.household_id.is_not(None),
        IncomeEntry.village_id.is_not(None),
        IncomeEntry.recognised_at >= day_start(first),
        IncomeEntry.recognised_at < day_start(after),
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
        # For the chart: None when the year has no poverty line to reach.
        "_reaching": None if line_fen is None else totals_row.reaching,
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
