"""Values derived from versioned inputs, kept in this process under the inputs' stamps (the
audit log's head, a list's ETag): the same stamps are the same inputs, so a kept value is
never stale, and a new stamp simply computes afresh. Bounded: when full it starts over."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Stamped(list):
    """A list and the stamp of what it was made from: a server's list and its ETag, findings
    and the two lists' ETags ("" when there is none: then nothing derived from it is kept).
    A copy: changing it changes nothing kept."""

    def __init__(self, items, stamp="") -> None:
        super().__init__(items)
        self.stamp = stamp


class Kept:
    def __init__(self, size: int) -> None:
        self.size = size
        self._values: dict[Hashable, object] = {}

    def get(self, key: Hashable, compute: Callable[[], T], *, keep: bool = True) -> T:
        """compute()'s value under `key`; `keep=False` (an input without a stamp) computes
        it and keeps nothing."""
        if not keep:
            return compute()
        try:
            return self._values[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = compute()
        if len(self._values) >= self.size:
            self._values.clear()
        self._values[key] = value
        return value
