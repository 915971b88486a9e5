"""Deleted objects that can be restored, read from the audit log (the "Deleted trackers"
and "Deleted groups" pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from symbl_admin.links import url_of

from .models import WRITE_ACTIONS, Action, AuditEntry
from .selectors import succeeded


@dataclass(frozen=True)
class DeletedObject:
    object_id: str
    name: str
    state: dict | None
    deleted_at: datetime
    deleted_by: str
    seq: int

    @property
    def url(self) -> str:
        return url_of("audit:detail", self.seq)


def deleted_objects(*, object_type: str) -> list[DeletedObject]:
    """Objects whose latest successful write is a delete, newest deletion first (for restore).

    A restore is logged under the deleted object's id (its answer carries the new id), so a
    restored object drops out of this list.
    """
    deletes = list(
        AuditEntry.objects.filter(
            object_type=object_type, action=Action.DELETE, completes__isnull=True
        )
        .filter(succeeded())
        .exclude(object_id="")
        .order_by("-seq")
    )
    if not deletes:
        return []
    ids = {d.object_id for d in deletes}
    later = dict(
        AuditEntry.objects.filter(
            object_type=object_type,
            object_id__in=ids,
            completes__isnull=True,
            action__in=list(WRITE_ACTIONS),
        )
        .filter(succeeded())
        .order_by("object_id", "seq")
        .values_list("object_id", "seq")
    )  # the last seq per object id wins in dict()
    seen: set[str] = set()
    result = []
    for entry in deletes:
        if entry.object_id in seen or later.get(entry.object_id) != entry.seq:
            continue
        seen.add(entry.object_id)
        result.append(
            DeletedObject(
                object_id=entry.object_id,
                name=entry.object_name or (entry.before or {}).get("name", ""),
                state=entry.before,
                deleted_at=entry.time,
                deleted_by=entry.actor_username,
                seq=entry.seq,
            )
        )
    return result
