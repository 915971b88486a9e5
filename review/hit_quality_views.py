"""Review views: the quality report's findings from the trackers' real hits, a section loaded
apart from the kept report (htmx on load; a page of its own without JavaScript), rendered
fresh every time (never kept: detections change without any tracker changing)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from accounts.permissions import check_perm
from symbl_admin.htmx import render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .hit_quality import DEFAULT_LAST, WindowForm, hit_quality

TEMPLATE = "review/quality_trackers.html"


@require_safe
def quality_trackers(request: HttpRequest) -> HttpResponse:
    """Trackers quiet in the last N conversations, overlapping pairs, silent phrases."""
    check_perm(request, "accounts.view_quality")
    form = WindowForm(request.GET or {"last": DEFAULT_LAST})
    context: dict = {"form": form, "retry_url": request.get_full_path()}
    if form.is_valid():
        try:
            found = hit_quality(client=get_client(), last=form.window())
        except ManagementAPIError as exc:
            context["api_error"] = exc
        else:
            context["note"] = found.note
            context["quality"] = found.quality
    return render_page_or_partial(request, TEMPLATE, "quality-trackers", context)
