"""The monthly income rollup (HouseholdIncomeMonth): added to whenever ledger entries are
written, in the same transaction, with an atomic upsert (two concurrent recognitions for the
same household and month both count: ON CONFLICT adds under the row lock)."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..clock import local_month, month_of
from ..extensions import db
from ..money import sum_fen
from .models import HouseholdIncomeMonth, IncomeEntry

KEY = ("household_id", "village_id", "month")


def _insert():
    """INSERT ... ON CONFLICT for the session's dialect (SQLite and PostgreSQL both have it)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(HouseholdIncomeMonth)


def _upsert(stmt):
    table = HouseholdIncomeMonth.__table__
    return stmt.on_conflict_do_update(
        index_elements=list(KEY),
        set_={"amount_fen": table.c.amount_fen + stmt.excluded.amount_fen},
    )


def add_entries(entries) -> None:
    """Add freshly written ledger entries to the rollup (call in the same transaction)."""
    sums = defaultdict(int)
    for e in entries:
        if e.household_id is None or e.village_id is None:
            continue
        sums[(e.household_id, e.village_id, month_of(e.recognised_at))] += e.amount_fen
    if not sums:
        return
    rows = [
        {"household_id": h, "village_id": v, "month": m, "amount_fen": fen}
        for (h, v, m), fen in sorted(sums.items())  # sorted: a fixed lock order
    ]
    db.session.execute(_upsert(_insert().values(rows)))


def add_ledger_from(first_entry_id: int = 0) -> None:
    """Add every ledger entry with id >= first_entry_id to the rollup, in one statement.

    For bulk loads (the prefecture generator) and to rebuild the rollup into an empty table.
    """
    month = local_month(IncomeEntry.recognised_at)
    source = (
        select(
            IncomeEntry.household_id,
            IncomeEntry.village_id,
            month,
            sum_fen(IncomeEntry.amount_fen),
        )
        .where(
            IncomeEntry.id >= first_entry_id,
            IncomeEntry.household_id.is_not(None),
            IncomeEntry.village_id.is_not(None),
        )
        .group_by(IncomeEntry.household_id, IncomeEntry.village_id, month)
    )
    db.session.execute(_upsert(_insert().from_select(list(KEY) + ["amount_fen"], source)))
