"""Sign-in throttle counters: failed sign-ins under a key (a username, an address, or both),
each with the time of its last failure, in Django's cache (a file cache on one host, the
database cache on PostgreSQL, so every worker and instance counts together). What the counts
mean (the bounds and the waits) is accounts/signin_limits.py.

The cache's own `incr` is a read and then a write: two workers failing at the same moment
both read 3 and both write 4, and a guesser spreading tries over instances gets more than
it should. So each count is a read and a write under a lock that spans workers and instances:
- PostgreSQL: a transaction-scoped advisory lock keyed on the counter (pg_advisory_xact_lock),
  held until the transaction that writes the new count commits;
- SQLite (one host): `fcntl.flock` on var/locks/login-throttle.lock, which the kernel drops if
  the process dies.
Each failure also restarts the counter's window (WINDOW_SECONDS after the last failure): longer
than the longest wait, so a guesser who waits out a refusal meets a longer one next time.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

WINDOW_SECONDS = 60 * 60


def failures(key: str) -> tuple[int, float]:
    """How many failures the counter holds now and when the last one was (0, 0.0 when none
    or expired)."""
    value = cache.get(key)
    if isinstance(value, list | tuple) and len(value) == 2:
        return int(value[0]), float(value[1])
    return (value, 0.0) if isinstance(value, int) else (0, 0.0)  # a count kept by the old code


def add_failure(key: str, *, now: float | None = None) -> int:
    """Count one failure, atomically across workers and instances; the new count."""
    with _counting(key):
        count = failures(key)[0] + 1
        cache.set(key, (count, time.time() if now is None else now), WINDOW_SECONDS)
    return count


def reset(key: str) -> None:
    cache.delete(key)


def _pg_key(key: str) -> int:
    text = f"symbl-admin-login-throttle:{key}"
    return int.from_bytes(
        hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True
    )


@contextmanager
def _counting(key: str) -> Iterator[None]:
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_pg_key(key)])
            yield
        return
    directory = Path(settings.VAR_DIR) / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / "login-throttle.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
