"""Core selectors: what the overview page and the readiness probe read."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from symbl_admin.management_api import get_client
from symbl_admin.management_api.detection_types import TopTrackers
from symbl_admin.management_api.errors import ExtensionNotSupported, ManagementAPIError


def api_target() -> dict:
    """Which Management API this dashboard talks to, in words fit for the page."""
    if settings.SYMBL_API_BASE_URL:
        return {"mode": "remote", "label": settings.SYMBL_API_BASE_URL}
    return {"mode": "embedded", "label": "Embedded local server"}


def api_status() -> dict:
    """Whether the Management API answers: {"ok": bool, "reason": str}. Never raises."""
    ok, reason = get_client().ping()
    return {"ok": ok, "reason": "" if ok else reason}


VIEW_TRACKERS = "accounts.view_trackers"
TOP_DAYS, TOP_SHOWN = 7, 5


@dataclass(frozen=True)
class TopTrackersPanel:
    """The Overview's "Top trackers" card: `top` None with `note` when it cannot be shown."""

    top: TopTrackers | None
    note: str = ""
    supported: bool = True


def top_trackers(*, client) -> TopTrackersPanel:
    """The trackers with most hits in conversations started in the last 7 days (stored
    detections only: the model is never loaded). Never raises: the card says why instead."""
    try:
        return TopTrackersPanel(client.detections.top_trackers(days=TOP_DAYS, limit=TOP_SHOWN))
    except ExtensionNotSupported:
        return TopTrackersPanel(None, supported=False)
    except ManagementAPIError as exc:
        return TopTrackersPanel(None, note=exc.title)


def overview(*, user) -> dict:
    """The overview page's context: counts (None when unreadable), the top trackers of the
    last 7 days (None without the permission), the API, recent changes."""
    from audit.selectors import recent_changes
    from review.selectors import attention

    client = get_client()
    counts: dict = {"trackers": None, "groups": None}
    status = {"ok": True, "reason": ""}
    try:
        if user.has_perm("accounts.view_trackers"):
            counts["trackers"] = len(client.trackers.list())
        if user.has_perm("accounts.view_groups"):
            counts["groups"] = len(client.groups.list())
    except ManagementAPIError as exc:
        # The error's title, as /readyz gives it: its user_message speaks of a form's input.
        reason = f"{exc.title} (HTTP {exc.status})" if exc.status else exc.title
        status = {"ok": False, "reason": reason}
    top = None
    if user.has_perm(VIEW_TRACKERS):  # not asked again of a server that just failed
        top = (
            top_trackers(client=client)
            if status["ok"]
            else TopTrackersPanel(None, status["reason"])
        )
    return {
        "top_trackers": top,
        "api": api_target(),
        "api_status": status,
        "counts": counts,
        "recent_audit": recent_changes(user=user, limit=10),
        "attention": attention(user=user),
    }
