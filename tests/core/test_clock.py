"""The clock: Beijing days and months of naive UTC moments, in Python and in SQL alike."""

from datetime import date, datetime

import pytest
from sqlalchemy import literal, select

from marketplace import clock
from marketplace.extensions import db


def test_half_past_eleven_utc_is_the_next_local_day():
    moment = datetime(2026, 3, 31, 23, 30)
    assert clock.to_local(moment) == datetime(2026, 4, 1, 7, 30)
    assert clock.local_date(moment) == date(2026, 4, 1)
    assert clock.month_of(moment) == "2026-04"
    assert clock.to_utc(clock.to_local(moment)) == moment
    assert clock.format_local(moment) == "2026-04-01 07:30" and clock.format_local(None) == ""


def test_a_local_day_is_a_half_open_range_starting_at_16_utc():
    start, end = clock.day_bounds(date(2026, 4, 1))
    assert (start, end) == (datetime(2026, 3, 31, 16, 0), datetime(2026, 4, 1, 16, 0))
    assert clock.day_start(date(2026, 4, 1)) == start
    assert clock.local_date(start) == date(2026, 4, 1)
    assert clock.local_date(end) == date(2026, 4, 2)  # the end is the next day's start


@pytest.mark.parametrize(
    ("moment", "month"),
    [
        (datetime(2026, 3, 31, 15, 59, 59), "2026-03"),
        (datetime(2026, 3, 31, 16, 0, 0), "2026-04"),
        (datetime(2026, 12, 31, 16, 0, 0), "2027-01"),
    ],
)
def test_sql_months_bucket_at_local_midnight(app, moment, month):
    sql = db.session.scalar(select(clock.local_month(literal(moment))))
    assert sql == month == clock.month_of(moment)


def test_utcnow_is_naive_and_local_today_follows_it():
    now = clock.utcnow()
    assert now.tzinfo is None
    assert clock.local_today() in {clock.local_date(now), clock.local_date(clock.utcnow())}
