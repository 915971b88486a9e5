"""Management API client layer: the wire. Session, timeouts, token cache, retry policy.

Everything that touches HTTP for the dashboard goes through `Transport.request`:

- one `requests.Session` per process (keep-alive connection pool), created lazily;
- a connect and a read timeout on every attempt, and one total deadline per call that
  covers the token, every retry and every backoff (kept under gunicorn's 30 s timeout);
- the access token cached in Django's cache, shared by every worker on the host, renewed
  shortly before it expires, and renewed once when the server answers 401;
- bounded retries with exponential backoff and full jitter: GET and DELETE on connection
  errors and 502/503/504, any method on 429, and a POST or PUT only when it certainly did
  not reach the server (it may never be sent twice);
- one log line per upstream call, without tokens, secrets or bodies.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import os
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, NewConnectionError

from symbl_admin.request_context import current_request_id

from .errors import AuthFailed, ManagementAPIError, NotFound, Unavailable, error_for_status

logger = logging.getLogger("symbl_admin.management_api")

TOKEN_PATH = "/oauth2/token:generate"
MAX_TRIES = 3
RETRY_STATUSES_IDEMPOTENT = frozenset({502, 503, 504})
# Answers after which a write may have been done upstream: the server crashed midway or a
# gateway gave up waiting for it. 503 means no server took the request.
MAY_HAVE_LANDED_STATUSES = frozenset({500, 502, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
# Upstream messages end up on pages and in the audit log; a runaway one is cut.
MAX_MESSAGE_CHARS = 500

_session_lock = threading.Lock()
_session: requests.Session | None = None
_session_pid: int | None = None


def new_session(*, pool_maxsize: int = 16) -> requests.Session:
    """A session with a keep-alive pool and no retries of its own (ours are in Transport)."""
    session = requests.Session()
    # urllib3's retries stay off: it would resend a POST after a dropped connection.
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_maxsize, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # Environment proxies and .netrc have no business on an API call with a bearer token.
    session.trust_env = False
    return session


def shared_session() -> requests.Session:
    """The process-wide session, created on first use (and again in a forked child)."""
    global _session, _session_pid
    pid = os.getpid()
    if _session is not None and _session_pid == pid:
        return _session
    with _session_lock:
        if _session is None or _session_pid != pid:
            # A session inherited over fork would share sockets with the parent.
            _session = new_session()
            _session_pid = pid
        return _session


def close_shared_session() -> None:
    """Drop the process-wide session (tests, settings changes)."""
    global _session, _session_pid
    with _session_lock:
        if _session is not None:
            _session.close()
        _session = None
        _session_pid = None


def token_cache_key(base_url: str, app_id: str) -> str:
    """The cache key of a token: a hash of base URL and app id, never the secret."""
    digest = hashlib.sha256(f"{base_url}\n{app_id}".encode()).hexdigest()[:32]
    return f"symbl_admin:management_api:token:{digest}"


def renewal_margin(expires_in: float) -> float:
    """How long before expiry a token is renewed: 10 % of its life, at most 5 minutes."""
    return min(300.0, expires_in * 0.1)


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the request certainly did not reach the server (safe to send again)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError) and exc.args:
        # With retries off, urllib3 wraps a failed connect (refused, DNS) in MaxRetryError;
        # a connection dropped after sending surfaces as a bare ProtocolError instead.
        inner = exc.args[0]
        return isinstance(inner, MaxRetryError) and isinstance(inner.reason, NewConnectionError)
    return False


@dataclass
class _Call:
    """The state of one logical call across its tries."""

    method: str
    path: str
    request_id: str
    deadline_at: float
    clock: Callable[[], float]
    idempotent: bool
    # Whether "it may have been done" means anything to the caller: not for reads, and not
    # for the token (a failed sign-in never carried the caller's write).
    changes_data: bool
    tries: int = 0
    may_have_landed: bool = False
    error: str = ""
    extra_headers: dict[str, str] = field(default_factory=dict)

    def remaining(self) -> float:
        return self.deadline_at - self.clock()


class Transport:
    """Authenticated JSON calls to one Management API server, with the policy above."""

    def __init__(
        self,
        base_url: str,
        app_id: str,
        app_secret: str,
        *,
        session: requests.Session | None = None,
        connect_timeout: float = 3.0,
        read_timeout: float = 15.0,
        deadline: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
        cache: Any = None,
        max_tries: int = MAX_TRIES,
        backoff_base: float = 0.25,
        backoff_cap: float = 4.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.app_id = app_id
        self._app_secret = app_secret
        self._session = session
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self._sleep = sleep
        self._rand = rand
        self._clock = clock
        self._now = now
        self._cache = cache
        self.max_tries = max_tries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.token_key = token_cache_key(self.base_url, app_id)

    def __repr__(self) -> str:
        # The secret stays out of reprs, tracebacks with locals and debug pages.
        return f"Transport(base_url={self.base_url!r}, app_id={self.app_id!r})"

    @property
    def session(self) -> requests.Session:
        return self._session if self._session is not None else shared_session()

    @property
    def cache(self) -> Any:
        if self._cache is not None:
            return self._cache
        from django.core.cache import cache

        return cache

    # -- public ---------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, str] | None = None,
        budget: float | None = None,
    ) -> Any:
        """One authenticated call; returns the decoded JSON body (None when empty).

        `budget` replaces the configured deadline for this call.

        Raises: ManagementAPIError subclasses: AuthFailed, NotFound, ValidationFailed,
            NameTaken, PayloadTooLarge, Busy for the server's answers; Unavailable for
            timeouts, connection errors, 5xx and an exhausted deadline.
        """
        method = method.upper()
        call = self._new_call(method, path, budget)
        status: int | None = None
        started = self._clock()
        try:
            try:
                token = self._token(call)
            except ManagementAPIError as exc:
                call.error = f"no token ({type(exc).__name__})"
                raise
            response = self._send(call, token=token, json_body=json_body, params=params)
            if response.status_code == 401:
                # Revoked or expired early: renew once, repeat once.
                self._forget_token(token)
                token = self._token(call)
                response = self._send(call, token=token, json_body=json_body, params=params)
            status = response.status_code
            if status >= 400:
                raise self._error_from_response(call, response)
            return self._decode(call, response)
        except ManagementAPIError as exc:
            call.error = call.error or type(exc).__name__
            raise
        finally:
            self._log(call, status, started)

    def token(self, *, budget: float | None = None) -> str:
        """A valid access token, from the cache or freshly generated.

        Raises: AuthFailed when the credentials are refused; Unavailable otherwise.
        """
        return self._token(self._new_call("POST", TOKEN_PATH, budget))

    def forget_token(self) -> None:
        """Drop the cached token (the next call generates a new one)."""
        self._cache_op("delete", self.token_key)

    # -- token ----------------------------------------------------------------------------

    def _new_call(self, method: str, path: str, budget: float | None) -> _Call:
        return _Call(
            method=method,
            path=path,
            request_id=current_request_id.get() or uuid.uuid4().hex,
            deadline_at=self._clock() + (self.deadline if budget is None else budget),
            clock=self._clock,
            idempotent=method in IDEMPOTENT_METHODS,
            changes_data=method not in ("GET", "HEAD", "OPTIONS"),
        )

    def _token(self, parent: _Call) -> str:
        cached = self._cache_op("get", self.token_key)
        if (
            isinstance(cached, dict)
            and isinstance(cached.get("token"), str)
            and self._now() < cached.get("renew_at", 0)
        ):
            return cached["token"]
        return self._generate_token(parent)

    def _generate_token(self, parent: _Call) -> str:
        # Generating a token twice is harmless, so it retries like a GET.
        call = _Call(
            method="POST",
            path=TOKEN_PATH,
            request_id=parent.request_id,
            deadline_at=parent.deadline_at,
            clock=self._clock,
            idempotent=True,
            changes_data=False,
        )
        body = {"type": "application", "appId": self.app_id, "appSecret": self._app_secret}
        status: int | None = None
        started = self._clock()
        try:
            response = self._send(call, token=None, json_body=body, params=None)
            status = response.status_code
            if status >= 400:
                error = self._error_from_response(call, response)
                if 400 <= status < 500 and status != 429:
                    # Whatever the 4xx, the dashboard cannot sign in: an administrator's job.
                    raise AuthFailed(error.message, status=status, request_id=call.request_id)
                raise error
            data = self._decode(call, response)
            token = data.get("accessToken") if isinstance(data, dict) else None
            if not isinstance(token, str) or not token:
                call.error = "no accessToken"
                raise Unavailable(status=status, request_id=call.request_id)
            expires_in = _as_seconds(data.get("expiresIn"), default=3600.0)
        finally:
            self._log(call, status, started)
        life = max(1.0, expires_in - renewal_margin(expires_in))
        self._cache_op(
            "set",
            self.token_key,
            {"token": token, "renew_at": self._now() + life},
            timeout=max(1, int(life)),
        )
        return token

    def _forget_token(self, token: str) -> None:
        cached = self._cache_op("get", self.token_key)
        # Another worker may already have renewed it; keep that one.
        if isinstance(cached, dict) and cached.get("token") == token:
            self._cache_op("delete", self.token_key)

    def _cache_op(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        # A broken cache (full disk, permissions) costs a token per call, not every call.
        try:
            return getattr(self.cache, operation)(*args, **kwargs)
        except Exception as exc:
            logger.warning(
                json.dumps({"event": "management_api_token_cache", "error": type(exc).__name__})
            )
            return None

    # -- sending and retrying -------------------------------------------------------------

    def _send(
        self, call: _Call, *, token: str | None, json_body: Any, params: dict[str, str] | None
    ) -> requests.Response:
        """Tries the call until it answers, may not be retried, or runs out of tries or time.

        Returns the last response (any status); raises Unavailable when none came back.
        """
        url = self.base_url + call.path
        headers = {"Accept": "application/json", "X-Request-ID": call.request_id}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        attempt = 0
        while True:
            remaining = call.remaining()
            if remaining <= 0:
                call.error = call.error or "deadline exceeded"
                raise self._unavailable(call)
            attempt += 1
            call.tries += 1
            try:
                response = self.session.request(
                    call.method,
                    url,
                    json=json_body,
                    params=params,
                    headers=headers,
                    timeout=(
                        min(self.connect_timeout, remaining),
                        min(self.read_timeout, remaining),
                    ),
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                call.error = type(exc).__name__
                never_sent = _never_sent(exc)
                if not never_sent:
                    call.may_have_landed = True
                if not (never_sent or call.idempotent):
                    raise self._unavailable(call) from exc
                delay = self._retry_delay(call, attempt, retry_after=None)
                if delay is None:
                    raise self._unavailable(call) from exc
            else:
                status = response.status_code
                retryable = status == 429 or (
                    call.idempotent and status in RETRY_STATUSES_IDEMPOTENT
                )
                if status in MAY_HAVE_LANDED_STATUSES:
                    call.may_have_landed = True
                if not retryable:
                    return response
                delay = self._retry_delay(
                    call, attempt, retry_after=response.headers.get("Retry-After")
                )
                if delay is None:
                    return response
                response.close()
            self._sleep(delay)

    def _backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**(attempt-1)))."""
        return self._rand() * min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))

    def _retry_delay(self, call: _Call, attempt: int, *, retry_after: str | None) -> float | None:
        """Seconds to wait before the next try, or None when there is no next try."""
        if attempt >= self.max_tries:
            return None
        delay = parse_retry_after(retry_after, now=self._now())
        if delay is None:
            delay = self._backoff(attempt)
        # Waiting past the deadline only to fail then is worse than failing now.
        return delay if delay < call.remaining() else None

    # -- answers --------------------------------------------------------------------------

    def _unavailable(self, call: _Call) -> Unavailable:
        return Unavailable(
            request_id=call.request_id,
            may_have_landed=call.may_have_landed and call.changes_data,
        )

    def _error_from_response(self, call: _Call, response: requests.Response) -> ManagementAPIError:
        status = response.status_code
        cls = error_for_status(status)
        may_have_landed = False
        if call.changes_data and status in MAY_HAVE_LANDED_STATUSES:
            may_have_landed = True
        if cls is NotFound and call.method == "DELETE" and call.may_have_landed:
            # An earlier try of this DELETE may be the one that removed it.
            may_have_landed = True
        if cls is Unavailable or cls is ManagementAPIError:
            call.error = call.error or f"HTTP {status}"
        return cls(
            _upstream_message(response),
            status=status,
            request_id=call.request_id,
            may_have_landed=may_have_landed,
        )

    def _decode(self, call: _Call, response: requests.Response) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            call.error = "response is not JSON"
            raise ManagementAPIError(
                "The Management API answered with something that is not JSON.",
                status=response.status_code,
                request_id=call.request_id,
                may_have_landed=call.changes_data,
            ) from exc

    def _log(self, call: _Call, status: int | None, started: float) -> None:
        line = {
            "event": "management_api",
            "method": call.method,
            "path": call.path,
            "status": status,
            "duration_ms": round((self._clock() - started) * 1000, 1),
            "tries": call.tries,
            "request_id": call.request_id,
        }
        if call.error:
            line["error"] = call.error
        ok = status is not None and status < 400
        logger.log(logging.INFO if ok else logging.WARNING, json.dumps(line))


def _upstream_message(response: requests.Response) -> str:
    """The JSON "message" of an error answer; "" when there is none (HTML from a proxy...)."""
    try:
        data = response.json()
    except ValueError:
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, str):
        return ""
    return message[:MAX_MESSAGE_CHARS]


def _as_seconds(value: Any, *, default: float) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return default
    return seconds if seconds > 0 else default
