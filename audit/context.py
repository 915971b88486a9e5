"""Audit request context: who did it and from where, built once per request.

The request id comes from `symbl_admin.request_context` (written by the web layer's
middleware), so nothing in audit imports the middleware.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from symbl_admin.client_address import client_address
from symbl_admin.request_context import request_id as current_request_id

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


@dataclass(frozen=True)
class AuditContext:
    """Who did it and from where; built once per request and passed to every audit call."""

    actor: User | None
    username: str
    request_id: str
    ip: str
    user_agent: str
    reason: str = ""

    @classmethod
    def from_request(cls, request, *, reason: str = "") -> AuditContext:
        """The context of a Django request (signed-in user, request id, client address)."""
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        return cls(
            actor=user if signed_in else None,
            username=user.get_username() if signed_in else "",
            request_id=request_id_of(request),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            reason=(reason or "").strip(),
        )

    @classmethod
    def system(cls, name: str, *, reason: str = "") -> AuditContext:
        """A context for work without a request (management commands, scheduled jobs)."""
        return cls(
            actor=None,
            username=name,
            request_id=request_id_of(None),
            ip="",
            user_agent="",
            reason=reason,
        )


def request_id_of(request) -> str:
    """The request's id (set on it by the middleware), else the current one, else a new one."""
    rid = getattr(request, "request_id", "") if request is not None else ""
    return rid or current_request_id()


def client_ip(request) -> str:
    """The client's address (symbl_admin/client_address.py: REMOTE_ADDR, or the hop our
    proxies appended to X-Forwarded-For when behind them)."""
    return client_address(request)
