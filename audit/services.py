"""Audit write API: the only code feature services call to write audit entries.

Feature services call these explicitly around every upstream write (no model signals):

    ctx = AuditContext.from_request(request, reason=form.cleaned_data["reason"])
    with audited(ctx=ctx, action="update", object_type="tracker", object_id=t.id,
                 object_name=t.name, before=t.as_dict(), after=new.as_dict()) as audit:
        saved = client.trackers.update(...)
        audit.succeed(after=saved.as_dict())

The pending entry is committed *before* the upstream call (``durable=True``), so a crash or a
timeout between the two leaves a visible pending/unknown entry, never silence; reconcile.py
(``manage.py reconcile_audit``) resolves those later by asking the server. Appending, hashing
and locking live in chain.py; who and where in context.py (re-exported here).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .chain import append, append_outcomes, check_write, intent_row, jsonable, outcome_row
from .context import AuditContext, client_ip
from .models import (
    ACCOUNT_ACTIONS,
    REVIEW_ACTIONS,
    WRITE_ACTIONS,
    Action,
    AuditEntry,
    ObjectType,
    Outcome,
)

__all__ = [
    "AuditContext",
    "AuditHandle",
    "audit_complete",
    "audit_complete_many",
    "audit_record",
    "audit_record_many",
    "record_account_change",
    "audited",
    "client_ip",
    "record_reviews",
    "record_event",
]

logger = logging.getLogger(__name__)


def audit_record(
    *,
    ctx: AuditContext,
    action: str,
    object_type: str,
    object_id: str = "",
    object_name: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Write and commit a pending entry for a write about to be sent upstream.

    Raises: ValueError for an unknown action/object type; RuntimeError when called inside an
    outer transaction (the pending entry must be committed before the upstream call).
    """
    check_write(action, object_type)
    row = intent_row(
        ctx,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_name=object_name or "",
        before=jsonable(before),
        after=jsonable(after),
        outcome=Outcome.PENDING,
    )
    return append([row], durable=True)[0]


def audit_record_many(
    *,
    ctx: AuditContext,
    action: str,
    object_type: str,
    items: list[dict[str, Any]],
) -> list[AuditEntry]:
    """One pending entry per object of a bulk operation, in one transaction, linked by
    ctx.request_id. Each item: {"object_id"?, "object_name"?, "before"?, "after"?}.

    Raises: ValueError, RuntimeError as audit_record.
    """
    check_write(action, object_type)
    rows = [
        intent_row(
            ctx,
            action=action,
            object_type=object_type,
            object_id=str(item.get("object_id") or ""),
            object_name=item.get("object_name") or "",
            before=jsonable(item.get("before")),
            after=jsonable(item.get("after")),
            outcome=Outcome.PENDING,
        )
        for item in items
    ]
    return append(rows, durable=True) if rows else []


def audit_complete(
    entry: AuditEntry,
    *,
    outcome: str,
    status: int | None = None,
    message: str = "",
    object_id: str | None = None,
    object_name: str | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append the outcome of a pending entry (success, failed or unknown); returns the outcome
    entry. ``after`` is what the server answered; object_id/name fill in what only the answer
    knows (a created object's id).

    Raises: ValueError when `entry` is not a pending write, already has a final outcome, or
    `outcome` is not success/failed/unknown.
    """
    row = outcome_row(
        entry,
        outcome=outcome,
        status=status,
        message=message,
        object_id=object_id,
        object_name=object_name,
        after=after,
        by_system=False,
    )
    return append_outcomes([(entry, row)])[0]


def audit_complete_many(
    entries: list[AuditEntry],
    *,
    outcome: str,
    status: int | None = None,
    message: str = "",
    results: list[dict[str, Any]] | None = None,
) -> list[AuditEntry]:
    """Complete every entry of a bulk operation with one outcome, in one transaction.

    ``results`` (same order as ``entries``) gives each object's answer:
    {"object_id"?, "object_name"?, "after"?}.

    Raises: ValueError as audit_complete, or when results and entries differ in length.
    """
    results = results if results is not None else [{} for _ in entries]
    if len(results) != len(entries):
        raise ValueError("results must have one item per entry")
    pairs = [
        (
            entry,
            outcome_row(
                entry,
                outcome=outcome,
                status=status,
                message=message,
                object_id=result.get("object_id"),
                object_name=result.get("object_name"),
                after=result.get("after"),
                by_system=False,
            ),
        )
        for entry, result in zip(entries, results, strict=True)
    ]
    return append_outcomes(pairs) if pairs else []


@dataclass
class AuditHandle:
    """What ``audited`` yields: the pending entry, and succeed() to record the answer."""

    entry: AuditEntry
    outcome_entry: AuditEntry | None = field(default=None)

    @property
    def completed(self) -> bool:
        return self.outcome_entry is not None

    def succeed(
        self,
        *,
        after: dict | None = None,
        object_id: str | None = None,
        object_name: str | None = None,
        status: int | None = 200,
    ) -> AuditEntry:
        """Record success now, with what the server answered.

        Raises: RuntimeError when called twice.
        """
        if self.completed:
            raise RuntimeError(f"Audit entry #{self.entry.seq} is already completed.")
        self.outcome_entry = audit_complete(
            self.entry,
            outcome=Outcome.SUCCESS,
            status=status,
            after=after,
            object_id=object_id,
            object_name=object_name,
        )
        return self.outcome_entry


@contextmanager
def audited(
    *,
    ctx: AuditContext,
    action: str,
    object_type: str,
    object_id: str = "",
    object_name: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> Iterator[AuditHandle]:
    """Record a pending entry, run the block (the upstream call), record its outcome.

    ManagementAPIError → "unknown" when it may have landed, else "failed" (with the upstream
    status and message); any other exception → "unknown"; both re-raised. A block that ends
    without succeed() and without an exception counts as success.

    Raises: whatever the block raises; ValueError/RuntimeError as audit_record.
    """
    from symbl_admin.management_api.errors import ManagementAPIError

    handle = AuditHandle(
        entry=audit_record(
            ctx=ctx,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_name=object_name,
            before=before,
            after=after,
        )
    )
    try:
        yield handle
    except ManagementAPIError as exc:
        if not handle.completed:
            outcome = Outcome.UNKNOWN if exc.may_have_landed else Outcome.FAILED
            _complete_quietly(handle, outcome=outcome, status=exc.status, message=exc.message)
        raise
    except BaseException as exc:
        if not handle.completed:
            # The message names the error class only: exception text may carry anything.
            message = f"Interrupted by {type(exc).__name__} before the answer was recorded."
            _complete_quietly(handle, outcome=Outcome.UNKNOWN, status=None, message=message)
        raise
    else:
        if not handle.completed:
            handle.outcome_entry = audit_complete(handle.entry, outcome=Outcome.SUCCESS)


def _complete_quietly(handle: AuditHandle, *, outcome: str, status, message: str) -> None:
    # Called while another exception propagates: that one matters more. If this fails, the
    # entry stays pending and the reconcile step resolves it.
    try:
        handle.outcome_entry = audit_complete(
            handle.entry, outcome=outcome, status=status, message=message
        )
    except Exception:
        logger.exception("audit: could not record the outcome of entry #%s", handle.entry.seq)


def record_event(
    *,
    action: str,
    ctx: AuditContext,
    outcome: str,
    object_name: str = "",
    after: dict | None = None,
) -> AuditEntry:
    """Record a sign-in event or a permission denial (complete in one entry).

    Raises: ValueError for a write action (those go through audit_record).
    """
    if action in WRITE_ACTIONS or action not in Action.values:
        raise ValueError(f"Not an event action: {action!r}")
    row = intent_row(
        ctx, action=action, object_name=object_name, after=jsonable(after), outcome=outcome
    )
    return append([row], durable=False)[0]


def record_reviews(
    *, ctx: AuditContext, action: str, items: list[dict[str, Any]]
) -> list[AuditEntry]:
    """One review entry per object, in one transaction (a lead approving several at once).

    Each item: {"object_type", "object_id", "object_name", "covers": [write seqs]}; the
    comment is ctx.reason. The covered seqs go into the hashed `after`, so verify_audit
    checks the link like every other fact.

    Raises: ValueError for an action that is not a review, an unknown object type or an item
    that covers no entry.
    """
    if action not in REVIEW_ACTIONS:
        raise ValueError(f"Not a review action: {action!r}")
    rows = []
    for item in items:
        if item["object_type"] not in ObjectType.values or not item.get("covers"):
            raise ValueError(f"A review must name an object and the entries it covers: {item!r}")
        rows.append(
            intent_row(
                ctx,
                action=action,
                object_type=item["object_type"],
                object_id=str(item["object_id"]),
                object_name=item.get("object_name") or "",
                after={"covers": sorted(int(s) for s in item["covers"]), "comment": ctx.reason},
                outcome=Outcome.SUCCESS,
            )
        )
    return append(rows, durable=False) if rows else []


def record_account_change(
    *,
    ctx: AuditContext,
    action: str,
    object_type: str,
    object_id: str,
    object_name: str,
    before: dict | None,
    after: dict | None,
) -> AuditEntry:
    """Record a change to a user or a role (accounts/audit_trail.py), complete in one entry,
    inside the caller's transaction: the change and its entry are committed together.

    Raises: ValueError for an action or object type that is not an account's.
    """
    if action not in ACCOUNT_ACTIONS or object_type not in (ObjectType.USER, ObjectType.ROLE):
        raise ValueError(f"Not an account change: {action!r} on {object_type!r}")
    row = intent_row(
        ctx,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_name=object_name,
        before=jsonable(before),
        after=jsonable(after),
        outcome=Outcome.SUCCESS,
    )
    return append([row], durable=False)[0]
