"""Audit views: the log table, one entry, exports, and the full check of the chain (the only
thing these screens start: a check that reads the log and records its result)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accounts.permissions import require_perm
from symbl_admin.exports import table_response
from symbl_admin.htmx import render_page_or_partial, wants_partial

from . import exports, selectors, table
from . import full_check as full_checks
from . import integrity_screen as integrity
from .context import AuditContext
from .forms import EntryFilterForm

PAGE_SIZE = 50
_CURSORS = ("before", "after")


def _cursor(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    # ASCII digits that fit the database's integers ("²".isdigit() is true; int() fails).
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _filter_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    for name in _CURSORS:
        params.pop(name, None)
    return params.urlencode()


@require_safe
@require_perm("accounts.view_audit")
def entry_list(request: HttpRequest) -> HttpResponse:
    """The audit table, newest first, filtered by the query string."""
    form = EntryFilterForm(request.GET or None)
    invalid = form.is_bound and not form.is_valid()
    if invalid:
        page = table.EntryPage.empty()  # the error is shown; nothing is listed
    else:
        page = table.entry_page(
            form.filters() if form.is_bound else table.EntryFilters(),
            before=_cursor(request, "before"),
            after=_cursor(request, "after"),
            size=PAGE_SIZE,
        )
    query = _filter_query(request)
    base = reverse("audit:list")
    sep = "&" if query else ""
    context = {
        "form": form if request.GET else EntryFilterForm(),
        "page": page,
        "filter_query": query,
        "newer_url": f"{base}?{query}{sep}after={page.newer_cursor}" if page.newer_cursor else "",
        "older_url": f"{base}?{query}{sep}before={page.older_cursor}" if page.older_cursor else "",
        "can_export": request.user.has_perm("accounts.export_audit"),
        "is_filtered": any(v for k, v in request.GET.items() if k not in _CURSORS),
        "invalid": invalid,
        "filter_errors": _errors(form) if invalid else [],
        "zone": form.zone(),
    }
    if not wants_partial(request):
        context.update(integrity.screen_context(request))
        context["actors"] = table.actor_choices()
    return render_page_or_partial(request, "audit/entry_list.html", "audit-table", context)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("accounts.view_audit")
def full_check(request: HttpRequest) -> HttpResponse:
    """POST starts a full check of the chain (one at a time); GET is the integrity region,
    which polls itself while a check runs."""
    busy = request.method == "POST" and not full_checks.start(
        ctx=AuditContext.from_request(request)
    )
    if request.method == "POST" and not request.htmx:
        if busy:
            messages.info(request, "A full check is already running; its result appears here.")
        return redirect("audit:list")
    context = {**integrity.screen_context(request), "busy": busy}
    return render(request, "audit/entry_list.html#audit-integrity", context)


@require_safe
@require_perm("accounts.view_audit")
def entry_detail(request: HttpRequest, seq: int) -> HttpResponse:
    """One entry with all its fields, its outcome(s) and a side-by-side diff."""
    entry = selectors.entry_by_seq(seq)
    if entry is None:
        raise Http404("No such audit entry.")
    if entry.completes_id is not None:
        # Outcome rows are shown merged into the entry they complete.
        return redirect(reverse("audit:detail", args=[entry.completes_id]) + f"#outcome-{seq}")
    item = selectors.entry_item(entry)
    context = {
        "item": item,
        "diff": item.diff,
        "entry": entry,
        "related": (selectors.request_siblings(entry) if entry.request_id else []),
    }
    return render_page_or_partial(request, "audit/entry_detail.html", "audit-entry", context)


def _filename() -> str:
    """A download's name, without its extension."""
    return f"audit-{timezone.now():%Y%m%dT%H%M%SZ}"


def _errors(form: EntryFilterForm) -> list[str]:
    return [str(message) for messages in form.errors.values() for message in messages]


def _refused(form: EntryFilterForm) -> HttpResponse:
    # The same words as the screen; a 400 so that no file of "everything" is ever saved.
    text = "Nothing was exported: " + " ".join(_errors(form)) + "\n"
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def _table(request: HttpRequest, fmt: str) -> HttpResponse:
    form = EntryFilterForm(request.GET)
    if not form.is_valid():
        return _refused(form)
    filters = form.filters()
    # An .xlsx is built whole before it is sent: its rows are counted first (to refuse).
    count = table.export_count(filters) if fmt == "xlsx" else None
    rows = exports.rows(table.export_items(filters))
    return table_response(request, fmt, exports.COLUMNS, rows, filename=_filename(), count=count)


@require_safe
@require_perm("accounts.view_audit", "accounts.export_audit")
def export_csv(request: HttpRequest) -> HttpResponse:
    """The current filter's entries as CSV, streamed; refused while the filters have errors."""
    return _table(request, "csv")


@require_safe
@require_perm("accounts.view_audit", "accounts.export_audit")
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The current filter's entries as an .xlsx workbook (every cell text); refused as
    export_csv, and past the spreadsheet row limit (EXPORT_XLSX_MAX_ROWS) with a page."""
    return _table(request, "xlsx")


@require_safe
@require_perm("accounts.view_audit", "accounts.export_audit")
def export_json(request: HttpRequest) -> HttpResponse:
    """The current filter's entries as a JSON array, streamed; refused as export_csv."""
    form = EntryFilterForm(request.GET)
    if not form.is_valid():
        return _refused(form)
    response = StreamingHttpResponse(
        exports.json_chunks(table.export_items(form.filters())),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename()}.json"'
    return response
