"""Trackers views: check permission, validate input, call one selector or service, render.

Every view answers a full page, or only its swappable region for htmx requests.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from symbl_admin.accounts.permissions import check_perm, require_perm
from symbl_admin.audit import selectors as audit_selectors
from symbl_admin.audit.services import AuditContext
from symbl_admin.core.exports import csv_response, json_response
from symbl_admin.core.forms import ImportForm, ReasonForm
from symbl_admin.core.listing import PER_PAGE_CHOICES, ListQuery
from symbl_admin.core.viewkit import (
    abilities,
    api_error_page,
    delete_object,
    import_run,
    render_screen,
    restore_deleted,
)
from symbl_admin.core.writes import EditConflict
from symbl_admin.htmx import redirect_after_write, render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import (
    ManagementAPIError,
    NameTaken,
    NotFound,
    ValidationFailed,
)

from . import importing, selectors, services
from .forms import TrackerForm
from .rules import MAX_TRACKERS, check_tracker, split_phrases

VIEW = "accounts.view_trackers"
ADD = "accounts.add_trackers"
CHANGE = "accounts.change_trackers"
DELETE = "accounts.delete_trackers"
IMPORT = "accounts.import_trackers"
REVERT = "accounts.revert_trackers"


def _get_or_404(tracker_id: str):
    """Raises: Http404 for an unknown id; ManagementAPIError otherwise."""
    try:
        return selectors.tracker_get(client=get_client(), tracker_id=tracker_id)
    except NotFound:
        raise Http404("No tracker with this id.") from None


# ---------------------------------------------------------------- list


@require_GET
@require_perm(VIEW)
def tracker_list(request: HttpRequest) -> HttpResponse:
    query = ListQuery.from_params(request.GET, sort_keys=list(selectors.SORT_KEYS))
    base_url = reverse("trackers:list")
    context = {
        "query": query,
        "base_url": base_url,
        "table_target": "#tracker-table",
        "per_page_choices": PER_PAGE_CHOICES,
        "can": abilities(request, "trackers"),
        "max_trackers": MAX_TRACKERS,
    }
    try:
        result = selectors.tracker_list(client=get_client(), query=query, base_url=base_url)
    except ManagementAPIError as exc:
        context["api_error"] = exc
        context["retry_url"] = request.get_full_path()
    else:
        context["page"] = result.page
        context["total"] = result.total
        context["rows"] = [
            {
                "tracker": tracker,
                "url": f"{base_url}{tracker.id}/",
                "phrases": selectors.matching_phrases(tracker, query.q),
                "more": max(0, len(tracker.vocabulary) - 3),
            }
            for tracker in result.page.items
        ]
        context["export_query"] = f"?q={query.q}" if query.q else ""
    return render_page_or_partial(request, "trackers/tracker_list.html", "tracker-table", context)


# ---------------------------------------------------------------- detail


@require_GET
@require_perm(VIEW)
def tracker_detail(request: HttpRequest, tracker_id: str) -> HttpResponse:
    try:
        tracker = _get_or_404(tracker_id)
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Tracker", section="trackers")
    extras = dict(tracker.extra)
    context = {
        "tracker": tracker,
        "extras": extras,
        "raw": tracker.as_dict(),
        "api_snippet": json.dumps({"trackers": [{"id": tracker.id}]}),
        "history": audit_selectors.object_history(object_type="tracker", object_id=tracker.id),
        "can": abilities(request, "trackers"),
        "revert_base": reverse("trackers:detail", args=[tracker.id]) + "revert/",
    }
    return render(request, "trackers/tracker_detail.html", context)


# ---------------------------------------------------------------- create / edit


def _form_context(request, form: TrackerForm, **extra) -> dict:
    phrases = split_phrases(form.data.get("phrases", "")) if form.is_bound else []
    return {
        "form": form,
        "can": abilities(request, "trackers"),
        "check_url": reverse("trackers:check"),
        **_feedback(form, phrases),
        **extra,
    }


def _feedback(form: TrackerForm, phrases: list[str]) -> dict:
    """The live panel: count, per-phrase errors and hints, and the exact JSON to be sent."""
    if form.is_bound:
        name = (form.data.get("name") or "").strip()
        check = form.check or check_tracker(name, phrases)
    else:
        name = form.initial.get("name", "")
        phrases = split_phrases(form.initial.get("phrases", ""))
        check = check_tracker(name, phrases) if phrases else None
    return {
        "phrase_count": len(phrases),
        "check": check,
        "phrase_errors_json": json.dumps(check.phrase_errors if check else {}),
        "phrase_hints_json": json.dumps(check.phrase_hints if check else {}),
        "hint_rows": sorted(check.phrase_hints.items()) if check else [],
        "phrase_error_lines": check.phrase_error_messages(phrases) if check else [],
        "preview": json.dumps({"name": name, "vocabulary": phrases}, indent=2, ensure_ascii=False),
        "phrases_list": phrases,
    }


def _apply_api_error(form: TrackerForm, exc: ManagementAPIError, name: str) -> dict:
    """Put an upstream refusal where the user can act on it; returns extra context."""
    if isinstance(exc, NameTaken):
        form.add_error(
            "name",
            f"A tracker named “{name}” already exists. Names are case-sensitive; choose "
            "another name or edit that tracker.",
        )
        return {}
    if isinstance(exc, ValidationFailed):
        form.add_error(None, f"The Management API refused this: {exc.message}")
        return {}
    return {"api_error": exc}


@require_http_methods(["GET", "POST"])
@require_perm(ADD)
def tracker_create(request: HttpRequest) -> HttpResponse:
    form = TrackerForm(request.POST if request.method == "POST" else None)
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tracker = services.tracker_create(
                client=get_client(),
                name=data["name"],
                vocabulary=data["vocabulary"],
                ctx=AuditContext.from_request(request, reason=data["reason"]),
            )
        except ManagementAPIError as exc:
            extra = _apply_api_error(form, exc, data["name"])
        else:
            messages.success(request, f"Tracker “{tracker.name}” created.")
            return redirect_after_write(request, reverse("trackers:detail", args=[tracker.id]))
    context = _form_context(
        request, form, mode="create", action=reverse("trackers:create"), **extra
    )
    return render_page_or_partial(request, "trackers/tracker_form.html", "tracker-form", context)


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE)
def tracker_edit(request: HttpRequest, tracker_id: str) -> HttpResponse:
    action = reverse("trackers:edit", args=[tracker_id])
    if request.method == "GET":
        try:
            tracker = _get_or_404(tracker_id)
        except ManagementAPIError as exc:
            return api_error_page(request, exc, title="Edit tracker", section="trackers")
        form = TrackerForm.for_tracker(tracker)
        context = _form_context(request, form, mode="edit", action=action, tracker=tracker)
        return render_page_or_partial(
            request, "trackers/tracker_form.html", "tracker-form", context
        )

    form = TrackerForm(request.POST)
    tracker = {"id": tracker_id, "name": request.POST.get("base_name", "")}
    extra: dict = {}
    if request.POST.get("action") == "review":
        # "Merge" from the conflict screen: show the merged version for review, unsaved.
        form.is_valid()
        extra["notice"] = "Your changes are merged with the current version. Review, then save."
    elif form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.tracker_update(
                client=get_client(),
                tracker_id=tracker_id,
                name=data["name"],
                vocabulary=data["vocabulary"],
                fingerprint=data["fingerprint"],
                ctx=AuditContext.from_request(request, reason=data["reason"]),
            )
        except NotFound:
            extra["api_error"] = NotFound(
                "This tracker was deleted after you opened it. Copy your phrases, or restore it "
                "from the deleted trackers."
            )
        except EditConflict as conflict:
            return _conflict(request, form, conflict.current, action)
        except ManagementAPIError as exc:
            extra = _apply_api_error(form, exc, data["name"])
        else:
            messages.success(request, f"Tracker “{updated.name}” saved.")
            return redirect_after_write(request, reverse("trackers:detail", args=[updated.id]))
    context = _form_context(request, form, mode="edit", action=action, tracker=tracker, **extra)
    if request.POST.get("action") == "review":
        return render_screen(request, "trackers/tracker_form.html", context)
    return render_page_or_partial(request, "trackers/tracker_form.html", "tracker-form", context)


def _conflict(request, form: TrackerForm, current, action: str) -> HttpResponse:
    data = form.cleaned_data
    mine = {"name": data["name"], "vocabulary": data["vocabulary"]}
    base = form.base_version() or current.to_api()
    merged = services.tracker_merge(base=base, mine=mine, current=current)
    context = {
        "action": action,
        "current": current,
        "mine": mine,
        "merged": merged,
        "mine_phrases": "\n".join(mine["vocabulary"]),
        "merged_phrases": "\n".join(merged["vocabulary"]),
        "current_base": json.dumps(current.to_api(), ensure_ascii=False),
        "diff": _phrase_diff(list(current.vocabulary), mine["vocabulary"]),
        "name_changed": current.name != mine["name"],
        "reason": data.get("reason", ""),
        "last_change": _change_that_made(current),
    }
    return render_screen(request, "trackers/tracker_conflict.html", context)


def _change_that_made(current) -> list:
    """The newest history entry, if it is what made the tracker as it is now (a list of at
    most one). A change made outside the dashboard has no entry: naming whoever changed it
    before would blame the wrong person, often the user looking at the conflict."""
    history = audit_selectors.object_history(object_type="tracker", object_id=current.id)[:1]
    return [
        item
        for item in history
        if isinstance(item.effective_after, dict)
        and item.effective_after.get("name") == current.name
        and list(item.effective_after.get("vocabulary") or []) == list(current.vocabulary)
    ]


def _phrase_diff(old: list[str], new: list[str]) -> list[dict]:
    """Phrases in new order, marked added; then phrases only in old, marked removed."""
    old_set, new_set = set(old), set(new)
    rows = [{"kind": "kept" if p in old_set else "added", "text": p} for p in new]
    rows += [{"kind": "removed", "text": p} for p in old if p not in new_set]
    return rows


@require_POST
def tracker_check(request: HttpRequest) -> HttpResponse:
    """Live validation while typing: the feedback panel only. Writes nothing."""
    if not (request.user.has_perm(ADD) or request.user.has_perm(CHANGE)):
        check_perm(request, ADD)
    form = TrackerForm(request.POST)
    form.is_valid()
    context = _form_context(request, form)
    return render(request, "trackers/tracker_form.html#tracker-feedback", context)


# ---------------------------------------------------------------- delete


@require_http_methods(["GET", "POST"])
@require_perm(DELETE)
def tracker_delete(request: HttpRequest, tracker_id: str) -> HttpResponse:
    try:
        tracker = _get_or_404(tracker_id)
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Delete tracker", section="trackers")
    return delete_object(
        request,
        obj=tracker,
        object_type="tracker",
        app="trackers",
        delete=lambda client, object_id, ctx: services.tracker_delete(
            client=client, tracker_id=object_id, ctx=ctx
        ),
        template="trackers/tracker_delete.html",
        context={"tracker": tracker},
    )


# ---------------------------------------------------------------- history: revert, restore


def _version_from_entry(tracker_id: str, entry_id: int) -> dict:
    """The tracker as an audit entry left it. Raises: Http404."""
    state = audit_selectors.version_state(
        object_type="tracker", object_id=tracker_id, entry_id=entry_id
    )
    if not state or not isinstance(state.get("vocabulary"), list):
        raise Http404("No such version of this tracker.")
    return {"name": str(state.get("name", "")), "vocabulary": [str(p) for p in state["vocabulary"]]}


@require_http_methods(["GET", "POST"])
@require_perm(REVERT)
def tracker_revert(request: HttpRequest, tracker_id: str, entry_id: int) -> HttpResponse:
    try:
        tracker = _get_or_404(tracker_id)
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Revert tracker", section="trackers")
    target = _version_from_entry(tracker.id, entry_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    context = {
        "tracker": tracker,
        "target": target,
        "entry_id": entry_id,
        "form": form,
        "diff": _phrase_diff(list(tracker.vocabulary), target["vocabulary"]),
        "name_changed": tracker.name != target["name"],
        "fingerprint": request.POST.get("fingerprint") or tracker.fingerprint,
    }
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.tracker_update(
                client=get_client(),
                tracker_id=tracker.id,
                name=target["name"],
                vocabulary=target["vocabulary"],
                fingerprint=request.POST.get("fingerprint", ""),
                ctx=AuditContext.from_request(request, reason=form.cleaned_data["reason"]),
                action="revert",
            )
        except EditConflict as conflict:
            context["tracker"] = conflict.current
            context["fingerprint"] = conflict.current.fingerprint
            context["diff"] = _phrase_diff(list(conflict.current.vocabulary), target["vocabulary"])
            context["notice"] = (
                "The tracker changed while you were looking. Check the difference again."
            )
        except ManagementAPIError as exc:
            context["api_error"] = exc
        else:
            messages.success(request, f"Tracker “{updated.name}” reverted.")
            return redirect_after_write(request, reverse("trackers:detail", args=[updated.id]))
    return render(request, "trackers/tracker_revert.html", context)


@require_GET
@require_perm(REVERT)
def tracker_deleted(request: HttpRequest) -> HttpResponse:
    context = {"deleted": audit_selectors.deleted_objects(object_type="tracker")}
    return render(request, "trackers/tracker_deleted.html", context)


@require_POST
@require_perm(REVERT)
def tracker_restore(request: HttpRequest, tracker_id: str) -> HttpResponse:
    return restore_deleted(
        request,
        object_id=tracker_id,
        object_type="tracker",
        app="trackers",
        restore=services.tracker_restore,
        is_complete=lambda state: isinstance(state.get("vocabulary"), list),
    )


# ---------------------------------------------------------------- import / export


@require_http_methods(["GET", "POST"])
@require_perm(IMPORT)
def tracker_import(request: HttpRequest) -> HttpResponse:
    step = request.POST.get("step", "preview")
    if request.method == "POST" and step == "run":
        return _import_run(request)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    context: dict = {"form": form, "max_trackers": MAX_TRACKERS}
    if request.method == "POST" and form.is_valid():
        try:
            rows = importing.parse(form.cleaned_data["text"], form.cleaned_data["format"])
            existing = get_client().trackers.list()
        except importing.ImportFormatError as exc:
            form.add_error(None, str(exc))
        except ManagementAPIError as exc:
            context["api_error"] = exc
        else:
            importing.validate_rows(
                rows, existing_names={t.name for t in existing}, existing_count=len(existing)
            )
            valid = [row.as_item() for row in rows if row.valid]
            context.update(
                rows=rows,
                valid_count=len(valid),
                invalid_count=len(rows) - len(valid),
                existing_count=len(existing),
                payload=json.dumps(valid, ensure_ascii=False),
            )
    return render_page_or_partial(request, "trackers/tracker_import.html", "import-area", context)


def _import_run(request: HttpRequest) -> HttpResponse:
    return import_run(
        request,
        resource=services.TRACKERS,
        clean_item=lambda i: {
            "name": str(i.get("name", "")),
            "vocabulary": [str(p) for p in i.get("vocabulary", [])],
        },
        noun="trackers",
        app="trackers",
        done_template="trackers/tracker_import_done.html",
    )


@require_GET
@require_perm(VIEW)
def tracker_export_json(request: HttpRequest) -> HttpResponse:
    try:
        trackers = selectors.tracker_search(client=get_client(), q=request.GET.get("q", ""))
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Export trackers", section="trackers")
    return json_response([t.to_api() for t in trackers], "trackers.json")


@require_GET
@require_perm(VIEW)
def tracker_export_csv(request: HttpRequest) -> HttpResponse:
    try:
        trackers = selectors.tracker_search(client=get_client(), q=request.GET.get("q", ""))
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Export trackers", section="trackers")
    rows = ((t.name, phrase) for t in trackers for phrase in t.vocabulary)
    return csv_response(["name", "phrase"], rows, "trackers.csv")
