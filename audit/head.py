"""The audit log's head (its last entry's seq and hash): what the audit pages, which show every
entry, are made of. Read once per request; the request's own appends forget it."""

from __future__ import annotations

import contextvars

from django.db import connection

from symbl_admin.request_context import current_request_id

from .models import AuditEntry

_seen_head: contextvars.ContextVar[tuple[str, tuple[int, str] | None] | None] = (
    contextvars.ContextVar("audit_head_seen", default=None)
)


def head() -> tuple[int, str] | None:
    """The last entry's seq and hash, read once per request (plain SQL: the ORM spent ten
    times the query's own time building it); the request's own appends forget it."""
    request_id = current_request_id.get()
    seen = _seen_head.get()
    if request_id and seen is not None and seen[0] == request_id:
        return seen[1]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    found = (row[0], row[1]) if row else None
    if request_id:
        _seen_head.set((request_id, found))
    return found


def forget_head() -> None:
    """An entry was appended in this request: the next read asks the database again."""
    _seen_head.set(None)
