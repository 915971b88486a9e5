"""Tester layer: one tester run per user at a time; a newer request takes over from an older.

The editor's Try it re-runs as the analyst types, and anyone may send requests in parallel:
without this, each would keep a core busy to the end. Each run writes a fresh token under its
user's key in the default cache (a file cache every worker on this host shares, or a table
every instance shares on PostgreSQL: never process memory, which a second gunicorn worker
would not see). Between pieces of work the run reads the key back; when a newer run has
written its own token there, the older one raises Superseded and answers with nothing to swap.
Last writer wins, so two runs that start together need no atomic counter: the later one stays.
"""

from __future__ import annotations

import time
import uuid

from django.core.cache import cache

# Longer than any run: a key that expired mid-run would only mean "no newer run".
TIMEOUT_SECONDS = 3600
CHECK_EVERY_SECONDS = 0.05  # at most this often a cache read (a file read, or a query)


class Superseded(Exception):
    """A newer tester request by the same user has started; this one stops."""


class Claim:
    """This request's claim on its user's tester run."""

    def __init__(self, user_id: object):
        self.key = f"tester:run:{user_id}"
        self.token = uuid.uuid4().hex
        cache.set(self.key, self.token, TIMEOUT_SECONDS)
        self._checked = time.monotonic()

    def current(self) -> bool:
        """Whether no newer run by the same user has started since."""
        return cache.get(self.key) in (self.token, None)

    def check(self) -> None:
        """Raises:
        Superseded: a newer run by the same user has started (read at most every 50 ms).
        """
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY_SECONDS:
            return
        self._checked = now
        if not self.current():
            raise Superseded
