"""Bulk write services over any resource: the same write, object by object, through the
single-object services (resources/services.py), so each object's write takes the write lock,
is one audit entry and goes through the client exactly as a single delete or edit does.

A bulk action never stops at the first refusal: every object is tried, and the report says
which ones were done, which were already as asked, and which failed and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audit.services import AuditContext
from symbl_admin.management_api.errors import ManagementAPIError, NotFound, ValidationFailed

from . import services
from .listing import PER_PAGE_CHOICES
from .resource import Resource
from .writes import EditConflict

MAX_IDS = max(PER_PAGE_CHOICES)  # ids in one request: the largest page a list shows

BULK_ACTIONS = {  # action → (words in the actions menu, the permission it needs)
    "export_csv": ("Export as CSV", "view"),
    "export_json": ("Export as JSON", "view"),
    "add_category": ("Add a category", "change"),
    "remove_category": ("Remove a category", "change"),
    "delete": ("Delete", "delete"),
}
CATEGORY_ACTIONS = ("add_category", "remove_category")


def offered(resource: Resource, user) -> list[str]:
    """The bulk actions `resource` offers `user` (the bulk view checks each again)."""
    return [
        action
        for action, (_, permission) in BULK_ACTIONS.items()
        if user.has_perm(resource.perm(permission))
        and (resource.has_categories or action not in CATEGORY_ACTIONS)
    ]


@dataclass
class BulkReport:
    """What a bulk action did, object by object ({"id", "name"}; failures also "reason")."""

    done: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)  # already as asked: nothing written
    failed: list[dict] = field(default_factory=list)

    @property
    def failed_ids(self) -> set[str]:
        return {item["id"] for item in self.failed}


def _named(obj) -> dict:
    return {"id": obj.id, "name": obj.name}


def _failure(obj, reason: str) -> dict:
    """A failed row: its id, its name and why, as one sentence (the API's own may end in a
    full stop already)."""
    reason = reason.strip()
    return {**_named(obj), "reason": reason if reason.endswith((".", "!", "?")) else reason + "."}


def bulk_delete(*, client, resource: Resource, objects: list, ctx: AuditContext) -> BulkReport:
    """Delete each object with services.delete (one audit entry each). An object already
    gone counts as unchanged. Raises: nothing from the API (each refusal is in the report)."""
    report = BulkReport()
    for obj in objects:
        try:
            services.delete(client=client, resource=resource, object_id=obj.id, ctx=ctx)
        except NotFound:
            report.unchanged.append({**_named(obj), "reason": "it was already deleted"})
        except ManagementAPIError as exc:
            report.failed.append(_failure(obj, exc.user_message))
        else:
            report.done.append(_named(obj))
    return report


def bulk_categories(
    *,
    client,
    resource: Resource,
    objects: list,
    category: str,
    add: bool,
    ctx: AuditContext,
) -> BulkReport:
    """Add `category` to (or remove it from) each object with services.update, built from a
    fresh read and refused if the object changes between that read and the write (one audit
    entry each). An object that already is as asked is not written. Raises: nothing from
    the API (each refusal is in the report)."""
    report = BulkReport()
    api = resource.api(client)
    for listed in objects:
        try:
            current = api.get(listed.id)
            values = resource.editable(current)
            has = category in values["categories"]
            if has == add:
                report.unchanged.append(_named(current))
                continue
            kept = [c for c in values["categories"] if c != category]
            values["categories"] = [*kept, category] if add else kept
            services.update(
                client=client,
                resource=resource,
                object_id=current.id,
                data=values,
                fingerprint=current.fingerprint,
                ctx=ctx,
            )
        except NotFound:
            report.failed.append(_failure(listed, "it was deleted meanwhile"))
        except EditConflict:
            reason = "it was changed by someone else meanwhile; try again"
            report.failed.append(_failure(listed, reason))
        except ManagementAPIError as exc:
            report.failed.append(_failure(listed, _refusal(exc)))
        else:
            report.done.append(_named(current))
    return report


def _refusal(exc: ManagementAPIError) -> str:
    """The API's own words for a refused change (a 21st category), else the plain words."""
    if isinstance(exc, ValidationFailed) and exc.message:
        return f"the Management API refused it: {exc.message}"
    return exc.user_message
