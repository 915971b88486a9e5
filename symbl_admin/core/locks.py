"""A write lock across gunicorn workers on one host (fcntl.flock on a file under var/).

The Management API allows one tracker create/update at a time per account and answers 429
to a second. Serialising our own writes here turns those 429s into a short wait. A lock
file is released by the kernel if the process dies, so a crash never wedges it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


class LockTimeout(Exception):
    """The lock stayed busy for longer than the caller wanted to wait."""


@contextmanager
def write_lock(name: str, *, timeout: float = 10.0) -> Iterator[None]:
    """Hold the named lock; raises LockTimeout after `timeout` seconds of waiting."""
    directory = Path(settings.VAR_DIR) / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(name) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
