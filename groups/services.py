"""Groups write layer: thin wrappers naming the groups resource for the shared services
(symbl_admin/core/services.py: write lock, audit entry, client call).

Raises (all functions): ManagementAPIError subclasses; group_update also EditConflict.
"""

from __future__ import annotations

from symbl_admin.audit.services import AuditContext
from symbl_admin.core import services as shared
from symbl_admin.core.services import ImportReport, Resource
from symbl_admin.core.writes import merge_value
from symbl_admin.management_api.types import Group

GROUPS = Resource(object_type="group", lock="groups", attr="groups")
FIELDS = ("name", "description", "criteria")

__all__ = ["GROUPS", "ImportReport"]


def _data(name: str, description: str, criteria: str) -> dict:
    return {"name": name, "description": description, "criteria": criteria}


def group_create(*, client, name: str, description: str, criteria: str, ctx: AuditContext) -> Group:
    """Create one group."""
    data = _data(name, description, criteria)
    return shared.create(client=client, resource=GROUPS, data=data, ctx=ctx)


def group_update(
    *,
    client,
    group_id: str,
    name: str,
    description: str,
    criteria: str,
    fingerprint: str,
    ctx: AuditContext,
    action: str = "update",
) -> Group:
    """Replace the group's fields, unless it changed since `fingerprint` was taken."""
    return shared.update(
        client=client,
        resource=GROUPS,
        object_id=group_id,
        data=_data(name, description, criteria),
        fingerprint=fingerprint,
        ctx=ctx,
        action=action,
    )


def group_merge(*, base: dict, mine: dict, current: Group) -> dict:
    """My edits applied field by field on top of the current version."""
    now = current.to_api()
    return {key: merge_value(base[key], mine[key], now[key]) for key in FIELDS}


def group_delete(*, client, group_id: str, ctx: AuditContext) -> Group:
    """Delete one group; returns it as it was."""
    return shared.delete(client=client, resource=GROUPS, object_id=group_id, ctx=ctx)


def group_restore(*, client, state: dict, ctx: AuditContext) -> Group:
    """Create a group again from its last known state (the API gives it a new id)."""
    data = _data(str(state["name"]), str(state.get("description") or ""), str(state["criteria"]))
    return shared.restore(client=client, resource=GROUPS, state=state, data=data, ctx=ctx)
