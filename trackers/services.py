"""Trackers write layer: every write takes the write lock, is audited, then calls the client.

Raises (all functions): ManagementAPIError subclasses from the client (NameTaken,
ValidationFailed, Busy, Unavailable, ...); tracker_update also EditConflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symbl_admin.audit.services import AuditContext, audit_complete, audit_record, audited
from symbl_admin.core.writes import EditConflict, merge_lists, merge_value, serialized
from symbl_admin.management_api.errors import ManagementAPIError, NameTaken, ValidationFailed
from symbl_admin.management_api.types import Tracker

from .rules import MAX_BODY_BYTES, body_size

LOCK = "trackers"
OBJECT = "tracker"


def tracker_create(*, client, name: str, vocabulary: list[str], ctx: AuditContext) -> Tracker:
    """Create one tracker."""
    proposed = {"name": name, "vocabulary": vocabulary}
    with (
        serialized(LOCK),
        audited(
            ctx=ctx, action="create", object_type=OBJECT, object_name=name, after=proposed
        ) as audit,
    ):
        tracker = client.trackers.create(name=name, vocabulary=vocabulary)
        audit.succeed(after=tracker.as_dict(), object_id=tracker.id, status=201)
    return tracker


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
    with serialized(LOCK):
        current = client.trackers.get(tracker_id)
        if fingerprint and current.fingerprint != fingerprint:
            raise EditConflict(current)
        proposed = {**current.as_dict(), "name": name, "vocabulary": vocabulary}
        with audited(
            ctx=ctx,
            action=action,
            object_type=OBJECT,
            object_id=current.id,
            object_name=name,
            before=current.as_dict(),
            after=proposed,
        ) as audit:
            updated = client.trackers.update(current.id, name=name, vocabulary=vocabulary)
            audit.succeed(after=updated.as_dict(), object_name=updated.name)
    return updated


def tracker_merge(*, base: dict, mine: dict, current: Tracker) -> dict:
    """My edits applied on top of the current version (name and phrases)."""
    return {
        "name": merge_value(base["name"], mine["name"], current.name),
        "vocabulary": merge_lists(base["vocabulary"], mine["vocabulary"], list(current.vocabulary)),
    }


def tracker_delete(*, client, tracker_id: str, ctx: AuditContext) -> Tracker:
    """Delete one tracker; returns it as it was, for the message and a later restore."""
    with serialized(LOCK):
        current = client.trackers.get(tracker_id)
        with audited(
            ctx=ctx,
            action="delete",
            object_type=OBJECT,
            object_id=current.id,
            object_name=current.name,
            before=current.as_dict(),
        ) as audit:
            client.trackers.delete(current.id)
            audit.succeed(status=200)
    return current


def tracker_restore(*, client, state: dict, ctx: AuditContext) -> Tracker:
    """Create a tracker again from its last known state (the API gives it a new id)."""
    name = state["name"]
    vocabulary = list(state["vocabulary"])
    with (
        serialized(LOCK),
        audited(
            ctx=ctx,
            action="restore",
            object_type=OBJECT,
            object_id=str(state.get("id", "")),
            object_name=name,
            before=state,
            after={"name": name, "vocabulary": vocabulary},
        ) as audit,
    ):
        tracker = client.trackers.create(name=name, vocabulary=vocabulary)
        audit.succeed(after=tracker.as_dict(), object_id=tracker.id, status=201)
    return tracker


@dataclass
class ImportReport:
    created: list[dict] = field(default_factory=list)  # {"id", "name"}
    failed: list[dict] = field(default_factory=list)  # {"name", "reason"}


BULK_MAX_ITEMS = 50
BULK_MAX_BYTES = MAX_BODY_BYTES - 4096  # room for the list brackets and separators


def import_chunks(items: list[dict]) -> list[list[dict]]:
    """Split items into bulk calls that each stay under the item and size limits."""
    chunks: list[list[dict]] = []
    current: list[dict] = []
    size = 0
    for item in items:
        item_size = body_size(item["name"], item["vocabulary"]) + 1
        if current and (len(current) >= BULK_MAX_ITEMS or size + item_size > BULK_MAX_BYTES):
            chunks.append(current)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        chunks.append(current)
    return chunks


def tracker_import_chunk(
    *, client, items: list[dict], ctx: AuditContext, report: ImportReport
) -> None:
    """Create one chunk with a bulk call; if the API refuses the batch, create one by one so
    the report says exactly which trackers failed and why. One audit entry per tracker."""
    with serialized(LOCK, timeout=30):
        entries = [
            audit_record(
                ctx=ctx, action="import", object_type=OBJECT, object_name=item["name"], after=item
            )
            for item in items
        ]
        try:
            created = client.trackers.bulk_create(items)
        except (ValidationFailed, NameTaken) as exc:
            for entry in entries:
                audit_complete(entry, outcome="failed", status=exc.status, message=exc.message)
            _import_one_by_one(client=client, items=items, ctx=ctx, report=report)
            return
        except ManagementAPIError as exc:
            outcome = "unknown" if exc.may_have_landed else "failed"
            for entry, item in zip(entries, items, strict=True):
                audit_complete(entry, outcome=outcome, status=exc.status, message=exc.message)
                report.failed.append({"name": item["name"], "reason": exc.user_message})
            return
        for entry, tracker in zip(entries, created, strict=False):
            audit_complete(
                entry,
                outcome="success",
                status=201,
                object_id=tracker.id,
                object_name=tracker.name,
                after=tracker.as_dict(),
            )
            report.created.append({"id": tracker.id, "name": tracker.name})


def _import_one_by_one(*, client, items, ctx, report: ImportReport) -> None:
    for item in items:
        try:
            with audited(
                ctx=ctx, action="import", object_type=OBJECT, object_name=item["name"], after=item
            ) as audit:
                tracker = client.trackers.create(name=item["name"], vocabulary=item["vocabulary"])
                audit.succeed(after=tracker.as_dict(), object_id=tracker.id, status=201)
        except ManagementAPIError as exc:
            report.failed.append({"name": item["name"], "reason": exc.user_message})
        else:
            report.created.append({"id": tracker.id, "name": tracker.name})
