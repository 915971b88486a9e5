"""Small pieces every feature's views share (trackers, groups)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from symbl_admin.htmx import wants_partial
from symbl_admin.management_api.errors import ManagementAPIError


def abilities(request: HttpRequest, noun: str) -> dict[str, bool]:
    """What the user may do with `noun` ("trackers" or "groups"), for hiding actions.
    Hiding is never the protection: every view checks again."""
    user = request.user
    return {
        action: user.has_perm(f"accounts.{action}_{noun}")
        for action in ("add", "change", "delete", "import", "revert")
    }


def render_screen(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A whole new screen in answer to a form post (its own heading, not one region): htmx
    gets the full page too and swaps <main>, so the heading says what the screen now is."""
    from django_htmx.http import reselect, reswap, retarget

    response = render(request, template, context)
    if wants_partial(request):
        retarget(response, "#main")
        reswap(response, "outerHTML")
        reselect(response, "#main")
    return response


def api_error_page(
    request: HttpRequest, exc: ManagementAPIError, *, title: str, section: str
) -> HttpResponse:
    """The page shown when reading from the Management API failed, with a retry link."""
    return render(
        request,
        "components/api_error_page.html",
        {
            "api_error": exc,
            "retry_url": request.get_full_path(),
            "title": title,
            "section": section,
        },
        status=200 if wants_partial(request) else 503,
    )


def import_run(
    request: HttpRequest,
    *,
    resource,
    clean_item,
    noun: str,
    app: str,
    done_template: str,
) -> HttpResponse:
    """Send previewed items, one bulk call per step: htmx requests send one chunk each (the
    page shows progress and asks for the next), plain requests send everything at once.

    `clean_item(dict) -> dict` rebuilds each item from the posted payload; `resource` is a
    core.services.Resource; `app` is the URL namespace ("trackers" or "groups").
    """
    import json

    from django.contrib import messages
    from django.urls import reverse

    from symbl_admin.audit.services import AuditContext
    from symbl_admin.htmx import redirect_after_write
    from symbl_admin.management_api import get_client

    from . import services

    try:
        remaining = json.loads(request.POST.get("payload", "[]"))
        report = services.ImportReport(
            created=json.loads(request.POST.get("created", "[]")),
            failed=json.loads(request.POST.get("failed", "[]")),
        )
        total = int(request.POST.get("total") or len(remaining))
        items = [clean_item(item) for item in remaining if isinstance(item, dict)]
    except (ValueError, TypeError, AttributeError):
        messages.error(request, "The import could not continue: its data was damaged. Start again.")
        return redirect_after_write(request, reverse(f"{app}:import"))
    chunks = services.import_chunks(items)
    ctx = AuditContext.from_request(request)
    client = get_client()
    sent = 1 if request.htmx else len(chunks)
    for chunk in chunks[:sent]:
        services.import_chunk(client=client, resource=resource, items=chunk, ctx=ctx, report=report)
    left = [item for chunk in chunks[sent:] for item in chunk]
    context = {
        "report": report,
        "total": total,
        "done_count": len(report.created) + len(report.failed),
        "payload": json.dumps(left, ensure_ascii=False),
        "created_json": json.dumps(report.created, ensure_ascii=False),
        "failed_json": json.dumps(report.failed, ensure_ascii=False),
        "finished": not left,
        "detail_base": reverse(f"{app}:list"),
        "import_url": reverse(f"{app}:import"),
        "list_url": reverse(f"{app}:list"),
        "noun": noun,
    }
    if request.htmx:
        return render(request, "components/import_progress.html", context)
    return render(request, done_template, context)


def restore_deleted(
    request: HttpRequest, *, object_id: str, object_type: str, app: str, restore, is_complete
) -> HttpResponse:
    """Create a deleted object again from its last known state in the audit log.

    `restore(client=, state=, ctx=)` is the feature's service; `is_complete(state)` says
    whether the logged state has what the API needs. Raises: Http404 when nothing is known.
    """
    from django.contrib import messages
    from django.http import Http404
    from django.urls import reverse

    from symbl_admin.audit import selectors as audit_selectors
    from symbl_admin.audit.services import AuditContext
    from symbl_admin.htmx import redirect_after_write
    from symbl_admin.management_api import get_client
    from symbl_admin.management_api.errors import NameTaken

    state = audit_selectors.last_known_state(object_type=object_type, object_id=object_id)
    if not state or not is_complete(state):
        raise Http404(f"Nothing is known about this {object_type}.")
    name = state.get("name")
    try:
        obj = restore(client=get_client(), state=state, ctx=AuditContext.from_request(request))
    except NameTaken:
        messages.error(
            request,
            f"Cannot restore “{name}”: another {object_type} has that name now. "
            "Rename or delete that one first.",
        )
    except ManagementAPIError as exc:
        messages.error(request, f"Could not restore “{name}”: {exc.user_message}")
    else:
        messages.success(
            request, f"{object_type.capitalize()} “{obj.name}” restored (its new id is {obj.id})."
        )
        return redirect_after_write(request, reverse(f"{app}:detail", args=[obj.id]))
    return redirect_after_write(request, reverse(f"{app}:deleted"))


def delete_object(
    request: HttpRequest, *, obj, object_type: str, app: str, delete, template: str, context: dict
) -> HttpResponse:
    """The delete confirmation (a modal for htmx, a page otherwise) and, on POST, the delete:
    `delete(client=, object_id=, ctx=)` is the feature's service. On success the list shows a
    message that links to restoring it (for those who may)."""
    from django.contrib import messages
    from django.urls import reverse
    from django.utils.html import format_html

    from symbl_admin.audit.services import AuditContext
    from symbl_admin.htmx import redirect_after_write
    from symbl_admin.management_api import get_client
    from symbl_admin.management_api.errors import NotFound

    from .forms import ReasonForm

    form = ReasonForm(request.POST if request.method == "POST" else None)
    context = {**context, "form": form}
    label = object_type.capitalize()
    if request.method == "POST" and form.is_valid():
        try:
            delete(
                client=get_client(),
                object_id=obj.id,
                ctx=AuditContext.from_request(request, reason=form.cleaned_data["reason"]),
            )
        except NotFound:
            messages.info(request, f"{label} “{obj.name}” was already deleted.")
            return redirect_after_write(request, reverse(f"{app}:list"))
        except ManagementAPIError as exc:
            context["api_error"] = exc
        else:
            if request.user.has_perm(f"accounts.revert_{app}"):
                messages.success(
                    request,
                    format_html(
                        '{} “{}” deleted. <a href="{}">Restore it</a> from deleted {}.',
                        label,
                        obj.name,
                        reverse(f"{app}:deleted"),
                        app,
                    ),
                )
            else:
                messages.success(request, f"{label} “{obj.name}” deleted.")
            return redirect_after_write(request, reverse(f"{app}:list"))
    if wants_partial(request):
        return render(request, f"{template}#delete-dialog", context)
    return render(request, template, context)
