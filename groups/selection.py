"""Groups selector layer: the conversations a group, or draft criteria, select.

Reads only, through client.conversations: the count extension (`count_selected`), a group's
conversations (`of_group`) and the ids extension (`selected_ids`). A server without the
extensions (ExtensionNotSupported) or without the conversation API at all (NotFound) gives a
`Selection` whose `note` says what is hidden; nothing here is kept (every answer is fresh:
conversations change without any group changing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from symbl_admin.days import day_bounds
from symbl_admin.management_api.conversation_types import Conversation
from symbl_admin.management_api.errors import ExtensionNotSupported, NotFound

FIRST_PAGE = 10
# A group's conversations over all time: the contract's default window is the last 7 days.
EVER = ("1970-01-01T00:00:00Z", "2200-01-01T00:00:00Z")
NOT_OFFERED = (
    "Conversation counts are not shown: this Management API server does not offer "
    "conversations or our count extension (/v1/x)."
)


@dataclass(frozen=True)
class Selection:
    total: int | None = None  # how many conversations the group selects (None: hidden)
    first: tuple[Conversation, ...] = ()  # the latest FIRST_PAGE of them
    note: str = ""  # why the counts are hidden


def group_selection(*, client, group) -> Selection:
    """How many conversations a group selects over all time, and the latest FIRST_PAGE.

    Raises: ManagementAPIError other than a missing extension or conversation API."""
    try:
        total = client.conversations.count_selected(group.criteria)
        first = client.conversations.of_group(
            group.id, limit=FIRST_PAGE, order="desc", start_time=EVER[0], end_time=EVER[1]
        )
    except (ExtensionNotSupported, NotFound):
        return Selection(note=NOT_OFFERED)
    return Selection(total=total, first=tuple(first))


@dataclass(frozen=True)
class LiveCount:
    selected: int | None = None
    of: int | None = None  # every conversation in the same range
    note: str = ""


def live_count(*, client, criteria: str, start: date | None = None, end: date | None = None):
    """How many conversations criteria select, of how many, in a range of days (all time
    when none is given): two counts.

    Raises: ValidationFailed (criteria the server refuses), ManagementAPIError."""
    bounds = day_bounds(start, end)
    try:
        selected = client.conversations.count_selected(
            criteria, start_time=bounds[0], end_time=bounds[1]
        )
        of = client.conversations.count_selected("", start_time=bounds[0], end_time=bounds[1])
    except (ExtensionNotSupported, NotFound):
        return LiveCount(note=NOT_OFFERED)
    return LiveCount(selected=selected, of=of)
