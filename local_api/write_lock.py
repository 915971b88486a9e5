"""The account's tracker write lock on one host: one tracker create or update at a time, across
threads and processes, refused at once (the API answers 429) rather than waited for."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


def lock_path_for(data_path: str | os.PathLike[str]) -> Path:
    """The tracker write-lock file that sits next to a data file."""
    return Path(f"{os.fspath(data_path)}.write-lock")


class Busy(Exception):
    """Another tracker create/update holds the write lock."""


class WriteLock:
    """One tracker write at a time per account, across threads and processes (non-blocking)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for the block.

        Raises:
            Busy: someone else holds it right now.
        """
        # A fresh open file description per attempt: flock conflicts between two of them even
        # inside one process, which is what makes the lock work across threads as well.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Busy from None
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
