"""Local Management API server: failed token requests, limited per client address.

After `limit` wrong appId/appSecret pairs from one address within `window` seconds, every
token request from that address answers 429 with Retry-After until the window ends — the
right pair too, or a guess that hits would still be told so. Other addresses are not
affected, and a token already issued keeps working.

Counts live in this process's memory, bounded: at most `max_addresses` are remembered, the
least recently failing forgotten first. With several gunicorn workers each counts its own, so
an address gets at most workers × limit guesses per window.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

DEFAULT_LIMIT = 10
DEFAULT_WINDOW_SECONDS = 60.0
DEFAULT_MAX_ADDRESSES = 10_000


class FailedTokenLimiter:
    """Fixed windows of failures per address (thread-safe)."""

    def __init__(
        self,
        *,
        limit: int = DEFAULT_LIMIT,
        window: float = DEFAULT_WINDOW_SECONDS,
        max_addresses: int = DEFAULT_MAX_ADDRESSES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0 or max_addresses < 1:
            raise ValueError("limit, window and max_addresses must be positive")
        self.limit = limit
        self.window = window
        self.max_addresses = max_addresses
        self._clock = clock
        self._lock = threading.Lock()
        # address -> (window start, failures in it); oldest failure first.
        self._failures: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def retry_after(self, address: str) -> int:
        """Seconds until `address` may ask for a token again; 0 when it may now."""
        with self._lock:
            entry = self._current(address)
            if entry is None or entry[1] < self.limit:
                return 0
            return max(1, math.ceil(entry[0] + self.window - self._clock()))

    def failed(self, address: str) -> None:
        """Count one wrong pair from `address`."""
        with self._lock:
            started, count = self._current(address) or (self._clock(), 0)
            self._failures[address] = (started, count + 1)
            self._failures.move_to_end(address)
            while len(self._failures) > self.max_addresses:
                self._failures.popitem(last=False)

    def __len__(self) -> int:
        return len(self._failures)

    def _current(self, address: str) -> tuple[float, int] | None:
        entry = self._failures.get(address)
        if entry is not None and self._clock() - entry[0] >= self.window:
            del self._failures[address]
            return None
        return entry
