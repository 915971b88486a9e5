"""Local Management API server: the WSGI application (no framework; not routed through Django).

Implements every endpoint of the contract (MANAGEMENT-API.md). When a request breaks several
rules, the first in this order answers:

    401 auth → 413 size → (404 unknown endpoint) → 405 method → 429 tracker write in flight
    → 400 not JSON → 404 unknown id → 400 rules → 409 name taken → 400 account limit

Every error is `{"message": "..."}` naming the rule and, for lists, the item index and name.
Objects carry `createdOn`/`updatedOn` besides the documented fields (the contract allows extra
fields). POST /oauth2/token:generate needs no token; it checks size, method and JSON too.

Create and update of trackers (single and bulk) take the account's write lock without
waiting: a second one at the same time answers 429 and does nothing, across threads and
processes. Everything else is serialised by SQLite (BEGIN IMMEDIATE) and never answers 429.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from symbl_admin.local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from symbl_admin.local_api.faults import FaultConfig, FaultInjector
from symbl_admin.local_api.store import Busy, Store
from symbl_admin.local_api.validation import (
    RuleBroken,
    check_body_id,
    group_fields,
    json_type,
    tracker_fields,
)

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_048_576
MAX_TRACKERS = 500
TOKEN_TTL_SECONDS = 86_400
TOKEN_PATH = "/oauth2/token:generate"
TOKEN_FAILED = "Token validation failed for provided token."
# Unread request body we are willing to read and drop after answering early (see below).
MAX_DISCARD_BYTES = 16 * 1_048_576
_BODY_READ_KEY = "symbl.body_bytes_read"


class ApiError(Exception):
    """An answer other than success: a status and a message for {"message": ...}."""

    def __init__(self, status: int, message: str, headers: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []


@dataclass(frozen=True)
class Endpoint:
    """A handler for one method of a route; `locked` takes the tracker write lock first."""

    handler: str
    locked: bool = False
    has_body: bool = False


_ID = r"(?P<id>[^/]+)"
ROUTES: list[tuple[re.Pattern[str], dict[str, Endpoint]]] = [
    (
        re.compile(r"/v1/manage/tracker"),
        {"POST": Endpoint("create_tracker", locked=True, has_body=True)},
    ),
    (
        re.compile(r"/v1/manage/trackers"),
        {
            "GET": Endpoint("list_trackers"),
            "POST": Endpoint("bulk_create_trackers", locked=True, has_body=True),
        },
    ),
    (
        re.compile(rf"/v1/manage/tracker/{_ID}"),
        {
            "GET": Endpoint("get_tracker"),
            "PUT": Endpoint("update_tracker", locked=True, has_body=True),
            "DELETE": Endpoint("delete_tracker"),
        },
    ),
    (re.compile(r"/v1/manage/group"), {"POST": Endpoint("create_group", has_body=True)}),
    (
        re.compile(r"/v1/manage/groups"),
        {
            "GET": Endpoint("list_groups"),
            "POST": Endpoint("bulk_create_groups", has_body=True),
        },
    ),
    (
        re.compile(rf"/v1/manage/group/{_ID}"),
        {
            "GET": Endpoint("get_group"),
            "PUT": Endpoint("update_group", has_body=True),
            "DELETE": Endpoint("delete_group"),
        },
    ),
]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(body: bytes) -> Any:
    """Decode a UTF-8 JSON body.

    Raises:
        ApiError: 400 when it is empty, not UTF-8 or not JSON.
    """
    if not body.strip():
        raise ApiError(400, "The request body is empty; send a JSON body.")
    try:
        return json.loads(body.decode("utf-8-sig"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise ApiError(400, "The request body is not valid UTF-8 text.") from None
    except RecursionError:
        raise ApiError(400, "The request body is not valid JSON: nested too deeply.") from None
    except ValueError as error:
        raise ApiError(400, f"The request body is not valid JSON: {error}.") from None


def _item_label(index: int, item: Any) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    if isinstance(name, str):
        return f'Item at index {index} ("{name}")'
    return f"Item at index {index} (no valid name)"


def _wsgi_text(value: str) -> str:
    # WSGI hands over raw bytes as latin-1 text; the bytes themselves are UTF-8.
    return value.encode("latin-1").decode("utf-8", "replace")


class ManagementAPI:
    """The WSGI callable: one account, its credentials pair and its store."""

    def __init__(
        self,
        *,
        store: Store,
        app_id: str,
        app_secret: str,
        token_ttl: int = TOKEN_TTL_SECONDS,
    ) -> None:
        self.store = store
        self._app_id = app_id.encode()
        self._app_secret = app_secret.encode()
        self.token_ttl = token_ttl

    # -- WSGI ----------------------------------------------------------------------------

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
        self._discard_unread_body(environ)
        body = json.dumps(payload, ensure_ascii=False).encode()
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
                *headers,
            ],
        )
        return [body]

    def _dispatch(self, environ: dict[str, Any]) -> tuple[int, Any]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = _wsgi_text(environ.get("PATH_INFO", ""))
        if path == TOKEN_PATH:
            body = self._read_body(environ)
            if method != "POST":
                raise ApiError(
                    405,
                    f"Method {method} is not allowed on {TOKEN_PATH}; use POST.",
                    [("Allow", "POST")],
                )
            return self.generate_token(parse_json(body))

        self._authenticate(environ)
        body = self._read_body(environ)
        endpoint, params = self._route(method, path)
        query = parse_qs(_wsgi_text(environ.get("QUERY_STRING", "")), keep_blank_values=True)
        with contextlib.ExitStack() as stack:
            if endpoint.locked:
                try:
                    stack.enter_context(self.store.write_lock.hold())
                except Busy:
                    raise ApiError(
                        429,
                        "Another tracker create or update is in progress for this account; "
                        "only one runs at a time. Nothing was done; try again.",
                    ) from None
            data = parse_json(body) if endpoint.has_body else None
            return getattr(self, endpoint.handler)(data=data, query=query, **params)

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

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        stream = environ.get("wsgi.input")
        length_header = environ.get("CONTENT_LENGTH", "").strip()
        if length_header:
            try:
                length = int(length_header)
                if length < 0:
                    raise ValueError
            except ValueError:
                raise ApiError(400, f"Content-Length {length_header!r} is not a size.") from None
            # Decided from the header alone: an oversized body is never read or parsed.
            if length > MAX_BODY_BYTES:
                raise ApiError(
                    413,
                    f"The request body is {length:,} bytes; the limit is "
                    f"{MAX_BODY_BYTES:,} bytes (1 MB).",
                )
            environ[_BODY_READ_KEY] = length
            return self._read_up_to(stream, length)
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower() or environ.get(
            "wsgi.input_terminated"
        ):
            # No length announced: read one byte past the limit, never more.
            body = self._read_up_to(stream, MAX_BODY_BYTES + 1)
            environ[_BODY_READ_KEY] = len(body)
            if len(body) > MAX_BODY_BYTES:
                raise ApiError(
                    413,
                    f"The request body is over the limit of {MAX_BODY_BYTES:,} bytes (1 MB).",
                )
            return body
        return b""

    @classmethod
    def _discard_unread_body(cls, environ: dict[str, Any]) -> None:
        """Consume what is left of the body (bounded) before answering.

        A client sends its whole body before it reads the answer. When we answer early
        (401, 413, ...) and leave the body unread, gunicorn drains at most 64 KiB and then
        closes the connection although the answer said keep-alive, so the client's next
        request on it fails. Reading and dropping the rest keeps the connection honest.
        """
        stream = environ.get("wsgi.input")
        already = environ.get(_BODY_READ_KEY, 0)
        length_header = environ.get("CONTENT_LENGTH", "").strip()
        if length_header.isdigit():
            remaining = int(length_header) - already
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            remaining = MAX_DISCARD_BYTES
        else:
            return
        remaining = min(remaining, MAX_DISCARD_BYTES)
        with contextlib.suppress(OSError, ValueError):
            while remaining > 0 and stream is not None:
                chunk = stream.read(min(65_536, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)

    @staticmethod
    def _read_up_to(stream: Any, limit: int) -> bytes:
        if stream is None or limit <= 0:
            return b""
        chunks: list[bytes] = []
        remaining = limit
        while remaining > 0:
            chunk = stream.read(remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    @staticmethod
    def _route(method: str, path: str) -> tuple[Endpoint, dict[str, str]]:
        for pattern, methods in ROUTES:
            match = pattern.fullmatch(path)
            if not match:
                continue
            endpoint = methods.get(method)
            if endpoint is None:
                allowed = ", ".join(methods)
                raise ApiError(
                    405,
                    f"Method {method} is not allowed on {path}; allowed: {allowed}.",
                    [("Allow", allowed)],
                )
            return endpoint, match.groupdict()
        raise ApiError(
            404,
            f"There is no endpoint at {path}. Trackers live under /v1/manage/tracker(s), "
            "groups under /v1/manage/group(s).",
        )

    # -- auth ----------------------------------------------------------------------------

    def generate_token(self, data: Any) -> tuple[int, Any]:
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

    # -- trackers ------------------------------------------------------------------------

    @staticmethod
    def _name_filter(query: dict[str, list[str]]) -> str | None:
        return query["name"][0] if "name" in query else None

    def list_trackers(self, *, data: Any, query: dict[str, list[str]]) -> tuple[int, Any]:
        return 200, {"trackers": self.store.trackers(name=self._name_filter(query))}

    def get_tracker(self, *, data: Any, query: dict[str, list[str]], id: str) -> tuple[int, Any]:
        tracker = self.store.tracker(id)
        if tracker is None:
            raise ApiError(404, f'No tracker with id "{id}".')
        return 200, {"tracker": tracker}

    def _tracker_limit(self, existing: int, adding: int) -> None:
        if existing + adding <= MAX_TRACKERS:
            return
        if adding == 1:
            raise ApiError(
                400,
                f"This account already has {existing} trackers, the most allowed "
                f"({MAX_TRACKERS} per account). Delete one before creating another.",
            )
        raise ApiError(
            400,
            f"Creating these {adding} trackers would exceed the limit of {MAX_TRACKERS} "
            f"trackers per account ({existing} exist, room for {max(MAX_TRACKERS - existing, 0)}). "
            "Nothing was created.",
        )

    def create_tracker(self, *, data: Any, query: dict[str, list[str]]) -> tuple[int, Any]:
        try:
            name, vocabulary = tracker_fields(data)
        except RuleBroken as error:
            raise ApiError(400, error.message) from None
        with self.store.transaction() as db:
            taken = self.store.tracker_id_named(db, name)
            if taken:
                raise ApiError(
                    409,
                    f'A tracker named "{name}" already exists (id {taken}). '
                    "Names are case-sensitive.",
                )
            self._tracker_limit(self.store.tracker_count(db), 1)
            tracker = self.store.insert_tracker(db, name=name, vocabulary=vocabulary)
        return 201, {"tracker": tracker}

    def bulk_create_trackers(self, *, data: Any, query: dict[str, list[str]]) -> tuple[int, Any]:
        items = _bulk_items(data, "trackers", tracker_fields)
        with self.store.transaction() as db:
            self._check_batch_names(
                [name for name, _ in items],
                lambda name: self.store.tracker_id_named(db, name),
                "tracker",
            )
            self._tracker_limit(self.store.tracker_count(db), len(items))
            created = [
                self.store.insert_tracker(db, name=name, vocabulary=vocabulary)
                for name, vocabulary in items
            ]
        return 201, {"trackers": created}

    @staticmethod
    def _check_batch_names(
        names: list[str], existing_id: Callable[[str], str | None], kind: str
    ) -> None:
        first_index: dict[str, int] = {}
        for index, name in enumerate(names):
            if name in first_index:
                raise ApiError(
                    409,
                    f'Item at index {index} ("{name}"): the item at index {first_index[name]} '
                    "has the same name; names must be unique. Nothing was created.",
                )
            taken = existing_id(name)
            if taken:
                raise ApiError(
                    409,
                    f'Item at index {index} ("{name}"): a {kind} with this name already exists '
                    f"(id {taken}). Nothing was created.",
                )
            first_index[name] = index

    def update_tracker(self, *, data: Any, query: dict[str, list[str]], id: str) -> tuple[int, Any]:
        with self.store.transaction() as db:
            if self.store.tracker_in(db, id) is None:
                raise ApiError(404, f'No tracker with id "{id}".')
            try:
                check_body_id(data, id)
                name, vocabulary = tracker_fields(data)
            except RuleBroken as error:
                raise ApiError(400, error.message) from None
            taken = self.store.tracker_id_named(db, name)
            if taken and taken != id:
                raise ApiError(
                    409,
                    f'Another tracker is already named "{name}" (id {taken}). '
                    "Names are case-sensitive.",
                )
            tracker = self.store.replace_tracker(db, id, name=name, vocabulary=vocabulary)
        return 200, {"tracker": tracker}

    def delete_tracker(self, *, data: Any, query: dict[str, list[str]], id: str) -> tuple[int, Any]:
        with self.store.transaction() as db:
            if not self.store.delete_tracker(db, id):
                raise ApiError(404, f'No tracker with id "{id}".')
        return 200, {"id": id, "type": "tracker", "deleted": True}

    # -- groups --------------------------------------------------------------------------

    def list_groups(self, *, data: Any, query: dict[str, list[str]]) -> tuple[int, Any]:
        return 200, {"groups": self.store.groups(name=self._name_filter(query))}

    def get_group(self, *, data: Any, query: dict[str, list[str]], id: str) -> tuple[int, Any]:
        group = self.store.group(id)
        if group is None:
            raise ApiError(404, f'No group with id "{id}".')
        return 200, {"group": group}

    def create_group(self, *, data: Any, query: dict[str, list[str]]) -> tuple[int, Any]:
        try:
            name, description, criteria = group_fields(data)
        except RuleBroken as error:
            raise ApiError(400, error.message) from None
        with self.store.transaction() as db:
            taken = self.store.group_id_named(db, name)
            if taken:
                raise ApiError(
                    409,
                    f'A group named "{name}" already exists (id {taken}). '
                    "Names are case-sensitive.",
                )
            group = self.store.insert_group(
                db, name=name, description=description, criteria=criteria
            )
        return 201, {"group": group}

    def bulk_create_groups(self, *, data: Any, query: dict[str, list[str]]) -> tuple[int, Any]:
        items = _bulk_items(data, "groups", group_fields)
        with self.store.transaction() as db:
            self._check_batch_names(
                [name for name, _, _ in items],
                lambda name: self.store.group_id_named(db, name),
                "group",
            )
            created = [
                self.store.insert_group(db, name=name, description=description, criteria=criteria)
                for name, description, criteria in items
            ]
        return 201, {"groups": created}

    def update_group(self, *, data: Any, query: dict[str, list[str]], id: str) -> tuple[int, Any]:
        with self.store.transaction() as db:
            if self.store.group_in(db, id) is None:
                raise ApiError(404, f'No group with id "{id}".')
            try:
                check_body_id(data, id)
                name, description, criteria = group_fields(data)
            except RuleBroken as error:
                raise ApiError(400, error.message) from None
            taken = self.store.group_id_named(db, name)
            if taken and taken != id:
                raise ApiError(
                    409,
                    f'Another group is already named "{name}" (id {taken}). '
                    "Names are case-sensitive.",
                )
            group = self.store.replace_group(
                db, id, name=name, description=description, criteria=criteria
            )
        return 200, {"group": group}

    def delete_group(self, *, data: Any, query: dict[str, list[str]], id: str) -> tuple[int, Any]:
        with self.store.transaction() as db:
            if not self.store.delete_group(db, id):
                raise ApiError(404, f'No group with id "{id}".')
        return 200, {"id": id, "type": "group", "deleted": True}


def create_app(
    *,
    data_path: str,
    app_id: str = LOCAL_APP_ID,
    app_secret: str = LOCAL_APP_SECRET,
    faults: FaultConfig | None = None,
    token_ttl: int = TOKEN_TTL_SECONDS,
) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """The local Management API as a WSGI app on the SQLite file at data_path.

    `faults` (off when None or all zero) wraps it in FaultInjector. `token_ttl` is the token
    lifetime in seconds (the contract's 86400; tests shorten it to see expiry).
    """
    api = ManagementAPI(
        store=Store(data_path), app_id=app_id, app_secret=app_secret, token_ttl=token_ttl
    )
    if faults is not None and faults.enabled:
        return FaultInjector(api, faults)
    return api


def _bulk_items(data: Any, kind: str, fields) -> list:
    """Every item of a bulk body through `fields`, or a 400 naming the first broken item
    (all or nothing: nothing is created)."""
    if not isinstance(data, list):
        raise ApiError(400, f"The body must be a JSON list of {kind}, not {json_type(data)}.")
    if not data:
        raise ApiError(400, f"The list of {kind} is empty; send at least one.")
    items = []
    for index, item in enumerate(data):
        try:
            items.append(fields(item))
        except RuleBroken as error:
            raise ApiError(
                400, f"{_item_label(index, item)}: {error.message} Nothing was created."
            ) from None
    return items
