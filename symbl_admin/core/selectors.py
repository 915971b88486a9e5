"""Core selectors: what the overview page and the readiness probe read."""

from __future__ import annotations

from django.conf import settings


def api_target() -> dict:
    """Which Management API this dashboard talks to, in words fit for the page."""
    if settings.SYMBL_API_BASE_URL:
        return {"mode": "remote", "label": settings.SYMBL_API_BASE_URL}
    return {"mode": "embedded", "label": "Embedded local server"}


def api_status() -> dict:
    """Whether the Management API answers: {"ok": bool, "reason": str}."""
    return {"ok": True, "reason": ""}


def overview(*, user) -> dict:
    """The overview page's context."""
    return {"api": api_target(), "api_status": api_status()}
