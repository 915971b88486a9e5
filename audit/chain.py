"""Audit chain layer: number, hash and append rows to the log under one write lock.

Only this module inserts AuditEntry rows. It knows nothing of requests or of the Management
API: the write API (services.py) and reconcile (reconcile.py) build rows and hand them here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from .head import forget_head
from .models import FINAL_OUTCOMES, GENESIS_HASH, WRITE_ACTIONS, AuditEntry, ObjectType, Outcome

if TYPE_CHECKING:
    from .context import AuditContext

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


# ---------------------------------------------------------------------------------------------
# Values: what goes into a row


def scrub(value: Any) -> Any:
    """Pure JSON, with any secret-looking key's value removed (defence in depth)."""
    if isinstance(value, dict):
        return {
            str(k): ("[removed]" if _SECRET_KEY_RE.search(str(k)) else scrub(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def jsonable(value: Any) -> Any:
    """A state (dict, or a management_api Tracker/Group) as the JSON column will hold it."""
    if value is None:
        return None
    if hasattr(value, "as_dict"):
        value = value.as_dict()
    # Round-trip so what we hash is exactly what the JSON column gives back.
    return scrub(json.loads(json.dumps(value, default=_json_default)))


def _json_default(value: Any) -> Any:
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if hasattr(value, "items"):  # MappingProxyType
        return dict(value.items())
    return str(value)


def clip(row: dict[str, Any]) -> dict[str, Any]:
    """Text columns cut to their length, NUL characters removed (SQLite/PostgreSQL differ)."""
    for name, limit in _LIMITS.items():
        value = row.get(name)
        if isinstance(value, str):
            row[name] = value.replace("\x00", "")[:limit]
    return row


def intent_row(ctx: AuditContext, **values: Any) -> dict[str, Any]:
    """A row for an intent or an event, who and where taken from `ctx`."""
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


def check_write(action: str, object_type: str) -> None:
    """Raises: ValueError for an action that is not a write or an unknown object type."""
    if action not in WRITE_ACTIONS:
        raise ValueError(f"Not a write action: {action!r}")
    if object_type not in ObjectType.values:
        raise ValueError(f"Unknown object type: {object_type!r}")


def outcome_row(
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
    """The outcome row completing `entry` (by its actor, or by the reconcile step).

    Raises: ValueError when `entry` is not a pending write or `outcome` is not final/unknown.
    """
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
        "after": jsonable(after),
        "outcome": outcome,
        "upstream_status": status,
        "upstream_message": message or "",
        "completes": entry,
    }


# ---------------------------------------------------------------------------------------------
# Appending


@contextmanager
def write_lock(*, durable: bool) -> Iterator[None]:
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


# Functions called with each batch of appended entries inside the append's transaction: an
# index of the log kept there is never behind it (review/apps.py adds the review standings).
FOLLOWERS: list = []


def _insert_locked(rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Number, hash and insert rows. Call only inside write_lock()."""
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev = head if head else (0, GENESIS_HASH)
    now = timezone.now()
    entries = []
    for row in rows:
        seq += 1
        entry = AuditEntry(seq=seq, time=now, prev_hash=prev, **clip(row))
        entry.hash = entry.compute_hash()
        prev = entry.hash
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries)
    for follow in FOLLOWERS:  # indexes of the log (review standings), in this transaction
        follow(entries)
    forget_head()  # this request's reads of the head now see these entries
    for entry in entries:
        entry._state.adding = False
    return entries


def append(rows: list[dict[str, Any]], *, durable: bool) -> list[AuditEntry]:
    """Append rows at the head of the chain, in one transaction.

    Raises: RuntimeError when `durable` and called inside an outer transaction.
    """
    with write_lock(durable=durable):
        return _insert_locked(rows)


def latest_outcome(entry: AuditEntry) -> str:
    """The outcome of an intent as its latest outcome row says (else its own: pending)."""
    latest = (
        AuditEntry.objects.filter(completes=entry.seq)
        .order_by("-seq")
        .values_list("outcome", flat=True)
        .first()
    )
    return latest or entry.outcome


def append_outcomes(entries_and_rows: list[tuple[AuditEntry, dict]]) -> list[AuditEntry]:
    """Append outcome rows, refusing any entry that already has a final outcome.

    Raises: ValueError when one of the entries is already complete (nothing is appended).
    """
    with write_lock(durable=False):
        for entry, _ in entries_and_rows:
            # Checked under the lock: two completions of one entry cannot both pass.
            current = latest_outcome(entry)
            if current in FINAL_OUTCOMES:
                raise ValueError(f"Entry #{entry.seq} already has a final outcome ({current}).")
        return _insert_locked([row for _, row in entries_and_rows])
