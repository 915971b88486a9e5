"""Trackers write layer: thin wrappers naming the trackers resource for the shared services
(symbl_admin/core/services.py: write lock, audit entry, client call).

Raises (all functions): ManagementAPIError subclasses from the client (NameTaken,
ValidationFailed, Busy, Unavailable, ...); tracker_update also EditConflict.
"""

from __future__ import annotations

from symbl_admin.audit.services import AuditContext
from symbl_admin.core import services as shared
from symbl_admin.core.services import ImportReport, Resource
from symbl_admin.core.writes import merge_lists, merge_value
from symbl_admin.management_api.types import Tracker

TRACKERS = Resource(object_type="tracker", lock="trackers", attr="trackers")

__all__ = ["ImportReport", "TRACKERS"]


def tracker_create(*, client, name: str, vocabulary: list[str], ctx: AuditContext) -> Tracker:
    """Create one tracker."""
    data = {"name": name, "vocabulary": vocabulary}
    return shared.create(client=client, resource=TRACKERS, data=data, ctx=ctx)


def tracker_update(
    *,
    client,
    tracker_id: str,
    name: str,
    vocabulary: list[str],
    fingerprint: str,
    ctx: AuditContext,
    action: str = "update",
) -> Tracker:
    """Replace name and phrases, unless the tracker changed since `fingerprint` was taken."""
    return shared.update(
        client=client,
        resource=TRACKERS,
        object_id=tracker_id,
        data={"name": name, "vocabulary": vocabulary},
        fingerprint=fingerprint,
        ctx=ctx,
        action=action,
    )


def tracker_merge(*, base: dict, mine: dict, current: Tracker) -> dict:
    """My edits applied on top of the current version (name and phrases)."""
    return {
        "name": merge_value(base["name"], mine["name"], current.name),
        "vocabulary": merge_lists(base["vocabulary"], mine["vocabulary"], list(current.vocabulary)),
    }


def tracker_delete(*, client, tracker_id: str, ctx: AuditContext) -> Tracker:
    """Delete one tracker; returns it as it was."""
    return shared.delete(client=client, resource=TRACKERS, object_id=tracker_id, ctx=ctx)


def tracker_restore(*, client, state: dict, ctx: AuditContext) -> Tracker:
    """Create a tracker again from its last known state (the API gives it a new id)."""
    data = {"name": state["name"], "vocabulary": list(state["vocabulary"])}
    return shared.restore(client=client, resource=TRACKERS, state=state, data=data, ctx=ctx)


import_chunks = shared.import_chunks


def tracker_import_chunk(
    *, client, items: list[dict], ctx: AuditContext, report: ImportReport
) -> None:
    """Create one chunk of trackers with a bulk call; see core.services.import_chunk."""
    shared.import_chunk(client=client, resource=TRACKERS, items=items, ctx=ctx, report=report)
