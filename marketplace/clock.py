"""Now, and China's local time: the one place that knows either.

Timestamps are stored as naive UTC everywhere, so SQLite and PostgreSQL store and compare
them the same way. People in Linxia read and mean Beijing time: China has one time zone,
UTC+8 all year with no daylight saving, so a fixed offset is exact and is the same sum in
Python and in SQL (report months are bucketed in the database with it).
"""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

UTC_OFFSET_HOURS = 8
LOCAL_OFFSET = timedelta(hours=UTC_OFFSET_HOURS)
# The zone by name, for what wants one (Babel formats dates in it).
LOCAL_TZ_NAME = "Asia/Shanghai"


def utcnow() -> datetime:
    """Now in UTC as a naive datetime, evaluated per call (never once at import)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """Naive UTC -> naive Beijing time."""
    return moment + LOCAL_OFFSET


def to_utc(local: datetime) -> datetime:
    """Naive Beijing time -> naive UTC."""
    return local - LOCAL_OFFSET


def local_date(moment: datetime) -> date:
    """The Beijing calendar day of a naive UTC moment."""
    return to_local(moment).date()


def local_today() -> date:
    """Today's date in Beijing (it starts at 16:00 UTC the day before)."""
    return local_date(utcnow())


def day_start(day: date) -> datetime:
    """Beijing midnight at the start of `day`, as naive UTC."""
    return to_utc(datetime.combine(day, time.min))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Beijing calendar day as a half-open range [start, end) of naive UTC moments."""
    start = day_start(day)
    return start, start + timedelta(days=1)


def format_local(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A naive UTC moment written in Beijing time ('' for None); the `beijing` filter."""
    return to_local(moment).strftime(fmt) if moment else ""


def month_of(moment: datetime) -> str:
    """'YYYY-MM' of a naive UTC moment in Beijing time: `local_month` computed in Python."""
    return to_local(moment).strftime("%Y-%m")


class local_month(FunctionElement):
    """SQL: 'YYYY-MM' of a naive UTC timestamp column in Beijing time (as `month_of`)."""

    type = String()
    inherit_cache = True


@compiles(local_month, "sqlite")
def _local_month_sqlite(element, compiler, **kw):
    (arg,) = list(element.clauses)
    return f"strftime('%Y-%m', {compiler.process(arg, **kw)}, '+{UTC_OFFSET_HOURS} hours')"


@compiles(local_month, "postgresql")
def _local_month_postgresql(element, compiler, **kw):
    (arg,) = list(element.clauses)
    return (
        f"to_char({compiler.process(arg, **kw)} + interval '{UTC_OFFSET_HOURS} hours', 'YYYY-MM')"
    )
