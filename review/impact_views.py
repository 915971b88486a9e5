"""Review views: a group or tracker change's effect on conversations, a fragment of a queue
item loaded when the lead opens it (a plain page without JavaScript). Never kept: the queue
page stays fast and this part is never stale."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from accounts.permissions import check_perm
from symbl_admin.htmx import render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .impact import change_criteria, group_change_impact
from .tracker_impact import change_phrases, tracker_change_impact

TEMPLATE = "review/impact.html"
TRACKER_TEMPLATE = "review/tracker_impact.html"
READ_MESSAGES = "accounts.read_messages"


@require_safe
def group_impact(request: HttpRequest, first: int, last: int) -> HttpResponse:
    """The conversations a group change (audit entries first..last) adds and removes."""
    check_perm(request, "accounts.view_reviews")
    if max(first, last) >= 2**63:  # no such entry, and past what the database's integers hold
        raise Http404("No group change with these entries.")
    found = change_criteria(first, last)
    if found is None:
        raise Http404("No group change with these entries.")
    before, after = found
    context = {"first": first, "last": last, "before_criteria": before, "after_criteria": after}
    try:
        context["impact"] = group_change_impact(client=get_client(), before=before, after=after)
    except ManagementAPIError as exc:
        context["api_error"] = exc
    return render_page_or_partial(request, TEMPLATE, "review-impact", context)


@require_safe
def tracker_impact(request: HttpRequest, first: int, last: int) -> HttpResponse:
    """The sentences a tracker change (audit entries first..last) newly catches and no longer
    catches; their text only for viewers who may read messages."""
    check_perm(request, "accounts.view_reviews")
    if max(first, last) >= 2**63:  # no such entry, and past what the database's integers hold
        raise Http404("No tracker change with these entries.")
    found = change_phrases(first, last)
    if found is None:
        raise Http404("No tracker change with these entries.")
    before, after = found
    may_read = request.user.has_perm(READ_MESSAGES)
    context = {"first": first, "last": last, "may_read": may_read}
    try:
        context["impact"] = tracker_change_impact(
            client=get_client(), before=before, after=after, may_read=may_read
        )
    except ManagementAPIError as exc:
        context["api_error"] = exc
    return render_page_or_partial(request, TRACKER_TEMPLATE, "review-impact", context)
