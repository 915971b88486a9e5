"""Core views: the overview page, health probes and the error pages."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.permissions import record_unrecorded_denial

from . import selectors

logger = logging.getLogger(__name__)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """Counts from the Management API, which API this is, and the latest audit entries."""
    return render(request, "core/overview.html", selectors.overview(user=request.user))


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive. Touches nothing else, so a slow dependency never fails it."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to serve: the database and the Management API both answer."""
    problems = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any database failure means not ready
        logger.warning("readyz: database unreachable: %s", exc.__class__.__name__)
        problems["database"] = "unreachable"
    api = selectors.api_status()
    if not api["ok"]:
        problems["management_api"] = api["reason"]
    if problems:
        return JsonResponse({"status": "unavailable", "reasons": problems}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (Django's admin)."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)


def _error(request: HttpRequest, template: str, status: int, **extra) -> HttpResponse:
    context = {"request_id": getattr(request, "request_id", ""), **extra}
    return render(request, template, context, status=status)


def bad_request(request, exception=None):
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

    # Said plainly, so a user who pasted too much knows what to change.
    too_big = isinstance(exception, RequestDataTooBig | TooManyFieldsSent)
    return _error(request, "400.html", 400, too_big=too_big)


def permission_denied(request, exception=None):
    record_unrecorded_denial(request, exception)
    return _error(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error(request, "404.html", 404)


def server_error(request):
    return _error(request, "500.html", 500)
