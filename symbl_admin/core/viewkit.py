"""Small pieces every feature's views share (trackers, groups)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from symbl_admin.htmx import wants_partial
from symbl_admin.management_api.errors import ManagementAPIError


def abilities(request: HttpRequest, noun: str) -> dict[str, bool]:
    """What the user may do with `noun` ("trackers" or "groups"), for hiding actions.
    Hiding is never the protection: every view checks again."""
    user = request.user
    return {
        action: user.has_perm(f"accounts.{action}_{noun}")
        for action in ("add", "change", "delete", "import", "revert")
    }


def api_error_page(
    request: HttpRequest, exc: ManagementAPIError, *, title: str, section: str
) -> HttpResponse:
    """The page shown when reading from the Management API failed, with a retry link."""
    return render(
        request,
        "components/api_error_page.html",
        {
            "api_error": exc,
            "retry_url": request.get_full_path(),
            "title": title,
            "section": section,
        },
        status=200 if wants_partial(request) else 503,
    )
