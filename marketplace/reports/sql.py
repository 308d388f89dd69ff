"""SQL building blocks the reports share: day spans, periods and areas (local months are
`clock.local_month`). Everything here compiles to plain SQL on SQLite and PostgreSQL."""

from sqlalchemy import BigInteger, case, cast, func, literal_column, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.types import Float

from ..regions.models import RegionLevel

CODE_LENGTH = {
    RegionLevel.county: 6,
    RegionLevel.township: 9,
    RegionLevel.village: 12,
}


class days_between(FunctionElement):
    """(later - earlier) in days, fractional (NULL if either is NULL). Never used for money."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


def in_period(column, filters) -> ColumnElement:
    """`column` (naive UTC timestamp) falls within the filters' local-date period."""
    return (column >= filters.start_utc) & (column < filters.end_utc)


def under_area(code_column, filters) -> ColumnElement:
    """The region code lies under the chosen area (always true for the whole prefecture)."""
    if filters.area is None or filters.area.level == RegionLevel.prefecture:
        return true()
    return code_column.startswith(filters.area.code, autoescape=True)


def area_key(code_column, level: RegionLevel):
    """The code of the county/township/village a longer region code lies in."""
    # Literal numbers, not bound parameters: PostgreSQL only matches a GROUP BY expression
    # to the SELECT list when both are written identically.
    return func.substr(code_column, literal_column("1"), literal_column(str(CODE_LENGTH[level])))


def positive(expr):
    """1 when `expr` > 0 else 0, to count rows in SQL."""
    return case((expr > 0, 1), else_=0)


def total(expr):
    """SUM as a 64-bit integer everywhere (PostgreSQL widens a sum of sums to numeric)."""
    return cast(func.sum(expr), BigInteger)
