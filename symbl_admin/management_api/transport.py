"""Management API client layer: the wire. Session, timeouts, token cache, retry policy.

Everything that touches HTTP for the dashboard goes through `Transport.request`:
- one keep-alive `requests.Session` per process (sessions.py); answers decoded by orjson;
- a connect and a read timeout per attempt, one deadline per call (token, retries, backoff:
  under gunicorn's 30 s); the token in Django's cache, renewed before it expires or on 401;
- bounded retries with exponential backoff and full jitter: GET and DELETE on connection
  errors and 502/503/504, any method on 429, and a POST or PUT only when it certainly did
  not reach the server (it may never be sent twice);
- one log line per call, without tokens, secrets or bodies; a circuit breaker around each.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import requests

from symbl_admin.request_context import current_request_id

from .bodies import wire_body
from .breaker import CircuitBreaker
from .errors import AuthFailed, ManagementAPIError, Unavailable, error_for_status
from .policy import (
    IDEMPOTENT_METHODS,
    MAX_TRIES,
    MAY_HAVE_LANDED_STATUSES,
    RETRY_STATUSES_IDEMPOTENT,
    TOKEN_PATH,
    as_seconds,
    never_sent,
    parse_retry_after,
    renewal_margin,
    token_cache_key,
    upstream_message,
)
from .sessions import shared_session

logger = logging.getLogger("symbl_admin.management_api")
NOT_MODIFIED = object()  # request()'s answer to a conditional GET the server answered 304


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
        breaker: CircuitBreaker | None = None,
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
        self.breaker = breaker if breaker is not None else CircuitBreaker(threshold=0)

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
        headers: dict[str, str] | None = None,
        answer_headers: dict[str, str] | None = None,
    ) -> Any:
        """One authenticated call; returns the decoded JSON body (None when empty), or
        NOT_MODIFIED for a 304 (`headers` asked If-None-Match; `answer_headers` gets the
        answer's). `budget` replaces the configured deadline for this call.

        Raises: ManagementAPIError subclasses: AuthFailed, NotFound, ValidationFailed,
            NameTaken, PayloadTooLarge, Busy for the server's answers; Unavailable for
            timeouts, connection errors, 5xx and an exhausted deadline; CircuitOpen (an
            Unavailable) at once while the breaker is open.
        """
        method = method.upper()
        with self.breaker.guard():
            call = self._new_call(method, path, budget)
            call.extra_headers = dict(headers or {})
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
                (answer_headers if answer_headers is not None else {}).update(response.headers)
                if status >= 400:
                    raise self._error_from_response(call, response)
                return NOT_MODIFIED if status == 304 else self._decode(call, response)
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
            expires_in = as_seconds(data.get("expiresIn"), default=3600.0)
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
        """Tries until it answers, may not retry, or runs out of tries or time: the last
        response (any status); raises Unavailable when none came back."""
        url = self.base_url + call.path
        body = wire_body(json_body, request_id=call.request_id)  # Raises: PayloadTooLarge
        headers = {"Accept": "application/json", "X-Request-ID": call.request_id}
        headers.update(call.extra_headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
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
                    data=body,
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
                unsent = never_sent(exc)
                if not unsent:
                    call.may_have_landed = True
                if not (unsent or call.idempotent):
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

    def _backoff(self, attempt: int) -> float:  # full jitter: [0, min(cap, base * 2**(n-1)))
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
        landed = call.may_have_landed and call.changes_data
        return Unavailable(request_id=call.request_id, may_have_landed=landed)

    def _error_from_response(self, call: _Call, response: requests.Response) -> ManagementAPIError:
        status = response.status_code
        cls = error_for_status(status)
        may_have_landed = False
        if call.changes_data and status in MAY_HAVE_LANDED_STATUSES:
            may_have_landed = True
        if call.changes_data and call.may_have_landed:
            # An earlier try of this write (a retried DELETE) may have done it: a later try's
            # 404 (it removed it) or 429 (found by the fault soak: audited "failed" though
            # the delete had landed) says nothing about that one.
            may_have_landed = True
        if cls is Unavailable or cls is ManagementAPIError:
            call.error = call.error or f"HTTP {status}"
        return cls(
            upstream_message(response),
            status=status,
            request_id=call.request_id,
            may_have_landed=may_have_landed,
        )

    def _decode(self, call: _Call, response: requests.Response) -> Any:
        if not response.content:
            return None
        try:
            return orjson.loads(response.content)  # a 1 MB list: several times json's speed
        except (ValueError, RecursionError) as exc:  # orjson's error is a ValueError
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
