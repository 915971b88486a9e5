"""Whole pages kept in this worker's memory, for a page viewed again before anything it shows
has changed (a lead going back and forth between a list and its objects). The rest of a page
view stays as it is: the sign-in and permission checks, the one Management API call.

The view names the versions of what it shows (a list's ETag, the review standings' version);
keys.page adds the address and the viewer. Only plain page views are kept (GET or HEAD, no
message waiting to be shown), and never a CSRF token: the page is kept with a marker where the
token goes, and every answer gets the request's own token.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render as django_render
from django.template.loader import render_to_string

from . import keys
from .store import Layer

_pages = Layer(
    "pages",
    size=64,  # per worker: about 3 MB of pages at most
    saves="a whole list, detail, review or quality page viewed again with nothing it shows changed",
    miss="rendering the page: the rows, badges, filters and layout (list page: a few ms)",
)
_MARKER = "keptcsrf" + secrets.token_hex(16)  # per process: stands where the token goes


def plain(request: HttpRequest) -> bool:
    """A page view that may be kept or answered from what is kept."""
    return request.method in ("GET", "HEAD") and len(messages.get_messages(request)) == 0


def render(
    request: HttpRequest,
    template: str,
    context: dict | Callable[[], dict],
    *,
    versions: tuple | None,
    status: int = 200,
    keep: Callable[[dict], bool] | None = None,
) -> HttpResponse:
    """django.shortcuts.render(request, template, context), kept under the versions of what
    it shows (None: not kept). `context` may be a function, called only when rendering; a
    page whose context `keep` refuses (one whose words may still change) is not kept."""
    if versions is None or not plain(request) or not _pages.on:
        made = context() if callable(context) else context
        return django_render(request, template, made, status=status)

    def page() -> tuple[str, bool]:
        made = {**(context() if callable(context) else context), "csrf_token": _MARKER}
        return render_to_string(template, made, request), keep is None or keep(made)

    html, _ = _pages.get(keys.page(request, template, versions), page, keep=lambda v: v[1])
    if _MARKER in html:  # a partial without a form shows no token, so none is made
        html = html.replace(_MARKER, get_token(request))
    return HttpResponse(html, status=status)
