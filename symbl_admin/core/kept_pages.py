"""Whole pages kept in this worker's memory, for a page viewed again before anything it shows
has changed (a lead going back and forth between a list and its objects). The rest of a page
view stays as it is: the sign-in and permission checks, the one Management API call.

A page is kept under everything it shows: the view names what is its own (`shows`: the
object as the server sent it, a list's ETag, what the viewer may do there) and this module
adds what every page shows (the address, the viewer, their role and navigation, the time
zone), all at the audit log's head (the review badges and count, the history). A change to
any of them is a new key, so a kept page is never stale. Only plain page views are kept (GET
or HEAD, no message waiting to be shown), and never a CSRF token: the page is
kept with a marker where the token goes, and every answer gets the request's own token.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from symbl_admin.audit.standings import at_head
from symbl_admin.context_processors import dashboard
from symbl_admin.kept import Kept

PAGES_KEPT = 128  # per worker: about 5 MB of pages at most
_pages = Kept(PAGES_KEPT)
_MARKER = "keptcsrf" + secrets.token_hex(16)  # per process: stands where the token goes


def _viewer(request: HttpRequest) -> tuple:
    user = request.user
    shown = dashboard(request)  # role, navigation, section: what the layout shows
    nav = tuple(sorted(shown.get("nav", {}).items()))
    return (user.pk, user.get_username(), shown.get("user_role"), nav, shown.get("api_mode"))


def plain(request: HttpRequest) -> bool:
    """A page view that may be kept or answered from what is kept (an htmx one too: its
    template names the partial it renders)."""
    return request.method in ("GET", "HEAD") and len(messages.get_messages(request)) == 0


def render_kept(
    request: HttpRequest,
    template: str,
    context: dict | Callable[[], dict],
    *,
    shows: tuple | None,
    status: int = 200,
) -> HttpResponse:
    """render(request, template, context), kept under `shows` (None: not kept). `context`
    may be a function, called only when the page is rendered."""
    if shows is None or not plain(request):
        return render(request, template, context() if callable(context) else context, status=status)
    key = (
        "page",
        template,
        request.get_full_path(),
        # A partial ("page.html#table") shows none of the layout: only who asks for it.
        (request.user.pk,) if "#" in template else _viewer(request),
        timezone.get_current_timezone_name(),
        *shows,
    )

    def page() -> str:
        shown = {**(context() if callable(context) else context), "csrf_token": _MARKER}
        return render_to_string(template, shown, request)

    html = at_head(key, page, into=_pages)
    if _MARKER in html:  # a partial without a form shows no token, so none is made
        html = html.replace(_MARKER, get_token(request))
    return HttpResponse(html, status=status)
