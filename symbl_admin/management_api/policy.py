"""Management API client layer: the retry and token policy as plain functions and numbers
(what may be sent again, how long to wait, when a token is renewed, what an error says).
The Transport applies them; keeping them apart keeps them testable on their own."""

from __future__ import annotations

import email.utils
import hashlib
from typing import Any

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

TOKEN_PATH = "/oauth2/token:generate"
MAX_TRIES = 3
RETRY_STATUSES_IDEMPOTENT = frozenset({502, 503, 504})
# Answers after which a write may have been done upstream: the server crashed midway or a
# gateway gave up waiting for it. 503 means no server took the request.
MAY_HAVE_LANDED_STATUSES = frozenset({500, 502, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
# Upstream messages end up on pages and in the audit log; a runaway one is cut.
MAX_MESSAGE_CHARS = 500


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


def never_sent(exc: requests.RequestException) -> bool:
    """True when the request certainly did not reach the server (safe to send again)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError) and exc.args:
        # With retries off, urllib3 wraps a failed connect (refused, DNS) in MaxRetryError;
        # a connection dropped after sending surfaces as a bare ProtocolError instead.
        inner = exc.args[0]
        return isinstance(inner, MaxRetryError) and isinstance(inner.reason, NewConnectionError)
    return False


def upstream_message(response: requests.Response) -> str:
    """The JSON "message" of an error answer; "" when there is none (HTML from a proxy...)."""
    try:
        data = response.json()
    except (ValueError, RecursionError):
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, str):
        return ""
    return message[:MAX_MESSAGE_CHARS]


def as_seconds(value: Any, *, default: float) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return default
    return seconds if seconds > 0 else default
