"""Days typed by people (filters, ranges): read as ISO dates within the years any screen can
turn into instants in any zone. 0001-01-01 or 9999-12-31, moved to UTC or given a day more,
overflow Python's datetime: a 500 where a clear message belongs."""

from __future__ import annotations

from datetime import date

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
