"""Audit reconcile layer: resolve "unknown" and stale "pending" writes by asking the server.

The only audit module that talks to the Management API. A write whose answer was lost (a
timeout, a crash between the call and the outcome row) is compared with what the server has
now; when that settles it, an outcome row by ``system:reconcile`` is appended. Run by
``manage.py reconcile_audit`` (cron).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from symbl_admin import contract

from .chain import append_outcomes, outcome_row
from .models import (
    CREATING_ACTIONS,
    FINAL_OUTCOMES,
    WRITE_ACTIONS,
    Action,
    AuditEntry,
    Outcome,
    stale_after,
)

logger = logging.getLogger(__name__)


def unresolved_entries(*, now=None):
    """Write intents whose outcome is unknown, or pending for longer than stale_after()."""
    now = now or timezone.now()
    outcomes = AuditEntry.objects.filter(completes=OuterRef("seq"))
    return (
        AuditEntry.objects.filter(completes__isnull=True, action__in=list(WRITE_ACTIONS))
        .exclude(Exists(outcomes.filter(outcome__in=list(FINAL_OUTCOMES))))
        .filter(
            Exists(outcomes.filter(outcome=Outcome.UNKNOWN))
            | Q(time__lt=now - stale_after(), outcome=Outcome.PENDING)
        )
        .order_by("seq")
    )


@dataclass(frozen=True)
class Resolution:
    outcome: str
    message: str
    object_id: str | None = None
    object_name: str | None = None
    after: dict | None = None


def _as_dict(state: Any) -> dict | None:
    if state is None:
        return None
    return state.as_dict() if hasattr(state, "as_dict") else dict(state)


def _editable(spec: contract.ResourceSpec, state: Any) -> dict | None:
    """The fields a write sets (the contract's editable fields), for comparing states."""
    return spec.editable(_as_dict(state))


def _first(found: Any) -> Any:
    if isinstance(found, list | tuple):
        return found[0] if found else None
    return found


def _existed_before(entry: AuditEntry, object_id: str) -> bool:
    return (
        AuditEntry.objects.filter(
            seq__lt=entry.seq, object_type=entry.object_type, object_id=object_id
        )
        .exclude(completes=entry.seq)
        .exists()
    )


def _compare_create(entry: AuditEntry, resource, intended: dict, spec) -> Resolution | None:
    name = (entry.after or {}).get("name") or entry.object_name
    state = _as_dict(_first(resource.find_by_name(name)))
    if state is None or _editable(spec, state) != intended:
        read_later = _create_read_later(entry, spec, name, intended)
        if read_later is not None:
            return read_later
    if state is None:
        return Resolution(Outcome.FAILED, f"Reconciled: no {entry.object_type} named this.")
    found_id = str(state.get("id", ""))
    if _existed_before(entry, found_id):
        return Resolution(Outcome.FAILED, "Reconciled: the name belongs to an older object.")
    if _editable(spec, state) != intended:
        return None
    return Resolution(
        Outcome.SUCCESS,
        "Reconciled: the server has it as sent.",
        object_id=found_id,
        object_name=state.get("name"),
        after=state,
    )


def _create_read_later(entry: AuditEntry, spec, name: str, intended: dict) -> Resolution | None:
    """A create whose object was edited or deleted since: the first later write on an object
    of that name (new since this entry) read it first; as sent means this create landed."""
    later = (
        AuditEntry.objects.filter(
            seq__gt=entry.seq,
            completes__isnull=True,
            action__in=list(WRITE_ACTIONS),
            object_type=entry.object_type,
            before__name=name,
        )
        .order_by("seq")
        .first()
    )
    if later is None or _existed_before(entry, later.object_id):
        return None
    if _editable(spec, later.before) != intended:
        return None
    return Resolution(
        Outcome.SUCCESS,
        f"Reconciled: entry #{later.seq} found it as sent.",
        object_id=later.object_id,
        object_name=name,
        after=later.before,
    )


def reconcile_compare(entry: AuditEntry, *, client) -> Resolution | None:
    """Decide what really happened to an unresolved write by reading the server.

    Returns None when the server's state does not settle it (e.g. changed again since, or
    the logged state is too incomplete to compare).
    Raises: ManagementAPIError other than NotFound (server down, ...).
    """
    from symbl_admin.management_api.errors import NotFound

    spec = contract.spec_for(entry.object_type)
    if spec is None:
        return None
    resource = getattr(client, spec.plural)
    intended = _editable(spec, entry.after)
    if entry.action in CREATING_ACTIONS:
        return None if intended is None else _compare_create(entry, resource, intended, spec)
    previous = _editable(spec, entry.before)
    settled = _settled_by_next_write(entry, spec, intended, previous)
    if settled is not None:
        return settled
    try:
        state = _as_dict(resource.get(entry.object_id))
    except NotFound:
        if entry.action == Action.DELETE:
            return Resolution(Outcome.SUCCESS, "Reconciled: it is gone from the server.")
        return None  # deleted since, and no later write read it: it can no longer be checked
    if entry.action == Action.DELETE:
        return Resolution(Outcome.FAILED, "Reconciled: it is still on the server.", after=state)
    current = _editable(spec, state)
    if intended is not None and current == intended:
        return Resolution(Outcome.SUCCESS, "Reconciled: the server has it as sent.", after=state)
    if previous is not None and current == previous:
        return Resolution(Outcome.FAILED, "Reconciled: the server still has the old version.")
    return None


def _settled_by_next_write(entry: AuditEntry, spec, intended, previous) -> Resolution | None:
    """The next write on the same object read the server under the write lock first and
    logged what it found as its `before`: the state this write left, or did not. That beats
    reading the server now, which may show a later change (found by the fault soak: an
    update edited again since stayed unknown; a delete that failed, followed by one that
    worked, was taken for a success)."""
    later = (
        AuditEntry.objects.filter(
            seq__gt=entry.seq,
            completes__isnull=True,
            action__in=list(WRITE_ACTIONS),
            object_type=entry.object_type,
            object_id=entry.object_id,
            before__isnull=False,
        )
        .order_by("seq")
        .first()
    )
    seen = None if later is None else _editable(spec, later.before)
    if seen is None:
        return None
    if entry.action == Action.DELETE:
        return Resolution(Outcome.FAILED, f"Reconciled: entry #{later.seq} found it still there.")
    if intended is not None and seen == intended:
        return Resolution(
            Outcome.SUCCESS, f"Reconciled: entry #{later.seq} found it as sent.", after=later.before
        )
    if previous is not None and seen == previous:
        return Resolution(Outcome.FAILED, f"Reconciled: entry #{later.seq} found the old version.")
    return None


def reconcile_entry(entry: AuditEntry, *, client) -> AuditEntry | None:
    """Resolve one unresolved entry; append and return its outcome entry, or None.

    Raises: ManagementAPIError when the server cannot be read.
    """
    resolution = reconcile_compare(entry, client=client)
    if resolution is None:
        return None
    row = outcome_row(
        entry,
        outcome=resolution.outcome,
        status=None,
        message=resolution.message,
        object_id=resolution.object_id,
        object_name=resolution.object_name,
        after=resolution.after,
        by_system=True,
    )
    try:
        return append_outcomes([(entry, row)])[0]
    except ValueError:
        return None  # resolved meanwhile by another worker


def _client(client):
    if client is not None:
        return client
    from symbl_admin.management_api import get_client

    return get_client()


def _reconcile_list(entries: list[AuditEntry], client) -> list[AuditEntry]:
    from symbl_admin.management_api.errors import ManagementAPIError

    if not entries:
        return []
    client = _client(client)
    resolved = []
    for entry in entries:
        try:
            outcome_entry = reconcile_entry(entry, client=client)
        except ManagementAPIError as exc:
            logger.warning("audit reconcile: #%s not checked: %r", entry.seq, exc)
            continue
        if outcome_entry is not None:
            resolved.append(outcome_entry)
    return resolved


def reconcile_unresolved(*, client=None, limit: int | None = None) -> tuple[int, list[AuditEntry]]:
    """Resolve every unresolved entry: returns (how many were unresolved, outcome entries).
    Never raises for server errors: what cannot be checked now stays unresolved."""
    entries = list(unresolved_entries()[:limit] if limit else unresolved_entries())
    return len(entries), _reconcile_list(entries, client)
