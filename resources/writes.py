"""Shared write plumbing for services over the Management API (trackers and groups).

Serialises our own writes across workers (the API allows one tracker write at a time and
answers 429 to a second), and merges edits for conflict resolution.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from symbl_admin.management_api.errors import Busy

from .locks import LockTimeout, write_lock


@contextmanager
def serialized(name: str, *, timeout: float = 10.0) -> Iterator[None]:
    """Hold the named write lock. Raises: Busy when it stays taken for `timeout` seconds."""
    try:
        with write_lock(name, timeout=timeout):
            yield
    except LockTimeout:
        raise Busy(
            "Another change is still being saved. Nothing was changed; try again in a moment."
        ) from None


class EditConflict(Exception):
    """The object changed after the user loaded it. Carries the current version."""

    def __init__(self, current) -> None:
        super().__init__("The item was changed by someone else after you opened it.")
        self.current = current


def merge_lists(base: list[str], mine: list[str], current: list[str]) -> list[str]:
    """Three-way merge of ordered lists: current, minus what I removed, plus what I added."""
    removed = set(base) - set(mine)
    added = [item for item in mine if item not in base]
    merged = [item for item in current if item not in removed]
    merged += [item for item in added if item not in merged]
    return merged


def merge_value(base, mine, current):
    """Three-way merge of one value: my change wins where I made one."""
    return mine if mine != base else current
