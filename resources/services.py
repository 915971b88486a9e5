"""Write services over one Management API resource, described by a core.resource.Resource.

Every write takes the resource's write lock, is audited (one entry per object, pending before
the upstream call, completed after), and goes through the client.

Raises (all functions): ManagementAPIError subclasses from the client; `update` also
EditConflict. The import functions report failures instead of raising them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from audit.services import AuditContext, audit_complete_many, audit_record_many, audited
from symbl_admin.management_api.errors import ManagementAPIError, NameTaken, ValidationFailed

from .resource import Resource
from .writes import EditConflict, serialized


def create(*, client, resource: Resource, data: dict[str, Any], ctx: AuditContext):
    """Create one object from `data` (the API's body fields)."""
    with serialized(resource.plural):
        return _create(client=client, resource=resource, data=data, ctx=ctx, action="create")


def _create(*, client, resource: Resource, data: dict[str, Any], ctx: AuditContext, action: str):
    """Create under a lock the caller holds."""
    with audited(
        ctx=ctx,
        action=action,
        object_type=resource.noun,
        object_name=data["name"],
        after=data,
    ) as audit:
        obj = resource.api(client).create(**data)
        audit.succeed(after=obj.as_dict(), object_id=obj.id, status=201)
    return obj


def update(
    *,
    client,
    resource: Resource,
    object_id: str,
    data: dict[str, Any],
    fingerprint: str,
    ctx: AuditContext,
    action: str = "update",
):
    """Replace the object's fields with `data`, unless it changed since `fingerprint` was taken
    (an empty fingerprint skips the check). The PUT is built from a fresh read."""
    with serialized(resource.plural):
        current = resource.api(client).get(object_id)
        if fingerprint and current.fingerprint != fingerprint:
            raise EditConflict(current)
        with audited(
            ctx=ctx,
            action=action,
            object_type=resource.noun,
            object_id=current.id,
            object_name=data["name"],
            before=current.as_dict(),
            after={**current.as_dict(), **data},
        ) as audit:
            updated = resource.api(client).update(current.id, **data)
            audit.succeed(after=updated.as_dict(), object_name=updated.name)
    return updated


def delete(*, client, resource: Resource, object_id: str, ctx: AuditContext):
    """Delete one object; returns it as it was (for the message and a later restore)."""
    with serialized(resource.plural):
        current = resource.api(client).get(object_id)
        with audited(
            ctx=ctx,
            action="delete",
            object_type=resource.noun,
            object_id=current.id,
            object_name=current.name,
            before=current.as_dict(),
        ) as audit:
            resource.api(client).delete(current.id)
            audit.succeed(status=200)
    return current


def restore(*, client, resource: Resource, state: dict, ctx: AuditContext):
    """Create the object again from its last known state; logged under the old id and
    completed with the new one (the API assigns a new id). Raises: ValueError when the
    state lacks a field the API needs."""
    data = resource.editable(state)
    if data is None:
        raise ValueError(f"The last known state of this {resource.noun} is incomplete.")
    with (
        serialized(resource.plural),
        audited(
            ctx=ctx,
            action="restore",
            object_type=resource.noun,
            object_id=str(state.get("id", "")),
            object_name=data["name"],
            before=state,
            after=data,
        ) as audit,
    ):
        obj = resource.api(client).create(**data)
        audit.succeed(after=obj.as_dict(), object_id=obj.id, status=201)
    return obj


BULK_MAX_ITEMS = 50
BULK_MAX_BYTES = 1_048_576 - 4096  # the API's body limit, with room for brackets and commas


def import_chunks(items: list[dict]) -> list[list[dict]]:
    """Split items into bulk calls that each stay under the item and size limits."""
    chunks: list[list[dict]] = []
    current: list[dict] = []
    size = 0
    for item in items:
        item_size = len(json.dumps(item, separators=(",", ":"), ensure_ascii=False).encode()) + 1
        if current and (len(current) >= BULK_MAX_ITEMS or size + item_size > BULK_MAX_BYTES):
            chunks.append(current)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        chunks.append(current)
    return chunks


@dataclass
class ImportReport:
    created: list[dict] = field(default_factory=list)  # {"id", "name"}
    failed: list[dict] = field(default_factory=list)  # {"name", "reason"}
    skipped: list[dict] = field(
        default_factory=list
    )  # rows the preview refused: {"name", "reason"}
    updated: list[dict] = field(default_factory=list)  # {"id", "name"}


def import_updates(
    *, client, resource: Resource, updates: list[dict], ctx: AuditContext, report: ImportReport
) -> None:
    """Apply an import's updates ({"id", "fingerprint", "data"}: the object as the preview
    saw it, and its fields after the import), each through update() (the write lock, a fresh
    read, one audit entry). An object changed since the preview is not overwritten: the
    report names it."""
    for change in updates:
        name = change["data"]["name"]
        try:
            obj = update(
                client=client,
                resource=resource,
                object_id=change["id"],
                data=change["data"],
                fingerprint=change["fingerprint"],
                ctx=ctx,
            )
        except EditConflict:
            report.failed.append(
                {"name": name, "reason": "It changed after the preview; nothing was overwritten."}
            )
        except ManagementAPIError as exc:
            report.failed.append({"name": name, "reason": exc.user_message})
        else:
            report.updated.append({"id": obj.id, "name": obj.name})


def import_chunk(
    *, client, resource: Resource, items: list[dict], ctx: AuditContext, report: ImportReport
) -> None:
    """Create one chunk with a bulk call (one audit entry per object, linked by the request
    id). If the API refuses the batch, create one by one so the report says exactly which
    objects failed and why."""
    with serialized(resource.plural, timeout=30):
        entries = audit_record_many(
            ctx=ctx,
            action="import",
            object_type=resource.noun,
            items=[{"object_name": item["name"], "after": item} for item in items],
        )
        try:
            created = resource.api(client).bulk_create(items)
        except (ValidationFailed, NameTaken) as exc:
            audit_complete_many(entries, outcome="failed", status=exc.status, message=exc.message)
            for item in items:
                try:
                    obj = _create(
                        client=client, resource=resource, data=item, ctx=ctx, action="import"
                    )
                except ManagementAPIError as one:
                    report.failed.append({"name": item["name"], "reason": one.user_message})
                else:
                    report.created.append({"id": obj.id, "name": obj.name})
            return
        except ManagementAPIError as exc:
            outcome = "unknown" if exc.may_have_landed else "failed"
            audit_complete_many(entries, outcome=outcome, status=exc.status, message=exc.message)
            report.failed.extend({"name": i["name"], "reason": exc.user_message} for i in items)
            return
        audit_complete_many(
            entries,
            outcome="success",
            status=201,
            results=[
                {"object_id": o.id, "object_name": o.name, "after": o.as_dict()} for o in created
            ],
        )
        report.created.extend({"id": o.id, "name": o.name} for o in created)
