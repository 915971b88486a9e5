"""One helper decides whether a view answers with the whole page or one partial."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def wants_partial(request: HttpRequest) -> bool:
    """True for htmx requests that swap a region (boosted navigation wants the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page_or_partial(
    request: HttpRequest,
    template: str,
    partial: str,
    context: dict,
    *,
    status: int = 200,
    versions: tuple | None = None,
) -> HttpResponse:
    """Render `template`, or only its `partial` (a partialdef name) for htmx requests; kept
    under the versions of what it shows when given (caching/pages.py)."""
    from symbl_admin.caching import pages

    name = f"{template}#{partial}" if wants_partial(request) else template
    response = pages.render(request, name, context, versions=versions, status=status)
    response["Vary"] = "HX-Request"
    return response


def redirect_after_write(request: HttpRequest, url: str) -> HttpResponse:
    """Post/redirect/get: htmx follows HX-Redirect (a full page load), plain forms a 302."""
    from django.shortcuts import redirect
    from django_htmx.http import HttpResponseClientRedirect

    if getattr(request, "htmx", None):
        return HttpResponseClientRedirect(url)
    return redirect(url)
