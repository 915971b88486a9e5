"""Review views: the quality report's findings over conversations (what groups select), a
section loaded apart from the kept report (htmx on load; a page of its own without
JavaScript). Never kept: conversations change without any group changing, and the check
takes seconds on a large account while the report itself stays fast."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from accounts.permissions import check_perm
from symbl_admin.htmx import render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .quality import SELECTION_KINDS
from .selections import selection_findings

TEMPLATE = "review/quality_selections.html"


@require_safe
def quality_selections(request: HttpRequest) -> HttpResponse:
    """Groups that select no conversation, and groups that select the same ones."""
    check_perm(request, "accounts.view_quality")
    context: dict = {"retry_url": request.get_full_path()}
    try:
        client = get_client()
        found = selection_findings(client=client, groups=client.groups.list())
    except ManagementAPIError as exc:
        context["api_error"] = exc
    else:
        context["note"] = found.note
        context["findings"] = found.findings
        context["summary"] = [
            {"label": label, "count": sum(1 for f in found.findings if f.kind == kind)}
            for kind, label in SELECTION_KINDS.items()
        ]
    return render_page_or_partial(request, TEMPLATE, "quality-selections", context)
