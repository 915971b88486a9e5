"""Local Management API server: the WSGI application (no framework; not routed through Django).

Implements every endpoint of the contract (MANAGEMENT-API.md). When a request breaks several
rules, the first in this order answers:

    401 auth → 413 size → (404 unknown endpoint) → 405 method → 429 tracker write in flight
    → 400 not JSON → 404 unknown id → 400 rules → 409 name taken → 400 account limit

Every error is `{"message": "..."}` naming the rule and, for lists, the item index and name.
Objects carry `createdOn`/`updatedOn` besides the documented fields (the contract allows extra
fields); trackers carry the later fields too (description, categories, languages,
excludeVocabulary, type). POST /oauth2/token:generate needs no token; it checks size, method
and JSON too, and, when the server has a limiter (the standalone one does), answers 429 with
Retry-After to an address that sent too many wrong pairs (throttle.py). Both dialects of the
contract are served: the documented routes and the Go SDK's (routes.py).

Create, update and patch of trackers (single and bulk) take the account's write lock without
waiting: a second one at the same time answers 429 and does nothing, across threads and
processes (and, on PostgreSQL, across instances). Everything else is serialised by the store
(SQLite's BEGIN IMMEDIATE, or an advisory lock on PostgreSQL) and never answers 429.

This module is the WSGI shell and the order above; the routes are in routes.py, the generic
handlers in handlers.py, the body and answer plumbing in plumbing.py.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from local_api.conversation_store import ConversationStore
from local_api.faults import FaultConfig, FaultInjector
from local_api.handlers import Call, Reply, busy
from local_api.jobs import start_worker
from local_api.journal import WriteJournal
from local_api.plumbing import (
    ApiError,
    discard_unread_body,
    parse_json,
    read_body,
    respond,
    wsgi_text,
)
from local_api.routes import find_route
from local_api.store import Store, open_store
from local_api.throttle import FailedTokenLimiter
from local_api.validation import json_type
from local_api.write_lock import Busy

logger = logging.getLogger(__name__)

TOKEN_TTL_SECONDS = 86_400
TOKEN_PATH = "/oauth2/token:generate"
TOKEN_FAILED = "Token validation failed for provided token."

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ManagementAPI:
    """The WSGI callable: one account, its credentials pair and its store."""

    def __init__(
        self,
        *,
        store: Store,
        app_id: str,
        app_secret: str,
        token_ttl: int = TOKEN_TTL_SECONDS,
        write_hold_seconds: float = 0.0,
        token_limiter: FailedTokenLimiter | None = None,
    ) -> None:
        self.store = store
        self.token_limiter = token_limiter
        self.write_hold_seconds = write_hold_seconds
        self._app_id = app_id.encode()
        self._app_secret = app_secret.encode()
        self.token_ttl = token_ttl

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        headers: list[tuple[str, str]] = []
        try:
            status, payload = self._dispatch(environ)
        except ApiError as error:
            status, payload, headers = error.status, {"message": error.message}, error.headers
        except Exception:
            logger.exception("local Management API: unexpected error")
            status, payload = 500, {"message": "Internal server error in the local Management API."}
        discard_unread_body(environ)
        return respond(start_response, status, payload, headers)

    def _dispatch(self, environ: dict[str, Any]) -> Reply:
        """The module docstring's order: auth, size, route, method, lock, JSON, handler."""
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = wsgi_text(environ.get("PATH_INFO", ""))
        if path == TOKEN_PATH:
            body = read_body(environ)
            if method != "POST":
                raise ApiError(
                    405,
                    f"Method {method} is not allowed on {TOKEN_PATH}; use POST.",
                    [("Allow", "POST")],
                )
            return self._token_request(environ, body)

        self._authenticate(environ)
        body = read_body(environ)
        route, params = find_route(method, path)
        query = parse_qs(wsgi_text(environ.get("QUERY_STRING", "")), keep_blank_values=True)
        with contextlib.ExitStack() as stack:
            if route.locked:
                try:
                    stack.enter_context(self.store.write_lock.hold())
                except Busy:
                    raise busy(route.resource) from None
                if self.write_hold_seconds:
                    time.sleep(self.write_hold_seconds)  # fault injection (write_hold_ms)
            data = parse_json(body, unique_keys=route.unique_keys) if route.has_body else None
            call = Call(
                data=data,
                query=query,
                id=params.get("id"),
                if_none_match=environ.get("HTTP_IF_NONE_MATCH", ""),
                idempotency_key=environ.get("HTTP_IDEMPOTENCY_KEY", "").strip()[:255],
            )
            reply = route.handler(self.store, call)
        if method != "GET" and route.resource is not None:
            # The writer encodes the list the readers will ask for next (1 MB at the account's
            # size): a reader right after a write gets it as it gets an unchanged one.
            self.store.listing(route.resource.table, route.resource.plural)
        return reply

    def _authenticate(self, environ: dict[str, Any]) -> None:
        candidates = []
        scheme, _, value = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            candidates.append(value.strip())
        api_key = environ.get("HTTP_X_API_KEY", "").strip()
        if api_key:
            candidates.append(api_key)
        if not any(self.store.token_valid(token) for token in candidates):
            raise ApiError(401, TOKEN_FAILED)

    def _token_request(self, environ: dict[str, Any], body: bytes) -> Reply:
        """The token route under the limiter: a throttled address is refused before its pair
        is looked at; a wrong pair counts against its address."""
        limiter = self.token_limiter
        if limiter is None:
            return self.generate_token(parse_json(body))
        address = environ.get("REMOTE_ADDR", "")
        wait = limiter.retry_after(address)
        if wait:
            raise ApiError(
                429,
                f"Too many wrong appId/appSecret pairs from this address; try again in "
                f"{wait} seconds.",
                [("Retry-After", str(wait))],
            )
        try:
            return self.generate_token(parse_json(body))
        except ApiError as error:
            if error.status == 401:
                limiter.failed(address)
            raise

    def generate_token(self, data: Any) -> Reply:
        """POST /oauth2/token:generate: a fresh token for the right appId/appSecret pair."""
        if not isinstance(data, dict):
            raise ApiError(400, f"The body must be a JSON object, not {json_type(data)}.")
        if data.get("type") != "application":
            raise ApiError(400, '"type" must be "application".')
        for key in ("appId", "appSecret"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise ApiError(400, f'"{key}" is required and must be a non-empty string.')
        id_ok = hmac.compare_digest(data["appId"].encode(), self._app_id)
        secret_ok = hmac.compare_digest(data["appSecret"].encode(), self._app_secret)
        if not (id_ok and secret_ok):
            raise ApiError(401, "The appId and appSecret pair is not valid.")
        token = self.store.issue_token(self.token_ttl)
        return 200, {"accessToken": token, "expiresIn": self.token_ttl}


def create_app(
    *,
    data_path: str,
    app_id: str = LOCAL_APP_ID,
    app_secret: str = LOCAL_APP_SECRET,
    faults: FaultConfig | None = None,
    token_ttl: int = TOKEN_TTL_SECONDS,
    token_limiter: FailedTokenLimiter | None = None,
    worker: bool = True,
) -> WSGIApp:
    """The local Management API as a WSGI app on the store at data_path: a SQLite file, or a
    PostgreSQL URL (postgres://...) for several instances on one database.

    `faults` (off when None or all zero) wraps it in FaultInjector. `token_ttl` is the token
    lifetime in seconds (the contract's 86400; tests shorten it to see expiry).
    `token_limiter` limits wrong pairs per client address (None: no limit, as embedded).
    `worker` starts this process's job worker thread (jobs.py); off only for tests that run
    jobs by hand.
    """
    store = open_store(data_path)
    conversations = ConversationStore.of(store)  # its tables exist before the first request
    if worker:
        conversations.on_enqueue.append(start_worker(conversations).wake)
    api = ManagementAPI(
        store=store,
        app_id=app_id,
        app_secret=app_secret,
        token_ttl=token_ttl,
        write_hold_seconds=faults.write_hold_ms / 1000 if faults is not None else 0.0,
        token_limiter=token_limiter,
    )
    app: WSGIApp = api
    journal = os.environ.get("SYMBL_LOCAL_API_JOURNAL", "")
    if journal:
        app = WriteJournal(app, journal)
    if faults is not None and faults.enabled:
        return FaultInjector(app, faults)
    return app
