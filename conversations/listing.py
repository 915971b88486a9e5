"""Conversations list: what the address asks for (search, metadata key, group, time range,
order, page), read leniently, and the addresses of other pages of the same list.

A value that cannot be read (a date that is not one, a page that is not a number) is not a
500: it is dropped and named in `problems`, which the page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from symbl_admin.contract import MAX_METADATA_KEY
from symbl_admin.days import OUT_OF_RANGE, day_bounds, read_day

PER_PAGE_CHOICES = (25, 50, 100)
MAX_SEARCH = 200
# "All time" as explicit bounds: the API's default window is the 7 days ending now.
ALL_TIME_START = "1970-01-01T00:00:00Z"
ALL_TIME_END = "2100-01-01T00:00:00Z"
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _day(text: str, name: str, problems: list[str]) -> date | None:
    if not text:
        return None
    try:
        return read_day(text)
    except ValueError as error:
        why = str(error) if str(error) == OUT_OF_RANGE else "It is not a date (YYYY-MM-DD)."
        problems.append(f"“{text[:40]}”: {why} The {name} was left out.")
        return None


@dataclass(frozen=True)
class ConversationQuery:
    q: str = ""
    key: str = ""
    group: str = ""
    start: date | None = None  # from this day (inclusive), in the dashboard's zone
    end: date | None = None  # to this day (inclusive), in the dashboard's zone
    order: str = "desc"  # by start time: newest first unless asked
    page: int = 1
    per_page: int = PER_PAGE_CHOICES[0]
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_params(cls, params) -> ConversationQuery:
        problems: list[str] = []
        q = (params.get("q") or "").strip()[:MAX_SEARCH]
        key = (params.get("key") or "").strip()[:MAX_METADATA_KEY]
        group = (params.get("group") or "").strip()
        if group and not _ID.fullmatch(group):
            problems.append("The group in the address is not a group id: it was left out.")
            group = ""
        start = _day(params.get("from") or "", "start of the range", problems)
        end = _day(params.get("to") or "", "end of the range", problems)
        if start and end and start > end:
            problems.append("The range ends before it starts: both dates were left out.")
            start = end = None
        order = params.get("order") if params.get("order") in ("asc", "desc") else "desc"
        page_text = params.get("page") or "1"
        plain = page_text.isascii() and page_text.isdigit() and len(page_text) <= 6
        page = int(page_text) if plain and int(page_text) > 0 else 1
        per_page_text = params.get("per_page") or ""
        per_page = next((n for n in PER_PAGE_CHOICES if str(n) == per_page_text), 25)
        return cls(q, key, group, start, end, order, page, per_page, tuple(problems))

    # -- what the API is asked -------------------------------------------------------------

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def window(self) -> dict[str, str]:
        """startTime/endTime: the chosen days (whole days in the dashboard's zone, as the group
        editor's live count reads them), else all time."""
        start, end = day_bounds(self.start, self.end)
        return {"start_time": start or ALL_TIME_START, "end_time": end or ALL_TIME_END}

    @property
    def narrowed(self) -> bool:
        return bool(self.q or self.key or self.start or self.end)

    # -- addresses --------------------------------------------------------------------------

    def params(self) -> dict[str, str]:
        values = {
            "q": self.q,
            "key": self.key,
            "group": self.group,
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
            "order": "" if self.order == "desc" else self.order,
            "per_page": "" if self.per_page == PER_PAGE_CHOICES[0] else str(self.per_page),
            "page": "" if self.page == 1 else str(self.page),
        }
        return {k: v for k, v in values.items() if v}

    def url(self, base: str, **changes) -> str:
        moved = replace(self, **changes) if changes else self
        query = urlencode(moved.params())
        return f"{base}?{query}" if query else base

    # -- the header's sort link (resources.columns.Columns.header reads these) ---------------

    sort = "start"  # the server sorts by start time only

    @property
    def desc(self) -> bool:
        return self.order == "desc"

    def sort_url(self, base: str, key: str) -> str:
        """The start-time header's link: the other direction, from the first page."""
        return self.url(base, order="asc" if self.desc else "desc", page=1)
