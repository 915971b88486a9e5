"""Groups views: check permission, validate input, call one selector or service, render.

Every view answers a full page, or only its swappable region for htmx requests.
"""

from __future__ import annotations

import contextlib
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

from . import criteria as crit
from . import importing, selectors, services
from .forms import MAX_ROWS, GroupForm, initial_for
from .rules import MAX_GROUP_DESCRIPTION, MAX_GROUP_NAME

VIEW = "accounts.view_groups"
ADD = "accounts.add_groups"
CHANGE = "accounts.change_groups"
DELETE = "accounts.delete_groups"
IMPORT = "accounts.import_groups"
REVERT = "accounts.revert_groups"


def _get_or_404(group_id: str):
    try:
        return selectors.group_get(client=get_client(), group_id=group_id)
    except NotFound:
        raise Http404("No group with this id.") from None


# ---------------------------------------------------------------- list and detail


@require_GET
@require_perm(VIEW)
def group_list(request: HttpRequest) -> HttpResponse:
    query = ListQuery.from_params(request.GET, sort_keys=list(selectors.SORT_KEYS))
    base_url = reverse("groups:list")
    context = {
        "query": query,
        "base_url": base_url,
        "table_target": "#group-table",
        "per_page_choices": PER_PAGE_CHOICES,
        "can": abilities(request, "groups"),
    }
    try:
        result = selectors.group_list(client=get_client(), query=query, base_url=base_url)
    except ManagementAPIError as exc:
        context.update(api_error=exc, retry_url=request.get_full_path())
    else:
        context.update(
            page=result.page,
            total=result.total,
            rows=[
                {"group": g, "url": f"{base_url}{g.id}/", "words": crit.describe(g.criteria)}
                for g in result.page.items
            ],
            export_query=f"?q={query.q}" if query.q else "",
        )
    return render_page_or_partial(request, "groups/group_list.html", "group-table", context)


@require_GET
@require_perm(VIEW)
def group_detail(request: HttpRequest, group_id: str) -> HttpResponse:
    try:
        group = _get_or_404(group_id)
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Group", section="groups")
    context = {
        "group": group,
        "words": crit.describe(group.criteria),
        "extras": dict(group.extra),
        "raw": group.as_dict(),
        "history": audit_selectors.object_history(object_type="group", object_id=group.id),
        "can": abilities(request, "groups"),
        "revert_base": reverse("groups:detail", args=[group.id]) + "revert/",
    }
    return render(request, "groups/group_detail.html", context)


# ---------------------------------------------------------------- create / edit


def _suggestions() -> list[str]:
    try:
        return crit.metadata_keys(g.criteria for g in get_client().groups.list())
    except ManagementAPIError:
        return []


def _form_context(request, form: GroupForm, **extra) -> dict:
    rows = form.rows()
    mode = form.current_mode()
    preview, error, position = "", "", None
    if mode == "text":
        preview = (
            form.data.get("criteria_text") if form.is_bound else form.initial.get("criteria_text")
        ) or ""
    else:
        try:
            preview = crit.check_builder(form.builder(rows))
        except crit.BuilderError as exc:
            error = exc.message
    if mode == "text" and preview.strip():
        from .rules import check_group

        check = check_group("x", "", preview)
        if check.criteria_errors:
            error, position = check.criteria_errors[0], check.criteria_position
    return {
        "form": form,
        "rows": rows,
        "mode": mode,
        "join": (form.data.get("join") if form.is_bound else form.initial.get("join")) or "and",
        "operators": crit.OPERATORS,
        "conversation_fields": crit.CONVERSATION_FIELDS,
        "suggestions": extra.pop("suggestions", None) or _suggestions(),
        "can_add_row": len(rows) < MAX_ROWS,
        "preview": preview,
        "preview_error": error,
        "preview_before": preview[:position] if position is not None else "",
        "preview_at": preview[position : position + 1] if position is not None else "",
        "preview_after": preview[position + 1 :] if position is not None else "",
        "words": crit.describe(preview) if preview and not error else "",
        "max_name": MAX_GROUP_NAME,
        "max_description": MAX_GROUP_DESCRIPTION,
        "check_url": reverse("groups:check"),
        "can": abilities(request, "groups"),
        **extra,
    }


def _apply_api_error(form: GroupForm, exc: ManagementAPIError, name: str) -> dict:
    if isinstance(exc, NameTaken):
        form.add_error(
            "name",
            f"A group named “{name}” already exists. Names are case-sensitive; choose another.",
        )
        return {}
    if isinstance(exc, ValidationFailed):
        form.add_error(None, f"The Management API refused this: {exc.message}")
        return {}
    return {"api_error": exc}


def _builder_action(request, form: GroupForm) -> dict | None:
    """Handle the builder's own buttons (add/remove a row, switch mode): a new form to show,
    or None when the user asked to save."""
    action = request.POST.get("action", "save")
    data = request.POST.copy()
    rows = form.rows()
    if action == "add" and len(rows) < MAX_ROWS:
        rows.append({"kind": "metadata", "key": "", "op": "==", "value": ""})
    elif action.startswith("remove-"):
        index = int(action.split("-", 1)[1]) if action.split("-", 1)[1].isdigit() else -1
        if 0 <= index < len(rows):
            rows.pop(index)
    elif action == "to-text":
        data["mode"] = "text"
        # A half-built builder keeps whatever text there was.
        with contextlib.suppress(crit.BuilderError):
            data["criteria_text"] = form.criteria()
    elif action == "to-builder":
        builder = crit.from_text(data.get("criteria_text", ""))
        if builder is None and data.get("criteria_text", "").strip():
            return {
                "notice": "These criteria cannot be shown in the builder (they nest or use "
                "other fields); edit them as text.",
                "form": GroupForm(data),
            }
        data["mode"] = "builder"
        if builder:
            data["join"] = builder.join
            rows = [
                {"kind": c.kind, "key": c.key, "op": c.op, "value": c.value_text}
                for c in builder.conditions
            ]
    else:
        return None
    for key in [k for k in data if k.startswith("cond-")]:
        del data[key]
    data["cond-count"] = str(len(rows))
    for i, row in enumerate(rows):
        for field, value in row.items():
            data[f"cond-{i}-{field}"] = value
    return {"form": GroupForm(data)}


def _editor(request, *, mode_label: str, action_url: str, group=None) -> HttpResponse:
    """Create and edit share one editor; `group` is the group being edited (or None)."""
    extra: dict = {}
    if request.method == "GET":
        form = GroupForm.for_group(group) if group else GroupForm(initial=initial_for("", "", ""))
    else:
        form = GroupForm(request.POST)
        handled = _builder_action(request, form)
        if handled is not None:
            form = handled["form"]
            extra["notice"] = handled.get("notice", "")
        elif request.POST.get("review"):
            form.is_valid()
            extra["notice"] = "Your changes are merged with the current version. Review, then save."
        elif form.is_valid():
            response = _save(request, form, group_id=group.id if group else None, extra=extra)
            if response is not None:
                return response
    context = _form_context(
        request, form, mode_label=mode_label, action=action_url, group=group, **extra
    )
    if request.method == "POST" and request.POST.get("review"):
        # From the conflict screen: the editor comes back as a whole screen, heading included.
        return render_screen(request, "groups/group_form.html", context)
    return render_page_or_partial(request, "groups/group_form.html", "group-form", context)


def _save(request, form: GroupForm, *, group_id: str | None, extra: dict) -> HttpResponse | None:
    data = form.cleaned_data
    ctx = AuditContext.from_request(request, reason=data["reason"])
    fields = {
        "name": data["name"],
        "description": data["description"],
        "criteria": data["criteria"],
    }
    try:
        if group_id is None:
            group = services.group_create(client=get_client(), ctx=ctx, **fields)
        else:
            group = services.group_update(
                client=get_client(),
                group_id=group_id,
                fingerprint=data["fingerprint"],
                ctx=ctx,
                **fields,
            )
    except NotFound:
        extra["api_error"] = NotFound(
            "This group was deleted after you opened it. Copy your criteria, or restore it."
        )
    except EditConflict as conflict:
        return _conflict(request, form, conflict.current, fields)
    except ManagementAPIError as exc:
        extra.update(_apply_api_error(form, exc, data["name"]))
    else:
        verb = "created" if group_id is None else "saved"
        messages.success(request, f"Group “{group.name}” {verb}.")
        return redirect_after_write(request, reverse("groups:detail", args=[group.id]))
    return None


def _conflict(request, form: GroupForm, current, mine: dict) -> HttpResponse:
    base = form.base_version() or current.to_api()
    merged = services.group_merge(base=base, mine=mine, current=current)
    now = current.to_api()
    context = {
        "action": reverse("groups:edit", args=[current.id]),
        "current": current,
        "fields": [
            {
                "label": label,
                "mine": mine[key],
                "current": now[key],
                "changed": mine[key] != now[key],
            }
            for key, label in (
                ("name", "Name"),
                ("description", "Description"),
                ("criteria", "Criteria"),
            )
        ],
        "mine": mine,
        "merged": merged,
        "current_base": json.dumps(now, ensure_ascii=False),
        "reason": form.cleaned_data.get("reason", ""),
        "last_change": audit_selectors.object_history(object_type="group", object_id=current.id)[
            :1
        ],
    }
    return render_screen(request, "groups/group_conflict.html", context)


@require_http_methods(["GET", "POST"])
@require_perm(ADD)
def group_create(request: HttpRequest) -> HttpResponse:
    return _editor(request, mode_label="create", action_url=reverse("groups:create"))


@require_http_methods(["GET", "POST"])
@require_perm(CHANGE)
def group_edit(request: HttpRequest, group_id: str) -> HttpResponse:
    try:
        group = _get_or_404(group_id)
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Edit group", section="groups")
    return _editor(
        request, mode_label="edit", action_url=reverse("groups:edit", args=[group_id]), group=group
    )


@require_POST
def group_check(request: HttpRequest) -> HttpResponse:
    """Live check while building or typing: the criteria panel only. Writes nothing."""
    if not (request.user.has_perm(ADD) or request.user.has_perm(CHANGE)):
        check_perm(request, ADD)
    form = GroupForm(request.POST)
    context = _form_context(request, form, suggestions=["-"])
    return render(request, "groups/group_form.html#criteria-preview", context)


# ---------------------------------------------------------------- delete, revert, restore


@require_http_methods(["GET", "POST"])
@require_perm(DELETE)
def group_delete(request: HttpRequest, group_id: str) -> HttpResponse:
    try:
        group = _get_or_404(group_id)
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Delete group", section="groups")
    return delete_object(
        request,
        obj=group,
        object_type="group",
        app="groups",
        delete=lambda client, object_id, ctx: services.group_delete(
            client=client, group_id=object_id, ctx=ctx
        ),
        template="groups/group_delete.html",
        context={"group": group, "words": crit.describe(group.criteria)},
    )


@require_http_methods(["GET", "POST"])
@require_perm(REVERT)
def group_revert(request: HttpRequest, group_id: str, entry_id: int) -> HttpResponse:
    try:
        group = _get_or_404(group_id)
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Revert group", section="groups")
    state = audit_selectors.version_state(
        object_type="group", object_id=group.id, entry_id=entry_id
    )
    if not state or not isinstance(state.get("criteria"), str):
        raise Http404("No such version of this group.")
    target = {
        "name": str(state.get("name", "")),
        "description": str(state.get("description") or ""),
        "criteria": state["criteria"],
    }
    form = ReasonForm(request.POST if request.method == "POST" else None)
    now = group.to_api()
    context = {
        "group": group,
        "entry_id": entry_id,
        "form": form,
        "fields": [
            {
                "label": k.capitalize(),
                "current": now[k],
                "target": target[k],
                "changed": now[k] != target[k],
            }
            for k in ("name", "description", "criteria")
        ],
        "fingerprint": request.POST.get("fingerprint") or group.fingerprint,
    }
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.group_update(
                client=get_client(),
                group_id=group.id,
                fingerprint=request.POST.get("fingerprint", ""),
                ctx=AuditContext.from_request(request, reason=form.cleaned_data["reason"]),
                action="revert",
                **target,
            )
        except EditConflict as conflict:
            context.update(
                group=conflict.current,
                fingerprint=conflict.current.fingerprint,
                notice="The group changed while you were looking. Check the difference again.",
            )
        except ManagementAPIError as exc:
            context["api_error"] = exc
        else:
            messages.success(request, f"Group “{updated.name}” reverted.")
            return redirect_after_write(request, reverse("groups:detail", args=[updated.id]))
    return render(request, "groups/group_revert.html", context)


@require_GET
@require_perm(REVERT)
def group_deleted(request: HttpRequest) -> HttpResponse:
    deleted = audit_selectors.deleted_objects(object_type="group")
    return render(request, "groups/group_deleted.html", {"deleted": deleted})


@require_POST
@require_perm(REVERT)
def group_restore(request: HttpRequest, group_id: str) -> HttpResponse:
    return restore_deleted(
        request,
        object_id=group_id,
        object_type="group",
        app="groups",
        restore=services.group_restore,
        is_complete=lambda state: isinstance(state.get("criteria"), str),
    )


# ---------------------------------------------------------------- bulk create / export


@require_http_methods(["GET", "POST"])
@require_perm(IMPORT)
def group_import(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("step") == "run":
        return _import_run(request)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            rows = importing.parse(form.cleaned_data["text"], form.cleaned_data["format"])
            existing = get_client().groups.list()
        except importing.ImportFormatError as exc:
            form.add_error(None, str(exc))
        except ManagementAPIError as exc:
            context["api_error"] = exc
        else:
            importing.validate_rows(rows, existing_names={g.name for g in existing})
            valid = [row.as_item() for row in rows if row.valid]
            context.update(
                rows=rows,
                valid_count=len(valid),
                invalid_count=len(rows) - len(valid),
                payload=json.dumps(valid, ensure_ascii=False),
            )
    return render_page_or_partial(request, "groups/group_import.html", "import-area", context)


def _import_run(request: HttpRequest) -> HttpResponse:
    return import_run(
        request,
        resource=services.GROUPS,
        clean_item=lambda i: {k: str(i.get(k) or "") for k in ("name", "description", "criteria")},
        noun="groups",
        app="groups",
        done_template="groups/group_import_done.html",
    )


@require_GET
@require_perm(VIEW)
def group_export_json(request: HttpRequest) -> HttpResponse:
    try:
        groups = selectors.group_search(client=get_client(), q=request.GET.get("q", ""))
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Export groups", section="groups")
    return json_response([g.to_api() for g in groups], "groups.json")


@require_GET
@require_perm(VIEW)
def group_export_csv(request: HttpRequest) -> HttpResponse:
    try:
        groups = selectors.group_search(client=get_client(), q=request.GET.get("q", ""))
    except ManagementAPIError as exc:
        return api_error_page(request, exc, title="Export groups", section="groups")
    rows = ((g.name, g.description, g.criteria) for g in groups)
    return csv_response(["name", "description", "criteria"], rows, "groups.csv")
