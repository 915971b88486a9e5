"""Days typed by people (filters, ranges): read as ISO dates within the years any screen can
turn into instants in any zone. 0001-01-01 or 9999-12-31, moved to UTC or given a day more,
overflow Python's datetime: a 500 where a clear message belongs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(9000, 12, 31)
OUT_OF_RANGE = f"Pick a day between {FIRST_DAY:%Y-%m-%d} and {LAST_DAY:%Y-%m-%d}."


def read_day(text: str) -> date:
    """The ISO date `text` names. Raises: ValueError (not a date, or out of FIRST_DAY..LAST_DAY:
    the message says which)."""
    day = date.fromisoformat(text.strip())
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(OUT_OF_RANGE)
    return day


def day_bounds(start: date | None, end: date | None) -> tuple[str | None, str | None]:
    """A range of whole days in the dashboard's time zone as the API's bounds: from the start
    of `start` to the end of `end`; a missing day leaves that side open. Every screen that
    filters conversations by day reads the days this one way."""
    zone = timezone.get_current_timezone()

    def at(day: date) -> str:
        return datetime.combine(day, time.min, zone).astimezone(UTC).isoformat()

    return (at(start) if start else None, at(end + timedelta(days=1)) if end else None)
