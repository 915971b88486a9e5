"""Management API client layer: the circuit breaker in front of the Transport.

After `threshold` calls in a row fail with Unavailable (connection error, timeout, 5xx, an
exhausted deadline), the breaker opens: for `cooldown` seconds every call fails at once with
CircuitOpen, without touching the network, instead of each request waiting out its timeouts.
Then it is half-open: one call (the probe) goes through while the others still fail fast;
when the probe gets any answer from the server (a 4xx included) the breaker closes, when it
fails the breaker opens for another cool-down. Any answer from the server resets the count;
4xx answers and 429 never count as failures (the server is there and said no).

One breaker per client object, and the dashboard has one client per process (`get_client`),
so the state is shared by every thread of a gunicorn worker, not across workers: each worker
finds out on its own, after `threshold` failures of its own.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo

from symbl_admin.request_context import current_request_id

from .errors import ManagementAPIError, Unavailable

logger = logging.getLogger("symbl_admin.management_api")

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


class CircuitOpen(Unavailable):
    """Unavailable, said at once: the breaker is open, so nothing was sent."""

    default_user_message = (
        "After repeated failures the dashboard stopped asking it for a moment, so nothing was "
        "sent. Your input is kept below; try again in a moment. The audit log and the review "
        "queue still work."
    )

    def __init__(
        self, *, since: float, retry_in: float, request_id: str = "", zone: tzinfo = UTC
    ) -> None:
        self.since = since
        self.retry_in = retry_in
        # In the dashboard's TIME_ZONE with the zone named, as the audit pages show times.
        stamp = datetime.fromtimestamp(since, zone).strftime("%Y-%m-%d %H:%M:%S %Z")
        # An instance title: the overview and /readyz show an error's title as the reason.
        self.title = f"The Management API is unreachable since {stamp}."
        super().__init__(request_id=request_id, may_have_landed=False)

    @property
    def user_message(self) -> str:
        return f"{self.title} {self.default_user_message}"


class CircuitBreaker:
    """Thread-safe; `threshold` <= 0 turns it off (every call goes through)."""

    def __init__(
        self,
        *,
        threshold: int = 5,
        cooldown: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
        zone: tzinfo = UTC,
    ) -> None:
        self.threshold = threshold
        self.zone = zone  # the time zone "unreachable since ..." is said in
        self.cooldown = cooldown
        self._clock = clock
        self._now = now
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failures = 0
        self._since = 0.0  # wall time of the first failure of the current run
        self._retry_at = 0.0  # monotonic time the next probe may go

    @property
    def state(self) -> str:
        return self._state

    def snapshot(self) -> dict:
        """{"state", "failures", "since"} for probes and pages; `since` is None when closed."""
        with self._lock:
            since = self._since if self._state != CLOSED else None
            return {"state": self._state, "failures": self._failures, "since": since}

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Around one logical call: fail fast when open, count the outcome.

        Raises: CircuitOpen when the call may not go; whatever the call raises.
        """
        probe = self._admit()
        outcome: bool | None = None
        try:
            yield
            outcome = True
        except Unavailable:
            outcome = False
            raise
        except ManagementAPIError:
            outcome = True  # the server answered, if only to say no
            raise
        finally:
            self._settle(outcome, probe)

    def _admit(self) -> bool:
        """True when this call is the half-open probe; raises CircuitOpen when refused."""
        with self._lock:
            if self.threshold <= 0 or self._state == CLOSED:
                return False
            if self._state == OPEN and self._clock() >= self._retry_at:
                self._change(HALF_OPEN)
                return True
            retry_in = max(0.0, self._retry_at - self._clock())
            raise CircuitOpen(
                since=self._since,
                retry_in=retry_in,
                request_id=current_request_id.get(),
                zone=self.zone,
            )

    def _settle(self, outcome: bool | None, probe: bool) -> None:
        with self._lock:
            if outcome is True:
                self._failures = 0
                if self._state != CLOSED:
                    self._change(CLOSED)
            elif outcome is False:
                if self._failures == 0:
                    self._since = self._now()
                self._failures += 1
                tripped = self._state == CLOSED and 0 < self.threshold <= self._failures
                if probe or tripped:
                    self._retry_at = self._clock() + self.cooldown
                    self._change(OPEN)
            elif probe:
                # The probe died of something that says nothing about the server: the next
                # call may probe at once.
                self._retry_at = self._clock()
                self._change(OPEN)

    def _change(self, state: str) -> None:
        previous, self._state = self._state, state
        line = {
            "event": "management_api_breaker",
            "from": previous,
            "to": state,
            "failures": self._failures,
        }
        logger.log(logging.INFO if state != OPEN else logging.WARNING, json.dumps(line))
