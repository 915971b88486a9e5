"""Audit integrity layer: a full check of the hash chain started from the audit screen.

The same check as `manage.py verify_audit` (integrity.verify: the whole chain, the last
checkpoint, the review links; a new checkpoint when sound). A short log is checked within the
request; a long one in a background thread, so the request answers at once, and the screen
polls its progress. One run at a time across
every worker and process of this host: a `flock` on a file beside the checkpoints, held for the
run (the kernel lets it go if the process dies). Each run ends in an audit entry
(`audit_verified`): who ran it, when, and the result, hash-chained like every other fact.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db import close_old_connections, connection

from symbl_admin import private_files

from . import integrity
from .context import AuditContext
from .head import head
from .models import Action, AuditEntry, Outcome
from .services import record_event

LOCK_FILE = "full-check.lock"
PROGRESS_FILE = "full-check-progress.json"
# Logs up to this many records are checked within the request (measured here: 5,000 records
# in 0.5 s); longer ones in a thread, with progress on the screen.
INLINE_MAX = 5000

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    running: bool
    done: int = 0
    total: int = 0
    started_by: str = ""
    started_at: str = ""

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.total)) if self.total else 0


@dataclass(frozen=True)
class LastCheck:
    """The latest full check from the screen, as its audit entry records it."""

    seq: int
    time: datetime
    username: str
    ok: bool
    count: int
    problem: str
    broken_seq: int | None


def _directory() -> Path:
    return private_files.private_dir(integrity.checkpoint_dir())


def _lock(tries: int = 1) -> int | None:
    """The run's lock, taken (its descriptor), or None when a run holds it. `tries` > 1 asks
    again 20 ms apart: progress() takes the lock for an instant to see whether a run holds it,
    and a start landing in that instant must not be told a check is running."""
    fd = private_files.create_private(_directory() / LOCK_FILE, os.O_RDWR)
    for attempt in range(tries):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if attempt + 1 < tries:
                time.sleep(0.02)
            continue
        return fd
    os.close(fd)
    return None


def _release(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def _head_seq() -> int:
    found = head()
    return found[0] if found else 0


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_progress(progress: Progress) -> None:
    data = {
        "done": progress.done,
        "total": progress.total,
        "started_by": progress.started_by,
        "started_at": progress.started_at,
    }
    integrity.write_atomic(_directory() / PROGRESS_FILE, json.dumps(data))


def progress() -> Progress:
    """Whether a full check runs now (its lock is held), and how far it has come."""
    fd = _lock()
    if fd is not None:
        _release(fd)
        return Progress(running=False)
    try:
        data = json.loads((_directory() / PROGRESS_FILE).read_text())
    except (FileNotFoundError, ValueError):
        data = {}
    return Progress(
        running=True,
        done=int(data.get("done", 0)),
        total=int(data.get("total", 0)),
        started_by=str(data.get("started_by", "")),
        started_at=str(data.get("started_at", "")),
    )


def start(*, ctx: AuditContext) -> bool:
    """Run a full check: in the request for a log of at most INLINE_MAX records (well under a
    second), else in a background thread whose progress the screen polls. False when one is
    running already."""
    fd = _lock(tries=5)
    if fd is None:
        return False
    try:
        begun = Progress(True, 0, _head_seq(), ctx.username, _now())
        _write_progress(begun)
        if begun.total <= INLINE_MAX:
            run(ctx=ctx, begun=begun)
            _release(fd)
            return True
        thread = threading.Thread(
            target=_in_thread, args=(fd, ctx, begun), name="audit-full-check", daemon=True
        )
        thread.start()
    except BaseException:
        _release(fd)
        raise
    return True


def _in_thread(fd: int, ctx: AuditContext, begun: Progress) -> None:
    try:
        close_old_connections()
        run(ctx=ctx, begun=begun)
    except Exception:
        log.exception("audit full check failed")
    finally:
        connection.close()  # this thread's own database connection
        _release(fd)


def run(*, ctx: AuditContext, begun: Progress | None = None) -> AuditEntry:
    """The check itself (the caller holds the lock): verify, then record who ran it and the
    result as an audit entry. Returns that entry."""
    begun = begun or Progress(True, 0, _head_seq(), ctx.username, _now())

    def told(done: int) -> None:
        _write_progress(
            Progress(True, done, max(begun.total, done), ctx.username, begun.started_at)
        )

    result = integrity.verify(progress=told)
    after = {
        "ok": result.ok,
        "count": result.count,
        "problem": result.problem,
        "broken_seq": result.broken_seq,
    }
    outcome = Outcome.SUCCESS if result.ok else Outcome.FAILED
    return record_event(action=Action.AUDIT_VERIFIED, ctx=ctx, outcome=outcome, after=after)


def last_check() -> LastCheck | None:
    """The latest full check run from the screen, or None."""
    entry = (
        AuditEntry.objects.filter(action=Action.AUDIT_VERIFIED)  # the (action, seq) index
        .order_by("-seq")
        .only("seq", "time", "actor_username", "after")
        .first()
    )
    if entry is None:
        return None
    after = entry.after if isinstance(entry.after, dict) else {}
    broken = after.get("broken_seq")
    return LastCheck(
        seq=entry.seq,
        time=entry.time,
        username=entry.actor_username,
        ok=bool(after.get("ok")),
        count=int(after.get("count") or 0),
        problem=str(after.get("problem") or ""),
        broken_seq=broken if isinstance(broken, int) else None,
    )
