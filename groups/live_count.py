"""Groups: the editor's live count ("selects 132 of 2,000 conversations"), its optional range
of days, and what it says when the count cannot be made. The view asks `count_context` with
the form's input and the criteria the preview validated ("" while they are not valid)."""

from __future__ import annotations

from datetime import date

from symbl_admin.days import OUT_OF_RANGE, read_day
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError, ValidationFailed

from .selection import live_count

RANGE_FIELDS = (("count_from", "From"), ("count_to", "To"))


def count_range(data) -> tuple[date | None, date | None, str]:
    """The range typed beside the count: (from, to, error). Empty is open; a date that does
    not read, or a from after the to, is an error (and no count)."""
    found: list[date | None] = []
    for name, label in RANGE_FIELDS:
        text = str(data.get(name) or "").strip()
        if not text:
            found.append(None)
            continue
        try:
            found.append(read_day(text))
        except ValueError as error:
            if str(error) == OUT_OF_RANGE:
                return None, None, f"“{label}”: {OUT_OF_RANGE}"
            return None, None, f"“{label}” is not a date: write it as YYYY-MM-DD."
    start, end = found
    if start and end and start > end:
        return None, None, "“From” is after “To”: the range selects no day."
    return start, end, ""


def _range_words(start: date | None, end: date | None) -> str:
    if start and end:
        return f"from {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    if start:
        return f"since {start:%Y-%m-%d}"
    if end:
        return f"until {end:%Y-%m-%d}"
    return "over all time"


def count_context(data, criteria: str) -> dict:
    """{"count_from", "count_to", "live_count": {text, note, error}} for the editor."""
    start, end, error = count_range(data)
    context = {
        "count_from": str(data.get("count_from") or ""),
        "count_to": str(data.get("count_to") or ""),
        "live_count": {"text": "", "note": "", "error": error},
    }
    if error or not criteria:
        return context
    try:
        found = live_count(client=get_client(), criteria=criteria, start=start, end=end)
    except ValidationFailed as exc:
        context["live_count"]["error"] = f"The Management API cannot count these: {exc.message}"
        return context
    except ManagementAPIError as exc:
        context["live_count"]["note"] = f"No count now: {exc.user_message}"
        return context
    if found.note:
        context["live_count"]["note"] = found.note
    else:
        noun = "conversation" if found.of == 1 else "conversations"
        context["live_count"]["text"] = (
            f"Selects {found.selected:,} of {found.of:,} {noun} {_range_words(start, end)}."
        )
    return context
