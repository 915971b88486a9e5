"""Trackers views: a tracker's "What it caught" panel (its hits across stored conversations).

Loaded into the tracker's page by htmx (the page itself is kept, symbl_admin/caching; this
panel is always rendered fresh and kept nowhere: detections change when any conversation is
processed), and a page of its own without JavaScript. While the server is re-scoring the
tracker the panel polls itself until the figures settle. Sentence text only for viewers who
may read transcripts; others see the counts.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.permissions import check_perm
from symbl_admin.htmx import wants_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError, NotFound

from .hits import tracker_hits_panel

VIEW = "accounts.view_trackers"
READ_MESSAGES = "accounts.read_messages"
VIEW_CONVERSATIONS = "accounts.view_conversations"


@require_safe
def tracker_hits(request: HttpRequest, object_id: str) -> HttpResponse:
    """The panel (htmx) or a page holding it, for the tracker `object_id`."""
    tracker_id = object_id
    check_perm(request, VIEW)
    context = {
        "tracker_id": tracker_id,
        "may_read": request.user.has_perm(READ_MESSAGES),
        "may_open": request.user.has_perm(VIEW_CONVERSATIONS),
        "urls": {
            "self": reverse("trackers:hits", args=[tracker_id]),
            "tracker": reverse("trackers:detail", args=[tracker_id]),
            "list": reverse("trackers:list"),
        },
    }
    try:
        context["panel"] = tracker_hits_panel(client=get_client(), tracker_id=tracker_id)
    except NotFound:
        raise Http404("No tracker with this id.") from None
    except ManagementAPIError as exc:
        context.update(api_error=exc, retry_url=request.get_full_path())
    name = "trackers/hits.html"
    response = render(request, f"{name}#tracker-hits" if wants_partial(request) else name, context)
    response["Vary"] = "HX-Request"
    return response
