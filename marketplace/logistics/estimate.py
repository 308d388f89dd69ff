"""When a buyer can expect a parcel at the pickup point: after the cooperative has packed it
and handed it in, along the runs' schedules, and only while the point is open.

Village points, township stations and county centres keep the network's hours, 08:00 to
20:00 Beijing time, every day (the demo's points; a station's `opening_hours` is free text
for people). A parcel that arrives after closing is ready the next morning; the estimate is
shown as that day and a time window up to closing ("12月3日 14:00–20:00").
"""

from datetime import datetime, time, timedelta

from ..clock import to_local, to_utc

OPENS = time(8, 0)
CLOSES = time(20, 0)
# Packing and handing in at the cooperative's station takes at least this long.
PACKING_LEAD = timedelta(hours=1)


def open_at_or_after(moment: datetime) -> datetime:
    """The first moment at or after `moment` (naive UTC) when stations are open."""
    local = to_local(moment)
    if local.time() < OPENS:
        return to_utc(datetime.combine(local.date(), OPENS))
    if local.time() >= CLOSES:
        return to_utc(datetime.combine(local.date() + timedelta(days=1), OPENS))
    return moment


def hand_in_after(ordered_at: datetime) -> datetime:
    """The earliest a new order's parcel can be at its first station."""
    return open_at_or_after(ordered_at + PACKING_LEAD)


def ready_at(arrival: datetime | None) -> datetime | None:
    """When a parcel arriving at `arrival` can be picked up (the point must be open)."""
    return None if arrival is None else open_at_or_after(arrival)


def window(eta: datetime | None) -> tuple[datetime, datetime] | None:
    """(from, until) of the pickup window on the day of `eta`: until closing time."""
    if eta is None:
        return None
    start = open_at_or_after(eta)
    closing = to_utc(datetime.combine(to_local(start).date(), CLOSES))
    return start, closing


def promised_by(arrival: datetime | None) -> datetime | None:
    """The end of the window shown to the buyer for a parcel arriving at `arrival`."""
    span = window(ready_at(arrival))
    return span[1] if span else None
