"""Local Management API server: HTTP plumbing under the handlers (WSGI, no framework).

Reading a request body within the contract's size limit, decoding it as JSON, dropping
what is left unread, and writing the one JSON answer shape. Nothing here knows a resource.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from symbl_admin.contract import MAX_BODY_BYTES

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


def wsgi_text(value: str) -> str:
    """WSGI hands over raw bytes as latin-1 text; the bytes themselves are UTF-8."""
    return value.encode("latin-1").decode("utf-8", "replace")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ApiError(
                400, f'The request body repeats the key "{key}"; each key may appear once.'
            )
        found[key] = value
    return found


def parse_json(body: bytes, *, unique_keys: bool = False) -> Any:
    """Decode a UTF-8 JSON body; `unique_keys`: an object that repeats a key is refused.

    Raises:
        ApiError: 400 when it is empty, not UTF-8 or not JSON (or repeats a key).
    """
    if not body.strip():
        raise ApiError(400, "The request body is empty; send a JSON body.")
    hook = _unique_keys if unique_keys else None
    try:
        return json.loads(
            body.decode("utf-8-sig"), parse_constant=_reject_constant, object_pairs_hook=hook
        )
    except UnicodeDecodeError:
        raise ApiError(400, "The request body is not valid UTF-8 text.") from None
    except RecursionError:
        raise ApiError(400, "The request body is not valid JSON: nested too deeply.") from None
    except ValueError as error:
        raise ApiError(400, f"The request body is not valid JSON: {error}.") from None


def read_body(environ: dict[str, Any]) -> bytes:
    """The request body, never more than the limit read.

    Raises:
        ApiError: 400 for a Content-Length that is not a size; 413 over MAX_BODY_BYTES
            (decided from the header alone when there is one).
    """
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
        return _read_up_to(stream, length)
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower() or environ.get(
        "wsgi.input_terminated"
    ):
        # No length announced: read one byte past the limit, never more.
        body = _read_up_to(stream, MAX_BODY_BYTES + 1)
        environ[_BODY_READ_KEY] = len(body)
        if len(body) > MAX_BODY_BYTES:
            raise ApiError(
                413,
                f"The request body is over the limit of {MAX_BODY_BYTES:,} bytes (1 MB).",
            )
        return body
    return b""


def discard_unread_body(environ: dict[str, Any]) -> None:
    """Consume what is left of the body (bounded) before answering.

    A client sends its whole body before it reads the answer. When we answer early
    (401, 413, ...) and leave the body unread, gunicorn drains at most 64 KiB and then
    closes the connection although the answer said keep-alive, so the client's next
    request on it fails. Reading and dropping the rest keeps the connection honest — up to
    MAX_DISCARD_BYTES: a larger announced body is not waited for at all.
    """
    stream = environ.get("wsgi.input")
    already = environ.get(_BODY_READ_KEY, 0)
    length_header = environ.get("CONTENT_LENGTH", "").strip()
    if length_header.isdigit():
        remaining = int(length_header) - already
        if remaining > MAX_DISCARD_BYTES:
            # Announced far over any limit (2 GB): answer now, without waiting for a body we
            # would only drop; gunicorn then closes the connection instead of draining it.
            return
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


@dataclass(frozen=True)
class Encoded:
    """A payload already encoded as JSON (a kept listing): respond() sends its bytes as-is,
    with its ETag; `not_modified` (the client's If-None-Match was that ETag) sends a 304."""

    body: bytes
    etag: str = ""
    not_modified: bool = False


def _json_bytes(payload: Any) -> bytes:
    """UTF-8 JSON; text holding a lone surrogate (a JSON key or value sent as "\\ud800" and
    named back in a 400) cannot be UTF-8, so it goes out escaped as it came in."""
    try:
        return json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(payload).encode()


def respond(
    start_response: Callable[..., Any],
    status: int,
    payload: Any,
    headers: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    """Write a JSON answer: the payload, our fixed headers, then any extra ones."""
    caching = [("Cache-Control", "no-store")]
    if isinstance(payload, Encoded):
        body = b"" if payload.not_modified else payload.body
        status = 304 if payload.not_modified else status
        if payload.etag:  # a client may keep it, and must ask each time (If-None-Match)
            caching = [("Cache-Control", "no-cache"), ("ETag", payload.etag)]
    else:
        body = _json_bytes(payload)
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *caching,
            *(headers or []),
        ],
    )
    return [body]
