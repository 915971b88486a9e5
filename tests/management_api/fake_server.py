"""A scriptable Management API test double on a real socket (127.0.0.1, stdlib http.server).

It exists for fault shapes the local Management API does not produce on demand: a
server that stalls past the read timeout, drops the connection after reading a request,
answers 5xx or 429 with Retry-After, or returns odd but legal shapes. Tokens work like the
contract says; every other answer is scripted per (method, path) with `on()`, and every
request is recorded so tests can count what actually reached the server.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

APP_ID = "test-app-id"
APP_SECRET = "test-app-secret-do-not-log"
TOKEN_PATH = "/oauth2/token:generate"


@dataclass
class Reply:
    """An answer: status, JSON body (or raw bytes), headers, after an optional stall."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    raw: bytes | None = None


class Drop:
    """Read the request, then close the connection without answering."""


class Pass:
    """Give the default answer (a token, or the 401/404 of an unscripted call)."""


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


class FakeManagementAPI:
    """Start with `start()`, stop with `stop()`; `url` is the base URL."""

    def __init__(self, *, expires_in: int = 86400) -> None:
        self.expires_in = expires_in
        self.seen: list[Seen] = []
        self.connections = 0
        self.tokens_issued: list[str] = []
        self.valid_tokens: set[str] = set()
        self._script: dict[tuple[str, str], deque] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting ------------------------------------------------------------------------

    def on(self, method: str, path: str, *actions: Reply | Drop | Pass) -> None:
        """Queue answers for (method, path); each request consumes one, the last one sticks."""
        with self._lock:
            self._script.setdefault((method, path), deque()).extend(actions)

    def requests_to(self, method: str, path: str) -> list[Seen]:
        return [s for s in self.seen if s.method == method and s.path == path]

    def revoke_tokens(self) -> None:
        self.valid_tokens.clear()

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeManagementAPI:
        fake = self

        class Handler(_Handler):
            api = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- answering (called from handler threads) ------------------------------------------

    def _next_action(self, method: str, path: str) -> Reply | Drop | None:
        with self._lock:
            queue = self._script.get((method, path))
            if not queue:
                return None
            action = queue.popleft() if len(queue) > 1 else queue[0]
            return None if isinstance(action, Pass) else action

    def _issue_token(self, body: Any) -> Reply:
        if (
            not isinstance(body, dict)
            or body.get("type") != "application"
            or body.get("appId") != APP_ID
            or body.get("appSecret") != APP_SECRET
        ):
            return Reply(401, {"message": "Invalid appId or appSecret."})
        with self._lock:
            token = f"token-{len(self.tokens_issued) + 1}-secretish"
            self.tokens_issued.append(token)
            self.valid_tokens.add(token)
        return Reply(200, {"accessToken": token, "expiresIn": self.expires_in})

    def answer(self, seen: Seen) -> Reply | Drop:
        scripted = self._next_action(seen.method, seen.path)
        if seen.path == TOKEN_PATH:
            return scripted or self._issue_token(seen.body)
        auth = seen.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.valid_tokens:
            return Reply(401, {"message": "Token validation failed for provided token."})
        return scripted or Reply(404, {"message": f"Nothing scripted for {seen.path}"})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server would offer
    api: FakeManagementAPI

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in two writes; without this, Nagle plus delayed ACKs add
        # 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.api._lock:
            self.api.connections += 1

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        parts = urlsplit(self.path)
        seen = Seen(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        self.api.seen.append(seen)
        action = self.api.answer(seen)
        if isinstance(action, Drop):
            self.close_connection = True
            return
        if action.delay:
            time.sleep(action.delay)
        payload = action.raw if action.raw is not None else json.dumps(action.body).encode()
        try:
            self.send_response(action.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in action.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (a read-timeout test): nothing left to do.
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _handle
