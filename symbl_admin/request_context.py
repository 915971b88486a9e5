"""The current request's id, for code that has no request (the Management API transport, the
audit log). The web layer's middleware sets it; everything below only reads it, so nothing
under the web layer imports the middleware."""

from __future__ import annotations

import contextvars
import uuid

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default=""
)


def request_id() -> str:
    """The id of the request being served, or a fresh one outside a request."""
    return current_request_id.get() or uuid.uuid4().hex
