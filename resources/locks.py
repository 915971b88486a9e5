"""A write lock across gunicorn workers: a file lock on one host (SQLite), a PostgreSQL
advisory lock across every instance (PostgreSQL).

The Management API allows one tracker create/update at a time per account and answers 429
to a second. Serialising our own writes here turns those 429s into a short wait.

- SQLite: `fcntl.flock` on a file under var/locks; the kernel releases it if the process
  dies, so a crash never wedges it.
- PostgreSQL: a session-level `pg_try_advisory_lock` on this thread's connection to the
  dashboard's database, keyed on the Management API account (base URL and app id) and the
  lock's name, so instances on other hosts wait for each other too. PostgreSQL releases it if
  the connection dies. Session-level (not transaction-level) because the audit log commits
  its pending entry in its own transaction while the lock is held; so the database must be
  reached directly or through a session-pooling proxy, never transaction pooling.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

POLL_SECONDS = 0.02


class LockTimeout(Exception):
    """The lock stayed busy for longer than the caller wanted to wait."""


@contextmanager
def write_lock(name: str, *, timeout: float = 10.0) -> Iterator[None]:
    """Hold the named lock; raises LockTimeout after `timeout` seconds of waiting."""
    held = _advisory_lock if connection.vendor == "postgresql" else _file_lock
    with held(name, timeout=timeout):
        yield


def account_lock_key(name: str) -> int:
    """The advisory lock key of a named lock on the configured Management API account."""
    account = settings.SYMBL_API_BASE_URL or (
        "embedded:" + (settings.SYMBL_LOCAL_API_DATABASE_URL or str(settings.SYMBL_LOCAL_API_DATA))
    )
    text = f"symbl-admin-write:{account}|{settings.SYMBL_APP_ID}|{name}"
    return int.from_bytes(
        hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True
    )


def _wait(try_once, name: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not try_once():
        if time.monotonic() >= deadline:
            raise LockTimeout(name)
        time.sleep(POLL_SECONDS)


@contextmanager
def _advisory_lock(name: str, *, timeout: float) -> Iterator[None]:
    key = account_lock_key(name)

    def try_once() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            return bool(cursor.fetchone()[0])

    _wait(try_once, name, timeout)
    try:
        yield
    finally:
        # A connection that broke meanwhile took the lock with it; nothing to release then.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


@contextmanager
def _file_lock(name: str, *, timeout: float) -> Iterator[None]:
    directory = Path(settings.VAR_DIR) / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:

        def try_once() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _wait(try_once, name, timeout)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
