"""Local Management API server: fault injection, off by default (WSGI middleware).

Lets us see how the dashboard behaves when the API is slow, failing, busy or cut off:

    SYMBL_FAULT_LATENCY_MS   every affected request waits this long first
    SYMBL_FAULT_ERROR_RATE   fraction answered 500, 502 or 503 (chosen at random)
    SYMBL_FAULT_BUSY_RATE    fraction answered 429
    SYMBL_FAULT_DROP_RATE    fraction whose connection is closed without any answer
    SYMBL_FAULT_DROP_AFTER_WRITE  "1": a dropped POST/PUT/PATCH/DELETE is carried out first, then
                             dropped (the client cannot know whether it landed)
    SYMBL_FAULT_SEED         seed for the random choices, for reproducible runs
    SYMBL_FAULT_WRITE_HOLD_MS  a tracker write holds the account's write lock this long before
                             it is carried out (widens the window in which a second one gets 429;
                             applied by app.ManagementAPI, which owns the lock)

Faults apply to /v1/* only; POST /oauth2/token:generate is never affected, so a fault always
hits the call under test rather than the sign-in in front of it. Faults come before
authentication, the way a gateway error would. Except for drop-after-write, a fault means
nothing was done. Rates are independent slices of one draw, so they must add up to at most 1.

A dropped connection: under gunicorn the client socket (environ["gunicorn.socket"]) is shut
down and no response is written; elsewhere `ConnectionDropped` is raised. It is a builtin
ConnectionAbortedError, the in-process adapter's documented way for an app to drop the
connection (management_api.embedded turns it into requests.ConnectionError).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ConnectionDropped(ConnectionAbortedError):
    """The server decided to close the connection without answering."""


def _rate(value: str, name: str) -> float:
    rate = float(value)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value}")
    return rate


@dataclass(frozen=True)
class FaultConfig:
    """Which faults to inject. All zero (the default) means none."""

    latency_ms: int = 0
    error_rate: float = 0.0
    busy_rate: float = 0.0
    drop_rate: float = 0.0
    drop_after_write: bool = False
    seed: int | None = None
    write_hold_ms: int = 0

    def __post_init__(self) -> None:
        if self.latency_ms < 0 or self.write_hold_ms < 0:
            raise ValueError("latency_ms and write_hold_ms must not be negative")
        for name in ("error_rate", "busy_rate", "drop_rate"):
            _rate(str(getattr(self, name)), name)
        if self.error_rate + self.busy_rate + self.drop_rate > 1.0 + 1e-9:
            raise ValueError("error_rate + busy_rate + drop_rate must not exceed 1")

    @property
    def enabled(self) -> bool:
        return bool(self.latency_ms or self.error_rate or self.busy_rate or self.drop_rate)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FaultConfig:
        """Read SYMBL_FAULT_* variables (unset or empty means off).

        Raises:
            ValueError: a value is not a number or is out of range.
        """
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return env.get(name, "").strip()

        seed = get("SYMBL_FAULT_SEED")
        return cls(
            latency_ms=int(get("SYMBL_FAULT_LATENCY_MS") or 0),
            error_rate=_rate(get("SYMBL_FAULT_ERROR_RATE") or "0", "SYMBL_FAULT_ERROR_RATE"),
            busy_rate=_rate(get("SYMBL_FAULT_BUSY_RATE") or "0", "SYMBL_FAULT_BUSY_RATE"),
            drop_rate=_rate(get("SYMBL_FAULT_DROP_RATE") or "0", "SYMBL_FAULT_DROP_RATE"),
            drop_after_write=get("SYMBL_FAULT_DROP_AFTER_WRITE").lower() in {"1", "true", "yes"},
            seed=int(seed) if seed else None,
            write_hold_ms=int(get("SYMBL_FAULT_WRITE_HOLD_MS") or 0),
        )

    def describe(self) -> str:
        """One line for logs and the server banner."""
        if not (self.enabled or self.write_hold_ms):
            return "no faults"
        parts = (
            [f"tracker writes hold the lock {self.write_hold_ms} ms"] if self.write_hold_ms else []
        )
        if self.latency_ms:
            parts.append(f"latency {self.latency_ms} ms")
        if self.error_rate:
            parts.append(f"errors {self.error_rate:.0%}")
        if self.busy_rate:
            parts.append(f"busy {self.busy_rate:.0%}")
        if self.drop_rate:
            when = " after writing" if self.drop_after_write else ""
            parts.append(f"dropped connections {self.drop_rate:.0%}{when}")
        return "faults: " + ", ".join(parts)


def drop_connection(environ: dict[str, Any]) -> None:
    """Close the client connection without a response.

    Raises:
        ConnectionDropped: when not under gunicorn (the embedded adapter expects it).
    """
    sock = environ.get("gunicorn.socket")
    if sock is None:
        raise ConnectionDropped("The local Management API dropped the connection (fault).")
    with contextlib.suppress(OSError):  # the client may be gone already
        sock.shutdown(socket.SHUT_RDWR)


def json_error(start_response: Callable[..., Any], status: int, message: str) -> list[bytes]:
    """Answer {"message": ...} with a status: the one error shape of the contract."""
    body = json.dumps({"message": message}, ensure_ascii=False).encode()
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


class FaultInjector:
    """WSGI middleware that injects the configured faults in front of an app."""

    def __init__(self, app: WSGIApp, config: FaultConfig) -> None:
        self.app = app
        self.config = config
        self._random = random.Random(config.seed)
        self._random_lock = threading.Lock()

    def _draw(self) -> float:
        with self._random_lock:
            return self._random.random()

    def _error_status(self) -> int:
        with self._random_lock:
            return self._random.choice((500, 502, 503))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        config = self.config
        if not config.enabled or not environ.get("PATH_INFO", "").startswith("/v1/"):
            return self.app(environ, start_response)
        if config.latency_ms:
            time.sleep(config.latency_ms / 1000)
        draw = self._draw()
        if draw < config.drop_rate:
            if config.drop_after_write and environ.get("REQUEST_METHOD") in {
                "POST",
                "PUT",
                "PATCH",
                "DELETE",
            }:
                self._run_and_discard(environ)
            logger.info(
                "fault: dropping %s %s", environ.get("REQUEST_METHOD"), environ["PATH_INFO"]
            )
            drop_connection(environ)
            return json_error(start_response, 503, "Connection dropped (fault injection).")
        draw -= config.drop_rate
        if draw < config.error_rate:
            status = self._error_status()
            return json_error(
                start_response,
                status,
                f"Simulated {status} {HTTPStatus(status).phrase} (fault injection); "
                "nothing was done.",
            )
        draw -= config.error_rate
        if draw < config.busy_rate:
            return json_error(
                start_response,
                429,
                "Too many concurrent requests (simulated by fault injection); nothing was done.",
            )
        return self.app(environ, start_response)

    def _run_and_discard(self, environ: dict[str, Any]) -> None:
        result = self.app(environ, lambda *args, **kwargs: None)
        try:
            for _chunk in result:
                pass
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
