"""Review views: the queue (read by leads, admins and auditors; decided by leads and admins)
and the quality report with its CSV export. Each checks its permission first."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accounts.permissions import check_perm
from audit.services import AuditContext
from symbl_admin.caching import pages
from symbl_admin.exports import table_response
from symbl_admin.htmx import render_page_or_partial, wants_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError
from symbl_admin.paging import cut_page

from . import quality, selectors, services
from .forms import APPROVE, DecisionForm
from .policy import APPROVE as APPROVE_PERM
from .policy import self_approval

QUEUE = "review/queue.html"
QUALITY = "review/quality.html"
FINDINGS_PER_PAGE = 50


def editable_types(user) -> tuple[str, ...]:
    """The object types whose editor the viewer may open: a finding links to the editor only
    for them (an auditor's link led to a 403). Kept pages are keyed by the viewer's
    permissions (caching/keys.py viewer()), so one viewer's links never reach another."""
    return tuple(t for t in ("tracker", "group") if user.has_perm(f"accounts.change_{t}s"))


def _queue_page(request: HttpRequest, *, status: str = "", errors=None, typed=None, kept=None):
    asked = request.POST.get("page") or request.GET.get("page", "1")  # a decision keeps it
    client = get_client()
    rule = self_approval(request.user) if request.user.has_perm(APPROVE_PERM) else None

    def context() -> dict:  # what rendering needs: not asked for when the page is kept
        queue = selectors.review_queue(
            user=request.user, client=client, errors=errors, typed=typed, page=_number(asked)
        )
        made = {
            "queue": queue,
            "status": status,
            "can_decide": queue.rule is not None,
            "editable": editable_types(request.user),
        }
        made.update(_kept_input(queue, kept or {}))
        return made

    template = "review/_queue_swap.html" if wants_partial(request) else QUEUE
    # A plain view of the queue is kept (caching/pages.py) under the lists its findings come
    # from and the viewer's approval rule (the queue itself follows from the standings'
    # version): a kept queue is answered before its reviews, diffs and findings are read.
    versions = None
    if not (status or errors or typed or kept):
        stamps = selectors.findings_stamps(client=client)
        if stamps is not None:
            versions = ("review-queue", stamps, rule.version if rule else None)
    return pages.render(request, template, context, versions=versions)


@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Every object changed since its last approval, oldest first."""
    check_perm(request, "accounts.view_reviews")
    return _queue_page(request)


@require_http_methods(["POST"])
def decide(request: HttpRequest) -> HttpResponse:
    """Approve one or several items, or request changes on one (comment required)."""
    check_perm(request, "accounts.approve_reviews")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        message = "; ".join(e for errors in form.errors.values() for e in errors)
        comment = request.POST.get("comment", "")
        one = form.keys if len(form.keys) == 1 else []
        if not form.keys:  # said once: in a toast, not again in the status line
            messages.error(request, message)
        kept = {"keys": form.keys, "comment": comment, "message": message}
        kept["bulk"] = request.POST.get("decision") == APPROVE and len(form.keys) != 1
        if not (form.keys or comment.strip()):
            kept = None  # nothing typed to keep: the message, after a redirect
        errors, typed = dict.fromkeys(one, message), dict.fromkeys(one, comment)
        status = "" if not form.keys else message
        return _answer(request, status=status, errors=errors, typed=typed, kept=kept)
    data = form.cleaned_data
    ctx = AuditContext.from_request(request, reason=data["comment"])
    if data["decision"] == APPROVE:
        result = services.review_approve(user=request.user, ctx=ctx, targets=data["targets"])
        verb = "Approved"
    else:
        target = data["targets"][0]
        result = services.review_request_changes(user=request.user, ctx=ctx, target=target)
        verb = "Changes requested on"
    status = _status(verb, result)
    keys = [f"{t[0]}:{t[1]}:{t[2]}" for t in result.refused]
    errors = dict(zip(keys, result.refused.values(), strict=True))
    typed = dict.fromkeys(keys, data["comment"])
    # Said once, in a toast (it stays in view wherever the reader is in the queue; the
    # status line is at the top).
    (messages.success if result.done else messages.warning)(request, status)
    kept = None
    if keys:  # a refused item may be gone from the queue, or changed since (a new key)
        message = "; ".join(dict.fromkeys(result.refused.values()))
        bulk = data["decision"] == APPROVE and len(data["targets"]) > 1
        kept = {"keys": keys, "comment": data["comment"], "message": message, "bulk": bulk}
    return _answer(request, status="", errors=errors, typed=typed, kept=kept)


def _status(verb: str, result: services.Decision) -> str:
    parts = []
    if result.done:
        names = ", ".join(f"“{n}”" for n in result.done)
        parts.append(f"{verb} {names}.")
    if result.refused:
        n = len(result.refused)
        parts.append(
            f"{n} item{'s' if n > 1 else ''} not changed: see the note on {'each' if n > 1 else 'it'}."
        )
    return " ".join(parts)


def _kept_input(queue, kept: dict) -> dict:
    """Where a refused decision's input goes back when no single item takes it: "Approve
    selected" gets its comment and ticks again; otherwise the comment is shown, unsent, above
    the queue (a stale or tampered selection, or changes requested on several at once)."""
    offered = {item.key for item in queue.items}
    keys, comment = kept.get("keys", []), kept.get("comment", "")
    if len(keys) == 1 and keys[0] in offered:
        return {}  # on its item, beside its form
    if kept.get("bulk") and queue.selectable:
        return {"bulk_comment": comment, "ticked": [k for k in keys if k in offered]}
    if comment.strip():
        return {"unsent": {"comment": comment, "message": kept["message"]}}
    return {}


def _answer(
    request: HttpRequest, *, status: str, errors: dict, typed: dict, kept=None
) -> HttpResponse:
    if wants_partial(request) or errors or kept:
        # The page again, with what was typed in place (each refused item's note and comment).
        return _queue_page(request, status=status, errors=errors, typed=typed, kept=kept)
    return redirect("review:queue")


def _report(request: HttpRequest):
    kind = request.GET.get("kind", "")
    kind = kind if kind in quality.KINDS else ""
    findings = selectors.quality_findings(client=get_client())
    shown = [f for f in findings if f.kind == kind] if kind else findings
    return kind, findings, shown


def _number(asked: str) -> int:
    """?page=N as a number; anything else reads as page 1 (a page past the last, the last)."""
    return int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 7 else 1


def _quality_url(kind: str):
    base = reverse("review:quality")
    return lambda n: base + "?" + urlencode({**({"kind": kind} if kind else {}), "page": n})


@require_safe
def quality_report(request: HttpRequest) -> HttpResponse:
    """Account-wide findings, counted per kind, filtered by ?kind=."""
    check_perm(request, "accounts.view_quality")
    context = {
        "kinds": quality.KINDS,
        "kind": "",
        "unknown_kind": "",
        "editable": editable_types(request.user),
    }
    asked = request.GET.get("kind", "")
    if asked and asked not in quality.KINDS:
        context["unknown_kind"] = asked
    versions = None  # what the page is kept under (caching/pages.py): the lists' ETags
    try:
        kind, findings, shown = _report(request)
    except ManagementAPIError as exc:
        context.update(api_error=exc, retry_url=request.get_full_path())
    else:
        if getattr(findings, "stamp", None):
            versions = ("quality", findings.stamp)
        page = cut_page(
            shown, _number(request.GET.get("page", "1")), FINDINGS_PER_PAGE, _quality_url(kind)
        )
        context.update(
            kind=kind,
            kind_label=quality.KINDS.get(kind, ""),
            summary=quality.summary(findings),
            findings=page.items,
            page=page,
            total=len(findings),
        )
    return render_page_or_partial(request, QUALITY, "quality-report", context, versions=versions)


def _quality_table(request: HttpRequest, fmt: str) -> HttpResponse:
    check_perm(request, "accounts.view_quality")
    try:
        kind, _, shown = _report(request)
    except ManagementAPIError as exc:
        messages.error(request, f"The export failed: {exc.user_message}")
        return redirect("review:quality")
    rows = [
        (
            f.kind_label,
            f.object_type,
            f.object_id,
            f.object_name,
            f.phrase,
            f.message,
            request.build_absolute_uri(f.url),
        )
        for f in shown
    ]
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    header = ["kind", "object_type", "object_id", "object_name", "phrase", "finding", "editor"]
    filename = f"quality-{kind or 'all'}-{stamp}"
    return table_response(request, fmt, header, rows, filename=filename)


@require_safe
def quality_export(request: HttpRequest) -> HttpResponse:
    """The findings shown (?kind= as on the page) as a CSV file."""
    return _quality_table(request, "csv")


@require_safe
def quality_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The findings shown (?kind= as on the page) as an .xlsx workbook (every cell text)."""
    return _quality_table(request, "xlsx")
