"""Review selector layer: what a group change does to the conversations the group selects.

The change is a queue item's span of audit entries (the first and last unapproved ones): the
criteria before the first and after the last, each sent to our ids extension (all time), and
the two sets compared: the conversations the change adds and those it removes. Bounded like
the quality report: above MAX_CONVERSATIONS selected on a side only the two totals are given.
Never kept (conversations change without the entries changing); the queue loads it on demand.
"""

from __future__ import annotations

from dataclasses import dataclass

from audit.models import CREATING_ACTIONS, Action, AuditEntry
from audit.selectors import items_of
from symbl_admin.management_api.errors import ExtensionNotSupported, NotFound, ValidationFailed

from .selections import MAX_CONVERSATIONS

NOT_OFFERED = (
    "The effect on conversations is not shown: this Management API server does not offer "
    "conversations or our ids extension (/v1/x)."
)


@dataclass(frozen=True)
class Impact:
    before: int | None = None  # how many the criteria before selected (None: no group)
    after: int | None = None
    added: int | None = None  # None: too many to compare (only the totals are given)
    removed: int | None = None
    note: str = ""


def change_states(
    first_seq: int, last_seq: int, object_type: str
) -> tuple[dict | None, dict | None] | None:
    """(state before, state after) of one object's span of entries (None on a side where it
    did not exist), or None when the span is not one `object_type` object's changes. The
    group impact reads its criteria from it, the tracker impact its phrases."""
    if first_seq > last_seq:
        return None
    found = items_of(AuditEntry.objects.filter(seq__in={first_seq, last_seq}))
    items = {i.seq: i for i in found}
    first, last = items.get(first_seq), items.get(last_seq)
    if first is None or last is None:
        return None
    if {first.object_type, last.object_type} != {object_type} or first.object_id != last.object_id:
        return None
    before = None if first.action in CREATING_ACTIONS else (first.before or {})
    after = None if last.action == Action.DELETE else (last.effective_after or {})
    return before, after


def change_criteria(first_seq: int, last_seq: int) -> tuple[str | None, str | None] | None:
    """(criteria before, criteria after) of one group's span of entries (None on a side where
    the group did not exist), or None when the span is not one group's changes."""
    states = change_states(first_seq, last_seq, "group")
    if states is None:
        return None
    before, after = states
    return (
        None if before is None else str(before.get("criteria") or ""),
        None if after is None else str(after.get("criteria") or ""),
    )


def _selected(client, criteria: str | None):
    if criteria is None:
        return None
    return client.conversations.selected_ids(criteria, limit=MAX_CONVERSATIONS)


def group_change_impact(*, client, before: str | None, after: str | None) -> Impact:
    """How many conversations the criteria before and after select, and the difference.

    Raises: ManagementAPIError other than a missing extension or conversation API."""
    try:
        old, new = _selected(client, before), _selected(client, after)
    except (ExtensionNotSupported, NotFound):
        return Impact(note=NOT_OFFERED)
    except ValidationFailed as exc:
        return Impact(note=f"The Management API cannot evaluate these criteria: {exc.message}")
    old_ids = frozenset(old.ids) if old else frozenset()
    new_ids = frozenset(new.ids) if new else frozenset()
    if (old and not old.complete) or (new and not new.complete):
        return Impact(before=old and old.total, after=new and new.total)
    return Impact(
        before=old and old.total,
        after=new and new.total,
        added=len(new_ids - old_ids),
        removed=len(old_ids - new_ids),
    )
