"""Audit service layer: the only code that writes audit entries.

Feature services call these explicitly around every upstream write (no model signals):

    ctx = AuditContext.from_request(request, reason=form.cleaned_data["reason"])
    with audited(ctx=ctx, action="update", object_type="tracker", object_id=t.id,
                 object_name=t.name, before=t.as_dict(), after=new.as_dict()) as audit:
        saved = client.trackers.update(...)
        audit.succeed(after=saved.as_dict())

The pending entry is committed *before* the upstream call (``durable=True``), so a crash or a
timeout between the two leaves a visible pending/unknown entry, never silence; the reconcile
step (``reconcile_object``, ``reconcile_unresolved``, ``manage.py reconcile_audit``) resolves
those later by asking the server.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import (
    CREATING_ACTIONS,
    FINAL_OUTCOMES,
    GENESIS_HASH,
    WRITE_ACTIONS,
    Action,
    AuditEntry,
    ObjectType,
    Outcome,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

logger = logging.getLogger(__name__)

SYSTEM_RECONCILE = "system:reconcile"
# pg_advisory_xact_lock key: any constant unique to this use ("audit" in hex-ish digits).
_PG_LOCK_KEY = 0x5A0D17A0D17
_SECRET_KEY_RE = re.compile(r"pass(word|wd)?|secret|token|api[_-]?key|authorization|cookie", re.I)
_LIMITS = {
    "actor_username": 150,
    "object_id": 64,
    "object_name": 512,
    "request_id": 64,
    "ip": 64,
    "user_agent": 512,
    "reason": 2000,
    "upstream_message": 2000,
}


@dataclass(frozen=True)
class AuditContext:
    """Who did it and from where; built once per request and passed to every audit call."""

    actor: User | None
    username: str
    request_id: str
    ip: str
    user_agent: str
    reason: str = ""

    @classmethod
    def from_request(cls, request, *, reason: str = "") -> AuditContext:
        """The context of a Django request (signed-in user, request id, client address)."""
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        return cls(
            actor=user if signed_in else None,
            username=user.get_username() if signed_in else "",
            request_id=_request_id(request),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            reason=(reason or "").strip(),
        )

    @classmethod
    def system(cls, name: str, *, reason: str = "") -> AuditContext:
        """A context for work without a request (management commands, scheduled jobs)."""
        return cls(
            actor=None,
            username=name,
            request_id=_request_id(None),
            ip="",
            user_agent="",
            reason=reason,
        )


def _request_id(request) -> str:
    from symbl_admin.request_context import current_request_id

    rid = getattr(request, "request_id", "") if request is not None else ""
    return rid or current_request_id.get() or uuid.uuid4().hex


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the proxy's view of it when behind our proxy."""
    if request is None:
        return ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.SECURE_PROXY_SSL_HEADER:
        # Our proxy appends the address it saw; anything to its left is client-supplied.
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


# ---------------------------------------------------------------------------------------------
# Appending to the chain


def _scrub(value: Any) -> Any:
    """Pure JSON, with any secret-looking key's value removed (defence in depth)."""
    if isinstance(value, dict):
        return {
            str(k): ("[removed]" if _SECRET_KEY_RE.search(str(k)) else _scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "as_dict"):  # a management_api Tracker/Group
        value = value.as_dict()
    # Round-trip so what we hash is exactly what the JSON column gives back.
    return _scrub(json.loads(json.dumps(value, default=_json_default)))


def _json_default(value: Any) -> Any:
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if hasattr(value, "items"):  # MappingProxyType
        return dict(value.items())
    return str(value)


def _clip(row: dict[str, Any]) -> dict[str, Any]:
    for name, limit in _LIMITS.items():
        value = row.get(name)
        if isinstance(value, str):
            row[name] = value.replace("\x00", "")[:limit]
    return row


@contextmanager
def _write_lock(*, durable: bool) -> Iterator[None]:
    """One writer at a time appends to the chain, across processes.

    SQLite: settings use transaction_mode IMMEDIATE, so the outermost atomic() takes the
    database's write lock at BEGIN. PostgreSQL: a transaction-scoped advisory lock.
    ``durable=True`` refuses to run inside an outer transaction, which would otherwise hold
    back the commit of a pending entry until after the upstream call it is meant to precede.
    """
    with transaction.atomic(durable=durable):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        yield


def _insert_locked(rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Number, hash and insert rows. Call only inside _write_lock()."""
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev = head if head else (0, GENESIS_HASH)
    now = timezone.now()
    entries = []
    for row in rows:
        seq += 1
        entry = AuditEntry(seq=seq, time=now, prev_hash=prev, **_clip(row))
        entry.hash = entry.compute_hash()
        prev = entry.hash
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries)
    for entry in entries:
        entry._state.adding = False
    return entries


def _append(rows: list[dict[str, Any]], *, durable: bool) -> list[AuditEntry]:
    with _write_lock(durable=durable):
        return _insert_locked(rows)


def _row(ctx: AuditContext, **values: Any) -> dict[str, Any]:
    return {
        "actor": ctx.actor,
        "actor_username": ctx.username,
        "request_id": ctx.request_id,
        "ip": ctx.ip,
        "user_agent": ctx.user_agent,
        "reason": ctx.reason,
        "object_type": "",
        "object_id": "",
        "object_name": "",
        "before": None,
        "after": None,
        "upstream_status": None,
        "upstream_message": "",
        "completes": None,
        **values,
    }


def _check_write(action: str, object_type: str) -> None:
    if action not in WRITE_ACTIONS:
        raise ValueError(f"Not a write action: {action!r}")
    if object_type not in ObjectType.values:
        raise ValueError(f"Unknown object type: {object_type!r}")


# ---------------------------------------------------------------------------------------------
# Public service API


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
    _check_write(action, object_type)
    row = _row(
        ctx,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_name=object_name or "",
        before=_jsonable(before),
        after=_jsonable(after),
        outcome=Outcome.PENDING,
    )
    return _append([row], durable=True)[0]


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
    _check_write(action, object_type)
    rows = [
        _row(
            ctx,
            action=action,
            object_type=object_type,
            object_id=str(item.get("object_id") or ""),
            object_name=item.get("object_name") or "",
            before=_jsonable(item.get("before")),
            after=_jsonable(item.get("after")),
            outcome=Outcome.PENDING,
        )
        for item in items
    ]
    return _append(rows, durable=True) if rows else []


def _latest_outcome(entry: AuditEntry) -> str:
    latest = (
        AuditEntry.objects.filter(completes=entry.seq)
        .order_by("-seq")
        .values_list("outcome", flat=True)
        .first()
    )
    return latest or entry.outcome


def _outcome_row(
    entry: AuditEntry,
    *,
    outcome: str,
    status: int | None,
    message: str,
    object_id: str | None,
    object_name: str | None,
    after: dict | None,
    by_system: bool,
) -> dict[str, Any]:
    if entry.completes_id is not None or entry.action not in WRITE_ACTIONS:
        raise ValueError(f"Entry #{entry.seq} is not a pending write; it cannot be completed.")
    if outcome not in (Outcome.SUCCESS, Outcome.FAILED, Outcome.UNKNOWN):
        raise ValueError(f"Not a final outcome: {outcome!r}")
    return {
        "actor_id": None if by_system else entry.actor_id,
        "actor_username": SYSTEM_RECONCILE if by_system else entry.actor_username,
        "request_id": entry.request_id,
        "ip": "" if by_system else entry.ip,
        "user_agent": "" if by_system else entry.user_agent,
        "reason": "",
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": str(object_id) if object_id else entry.object_id,
        "object_name": object_name if object_name is not None else entry.object_name,
        "before": None,
        "after": _jsonable(after),
        "outcome": outcome,
        "upstream_status": status,
        "upstream_message": message or "",
        "completes": entry,
    }


def _complete_many(entries_and_rows: list[tuple[AuditEntry, dict]]) -> list[AuditEntry]:
    with _write_lock(durable=False):
        for entry, _ in entries_and_rows:
            # Checked under the lock: two completions of one entry cannot both pass.
            current = _latest_outcome(entry)
            if current in FINAL_OUTCOMES:
                raise ValueError(f"Entry #{entry.seq} already has a final outcome ({current}).")
        return _insert_locked([row for _, row in entries_and_rows])


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
    row = _outcome_row(
        entry,
        outcome=outcome,
        status=status,
        message=message,
        object_id=object_id,
        object_name=object_name,
        after=after,
        by_system=False,
    )
    return _complete_many([(entry, row)])[0]


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
            _outcome_row(
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
    return _complete_many(pairs) if pairs else []


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
    row = _row(ctx, action=action, object_name=object_name, after=_jsonable(after), outcome=outcome)
    return _append([row], durable=False)[0]


# ---------------------------------------------------------------------------------------------
# Reconcile: resolve "unknown" and stale "pending" entries by asking the server


def stale_after() -> timedelta:
    """How old a pending entry must be before it counts as abandoned (crash, killed worker)."""
    seconds = getattr(settings, "AUDIT_PENDING_STALE_SECONDS", None)
    if seconds is None:
        seconds = max(60.0, 2 * float(getattr(settings, "SYMBL_API_DEADLINE", 20.0)))
    return timedelta(seconds=float(seconds))


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


def _significant(object_type: str, state: Any) -> dict | None:
    """The fields a write sets, for comparing what we sent with what the server has."""
    if state is None:
        return None
    if hasattr(state, "as_dict"):
        state = state.as_dict()
    if object_type == ObjectType.TRACKER:
        return {"name": state.get("name"), "vocabulary": list(state.get("vocabulary") or [])}
    return {
        "name": state.get("name"),
        "description": state.get("description") or "",
        "criteria": state.get("criteria"),
    }


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


def reconcile_compare(entry: AuditEntry, *, client) -> Resolution | None:
    """Decide what really happened to an unresolved write by reading the server.

    Returns None when the server's state does not settle it (e.g. changed again since).
    Raises: ManagementAPIError other than NotFound (server down, ...).
    """
    from symbl_admin.management_api.errors import NotFound

    resource = client.trackers if entry.object_type == ObjectType.TRACKER else client.groups
    intended = _significant(entry.object_type, entry.after)
    previous = _significant(entry.object_type, entry.before)

    if entry.action in CREATING_ACTIONS:
        name = (entry.after or {}).get("name") or entry.object_name
        found = _first(resource.find_by_name(name))
        if found is None:
            return Resolution(Outcome.FAILED, f"Reconciled: no {entry.object_type} named this.")
        state = found.as_dict() if hasattr(found, "as_dict") else dict(found)
        found_id = str(state.get("id", ""))
        if _existed_before(entry, found_id):
            return Resolution(Outcome.FAILED, "Reconciled: the name belongs to an older object.")
        if _significant(entry.object_type, state) == intended:
            return Resolution(
                Outcome.SUCCESS,
                "Reconciled: the server has it as sent.",
                object_id=found_id,
                object_name=state.get("name"),
                after=state,
            )
        return None

    try:
        state = resource.get(entry.object_id)
    except NotFound:
        if entry.action == Action.DELETE:
            return Resolution(Outcome.SUCCESS, "Reconciled: it is gone from the server.")
        return None  # deleted since: the update can no longer be checked
    state = state.as_dict() if hasattr(state, "as_dict") else dict(state)
    current = _significant(entry.object_type, state)
    if entry.action == Action.DELETE:
        return Resolution(Outcome.FAILED, "Reconciled: it is still on the server.", after=state)
    if current == intended:
        return Resolution(Outcome.SUCCESS, "Reconciled: the server has it as sent.", after=state)
    if current == previous:
        return Resolution(Outcome.FAILED, "Reconciled: the server still has the old version.")
    return None


def reconcile_entry(entry: AuditEntry, *, client) -> AuditEntry | None:
    """Resolve one unresolved entry; append and return its outcome entry, or None.

    Raises: ManagementAPIError when the server cannot be read.
    """
    resolution = reconcile_compare(entry, client=client)
    if resolution is None:
        return None
    row = _outcome_row(
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
        return _complete_many([(entry, row)])[0]
    except ValueError:
        return None  # resolved meanwhile by another worker


def _client(client):
    if client is not None:
        return client
    from symbl_admin.management_api import get_client

    return get_client()


def reconcile_object(
    *, object_type: str, object_id: str = "", object_name: str = "", client=None
) -> list[AuditEntry]:
    """Resolve the unresolved entries of one object (call it when reading that object).

    Cheap when there is nothing to do (one indexed query). Never raises for server errors:
    what cannot be checked now stays unresolved.
    """
    match = Q(object_id=object_id) if object_id else Q()
    if object_name:
        match |= Q(object_id="", object_name=object_name)
    if not match:
        return []
    entries = list(unresolved_entries().filter(match, object_type=object_type))
    return _reconcile_list(entries, client)


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
    """Resolve every unresolved entry: returns (how many were unresolved, outcome entries)."""
    entries = list(unresolved_entries()[:limit] if limit else unresolved_entries())
    return len(entries), _reconcile_list(entries, client)
