"""Accounts layer: how failed sign-ins slow down the next try. A growing wait, never a
lock-out, and never a sleep in the worker: a refused try is answered at once with how long to
wait (the form says when, the view sends Retry-After).

Three counters, each with its own bound (failures before any wait):
- one username from one address (PAIR_FREE): someone mistyping, or guessing from one place;
  only this try's address waits, so the real user elsewhere still signs in;
- one username from every address together (USERNAME_FREE): guessing spread over many
  addresses. Each address adds to it only up to PAIR_FREE: one address, however long it
  keeps trying, can never make the real user wait anywhere else;
- one address for any usernames (ADDRESS_FREE, higher): one place trying many accounts; a
  few mistakes by several people behind one office address refuse nobody.
Past a bound the wait doubles with each further failure, from BASE_WAIT up to MAX_WAIT, and
runs from that counter's last failure. Refused tries are not counted (they test no password).
Addresses are counted by block (symbl_admin/client_address.address_block: IPv6 by /64).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from symbl_admin.client_address import address_block

from . import throttle

PAIR_FREE = 5
USERNAME_FREE = 20
ADDRESS_FREE = 50
BASE_WAIT = 60  # seconds, at the first failure past a bound
MAX_WAIT = 15 * 60

clock = time.time  # tests move it forward


def wait_after(count: int, free: int) -> int:
    """Seconds to wait after `count` failures under a bound of `free` (0: no wait)."""
    if count < free:
        return 0
    return min(MAX_WAIT, BASE_WAIT * 2 ** min(count - free, 20))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Attempt:
    """A sign-in try: the username typed and the client's address."""

    username: str
    address: str

    @property
    def keys(self) -> dict[str, str]:
        """The counters' cache keys (digests: no username or address is a key in clear)."""
        user = _digest(self.username.strip().lower())
        block = _digest(address_block(self.address))
        return {
            "pair": f"login-fail:pair:{user}:{block}",
            "username": f"login-fail:user:{user}",
            "address": f"login-fail:ip:{block}",
        }


def _free() -> dict[str, int]:
    return {"pair": PAIR_FREE, "username": USERNAME_FREE, "address": ADDRESS_FREE}


def retry_after(attempt: Attempt) -> int:
    """Whole seconds until this try may be made; 0: now."""
    now, keys = clock(), attempt.keys
    longest = 0.0
    for name, free in _free().items():
        count, last = throttle.failures(keys[name])
        wait = wait_after(count, free)
        if wait:
            longest = max(longest, last + wait - now)
    return max(0, math.ceil(longest))


def record_failure(attempt: Attempt) -> None:
    """Count a failed try on each counter (the username's only up to PAIR_FREE per address)."""
    now, keys = clock(), attempt.keys
    if throttle.add_failure(keys["pair"], now=now) <= PAIR_FREE:
        throttle.add_failure(keys["username"], now=now)
    throttle.add_failure(keys["address"], now=now)


def record_success(attempt: Attempt) -> None:
    """A signed-in user starts again from this address. The username's and the address's
    counters stay: signing in to one's own account must not buy guesses at another."""
    throttle.reset(attempt.keys["pair"])
