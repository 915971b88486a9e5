"""Conversations views that write: the metadata editor (change_conversations) and delete
(delete_conversations, confirmed). Each checks its permission first; the writes are the
services' (locked, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.permissions import check_perm
from audit.services import AuditContext
from symbl_admin.htmx import redirect_after_write, wants_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError, NotFound, ValidationFailed

from . import services
from .forms import MetadataForm
from .views import CHANGE, DELETE

FORM = "conversations/metadata.html"


def _conversation(conversation_id: str):
    try:
        return get_client().conversations.get(conversation_id)
    except NotFound:
        raise Http404("No conversation with this id.") from None


def _urls(conversation_id: str) -> dict[str, str]:
    return {
        "list": reverse("conversations:list"),
        "detail": reverse("conversations:detail", args=[conversation_id]),
        "metadata": reverse("conversations:metadata", args=[conversation_id]),
        "delete": reverse("conversations:delete", args=[conversation_id]),
    }


def _form_page(request, conversation, form: MetadataForm, seen: str, **extra) -> HttpResponse:
    context = {
        "conversation": conversation,
        "form": form,
        "seen": seen,
        "urls": _urls(conversation.id),
        **extra,
    }
    name = f"{FORM}#metadata-form" if wants_partial(request) else FORM
    return render(request, name, context)  # 200 when refused too: htmx swaps it


def _read_or_error(request, conversation_id: str):
    try:
        return _conversation(conversation_id), None
    except ManagementAPIError as exc:
        return None, render(
            request,
            "components/api_error_page.html",
            {
                "api_error": exc,
                "retry_url": request.get_full_path() if request.method == "GET" else "",
                "resubmit": [
                    (k, v)
                    for k in request.POST
                    if k != "csrfmiddlewaretoken"
                    for v in request.POST.getlist(k)
                ],
                "resubmit_url": request.get_full_path(),
                "title": "Conversation",
                "section_url": reverse("conversations:list"),
                "section_title": "Conversations",
            },
            status=503,
        )


@require_http_methods(["GET", "HEAD", "POST"])
def metadata_edit(request: HttpRequest, conversation_id: str) -> HttpResponse:
    """The metadata as key/value rows; Add a row and Remove post the rows back as typed."""
    check_perm(request, CHANGE)
    conversation, failed = _read_or_error(request, conversation_id)
    if failed is not None:
        return failed
    if request.method != "POST":
        seen = services.metadata_version(conversation.metadata)
        return _form_page(request, conversation, MetadataForm.initial(conversation.metadata), seen)
    form = MetadataForm.from_post(request.POST)
    seen = request.POST.get("seen", "")[:64]
    action = request.POST.get("action", "save")
    if action == "add":
        form.add_row()
        return _form_page(request, conversation, form, seen, focus="last")
    row = action[7:]
    if action.startswith("remove-") and row.isascii() and row.isdigit() and len(row) <= 3:
        form.remove_row(int(row))
        return _form_page(request, conversation, form, seen)
    if not form.is_valid():
        return _form_page(request, conversation, form, seen)
    if not seen:  # a post that does not say which metadata it edited never replaces any
        form.errors.append(
            "This form did not say which version of the metadata you edited, so nothing was "
            "saved. Its metadata now is shown above your rows; save again to replace it."
        )
        current = dict(conversation.metadata)
        version = services.metadata_version(conversation.metadata)
        return _form_page(request, conversation, form, version, current_metadata=current)
    try:
        services.conversation_metadata_update(
            client=get_client(),
            conversation_id=conversation.id,
            metadata=form.metadata,
            seen=seen,
            ctx=AuditContext.from_request(request),
        )
    except services.MetadataConflict as conflict:
        form.errors.append(
            "Someone else changed this conversation’s metadata after you opened it. Nothing "
            "was saved. Its metadata now is shown above your rows; save again to replace it "
            "with yours."
        )
        current = conflict.current
        return _form_page(
            request,
            current,
            form,
            services.metadata_version(current.metadata),
            current_metadata=dict(current.metadata),
        )
    except NotFound:
        raise Http404("No conversation with this id.") from None
    except ValidationFailed as exc:
        form.errors.append(exc.user_message)
        return _form_page(request, conversation, form, seen)
    except ManagementAPIError as exc:
        return _form_page(request, conversation, form, seen, api_error=exc)
    messages.success(request, f"Metadata of “{conversation.name}” saved.")
    return redirect_after_write(request, reverse("conversations:detail", args=[conversation.id]))


@require_http_methods(["GET", "HEAD", "POST"])
def conversation_delete(request: HttpRequest, conversation_id: str) -> HttpResponse:
    """A confirmation naming the conversation; the POST deletes it."""
    check_perm(request, DELETE)
    conversation, failed = _read_or_error(request, conversation_id)
    if failed is not None:
        return failed
    context = {"conversation": conversation, "urls": _urls(conversation.id)}
    if request.method == "POST":
        try:
            services.conversation_delete(
                client=get_client(),
                conversation_id=conversation.id,
                ctx=AuditContext.from_request(request),
            )
        except NotFound:
            raise Http404("No conversation with this id.") from None
        except ManagementAPIError as exc:
            return render(request, "conversations/delete.html", {**context, "api_error": exc})
        messages.success(request, f"Conversation “{conversation.name}” deleted.")
        return redirect_after_write(request, reverse("conversations:list"))
    return render(request, "conversations/delete.html", context)
