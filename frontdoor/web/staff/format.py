"""Dates as UK advisers read them: UK local time, day before month, days left to a deadline.

Stored times are UTC (SQLite hands them back without a zone, so a naive value
is taken as UTC); advisers work in UK time, across the clock change.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["days_left", "days_left_text", "iso", "to_uk", "uk_date", "uk_datetime", "uk_today"]

try:
    UK: dt.tzinfo = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # a system without tz data: UTC is at most an hour out
    UK = dt.UTC


def to_uk(value: dt.datetime) -> dt.datetime:
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(UK)


def uk_today(now: dt.datetime | None = None) -> dt.date:
    return to_uk(now or dt.datetime.now(dt.UTC)).date()


def iso(value: dt.date | dt.datetime | None) -> str:
    """Machine-readable form for ``<time datetime>``: a date, or a UTC time with its offset."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def uk_date(value: dt.date | None) -> str:
    """``Tue 1 Dec 2026``: the weekday helps when booking, the year avoids doubt around January."""
    if value is None:
        return ""
    return f"{value:%a} {value.day} {value:%b %Y}"


def uk_datetime(value: dt.datetime | None) -> str:
    """``24 Nov 2026, 10:00`` in UK local time."""
    if value is None:
        return ""
    local = to_uk(value)
    return f"{local.day} {local:%b %Y, %H:%M}"


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    return None if deadline is None else (deadline - today).days


def days_left_text(deadline: dt.date | None, today: dt.date) -> str:
    left = days_left(deadline, today)
    if left is None:
        return ""
    if left == 0:
        return "today"
    if left == 1:
        return "tomorrow"
    if left > 1:
        return f"in {left} days"
    return "passed yesterday" if left == -1 else f"passed {-left} days ago"
