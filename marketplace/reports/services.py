"""What every report shares: the filters (area, period, sort), the shape of a report
(columns, streamed rows, totals) and small pure helpers (masking names, shares in basis
points). The poverty line of a year is the registry's (households.services); the reports
themselves live in reports/queries/.

Reports only read: no function here writes to the database.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..clock import day_start, local_today
from ..extensions import db
from ..regions.models import Region, RegionLevel

ROWS_PER_PAGE = 50
PRINT_ROWS = 2000
# Rows fetched from the database per round trip while streaming an export.
STREAM_BATCH = 1000


@dataclass
class Filters:
    """What a report is asked for: an area (None = the whole prefecture), a period of local
    dates (both ends included), an optional breakdown and a sort."""

    area: Region | None = None
    start: date = field(default_factory=lambda: date(local_today().year, 1, 1))
    end: date = field(default_factory=local_today)
    by: str | None = None
    sort: str | None = None
    # None: the sort's natural direction (names A-Z, amounts largest first).
    descending: bool | None = None
    locale: str = "zh"
    platform_fee_bp: int = 0

    @property
    def start_utc(self) -> datetime:
        return day_start(self.start)

    @property
    def end_utc(self) -> datetime:
        """Exclusive upper bound: local midnight after the last day."""
        return day_start(self.end + timedelta(days=1))

    @property
    def area_level(self) -> RegionLevel:
        return self.area.level if self.area is not None else RegionLevel.prefecture

    def name(self, name_zh: str | None, name_en: str | None) -> str:
        """A place or product name in the report's language, falling back to Chinese."""
        if self.locale == "en" and name_en:
            return name_en
        return name_zh or ""


@dataclass(frozen=True)
class Column:
    """One column: `kind` says how to show and export it (text, int, fen, share, days, yesno,
    decimal); `sort` is the key accepted in ?sort= when the column can be sorted."""

    key: str
    label: object
    kind: str = "text"
    sort: str | None = None


@dataclass
class Table:
    """A report's result: columns, a way to read rows (a page, or all of them streamed),
    totals computed in SQL, and notes shown under the table."""

    columns: list[Column]
    read_rows: Callable[[int | None, int], Iterator[dict]]
    totals: dict | None = None
    row_count: int | None = None
    notes: list = field(default_factory=list)
    chart: dict | None = None

    def rows(self, limit: int | None = None, offset: int = 0) -> Iterator[dict]:
        """Rows as dicts keyed by column key (plus '_link' for drill-down)."""
        return self.read_rows(limit, offset)


def stream(stmt, limit: int | None = None, offset: int = 0):
    """Execute `stmt` for one page, or stream every row in batches (exports)."""
    if limit is not None:
        return db.session.execute(stmt.limit(limit).offset(offset))
    return db.session.execute(stmt.execution_options(yield_per=STREAM_BATCH))


def share_bp(part: int | None, whole: int | None) -> int | None:
    """part / whole in basis points, rounded down (None when there is no whole)."""
    if not whole:
        return None
    return (part or 0) * 10000 // whole


def per(amount: int | None, count: int | None) -> int | None:
    """amount / count in whole fen, rounded down (None when count is 0)."""
    if not count:
        return None
    return (amount or 0) // count


def order_by(stmt, sorts: dict, filters: Filters, default: str, tiebreak, text_sorts=()):
    """Apply ?sort= (one of `sorts`) and the direction; always end on a stable tiebreak.

    Without an explicit direction, names and codes (`text_sorts`) run A-Z and amounts
    largest first.
    """
    key = filters.sort if filters.sort in sorts else default
    descending = filters.descending
    if descending is None:
        descending = key not in text_sorts
    expr = sorts[key]
    return stmt.order_by(expr.desc() if descending else expr.asc(), tiebreak)
