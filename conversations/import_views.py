"""Conversation import, the views: upload → preview → confirm → progress.

Each view checks the import permission, then reads the upload (import_formats), keeps or
sends the import (import_run) and picks page or partial. Pages are rendered fresh, never
kept (symbl_admin/caching): they show one user's import in progress.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.permissions import check_perm
from audit.services import AuditContext
from symbl_admin.htmx import render_page_or_partial, wants_partial
from symbl_admin.management_api import get_client

from . import import_run, importing
from .import_formats import read_upload

PERMISSION = "accounts.import_conversations"
TEMPLATE = "conversations/import.html"
PROGRESS_TEMPLATE = "conversations/_import_progress.html"
SENT_PER_STEP = 20  # conversations sent per htmx request (the page shows progress between)


def _urls(token: str = "") -> dict[str, str]:
    urls = {"import": reverse("conversation_import")}
    if token:
        urls["progress"] = reverse("conversation_import_progress", args=[token])
    return urls


def _limits() -> dict[str, int]:
    return {
        "max_conversations": importing.MAX_CONVERSATIONS,
        "max_mb": importing.MAX_IMPORT_BYTES // 1_048_576,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    check_perm(request, PERMISSION)
    if request.method == "POST" and request.POST.get("step") == "run":
        return _run(request)
    context = {"urls": _urls(), **_limits()}
    if request.method == "POST":
        context.update(_preview(request))
    return render_page_or_partial(request, TEMPLATE, "import-area", context)


def _preview(request: HttpRequest) -> dict:
    files = [(f.name, f.read()) for f in request.FILES.getlist("files")]
    meta = request.FILES.get("metadata")
    if not files:
        return {"error": "Choose a JSON or CSV file, or one or more .txt transcripts."}
    try:
        drafts, notes = read_upload(files, (meta.name, meta.read()) if meta else None)
        importing.check_bounds(drafts)
    except importing.ImportRefused as exc:
        return {"error": str(exc)}
    importing.check(drafts)
    token = import_run.import_prepare(drafts=drafts, owner_id=request.user.pk)
    return {"preview": importing.summary(drafts), "notes": notes, "token": token}


def _run(request: HttpRequest) -> HttpResponse:
    """Send the confirmed import: htmx requests a few conversations each (the page shows
    progress and asks for the next), plain requests all of it, then the progress page."""
    token = request.POST.get("token", "")
    state = import_run.import_submit(
        client=get_client(),
        token=token,
        owner_id=request.user.pk,
        ctx=AuditContext.from_request(request, reason="Conversation import"),
        limit=SENT_PER_STEP if wants_partial(request) else None,
    )
    if state is None:
        messages.error(request, "That import is gone (finished long ago, or never previewed).")
        return redirect(_urls()["import"])
    if wants_partial(request):
        return render(
            request, PROGRESS_TEMPLATE, {"state": state, "urls": _urls(token), "token": token}
        )
    return redirect(_urls(token)["progress"], permanent=False)


@require_http_methods(["GET", "HEAD"])
def import_progress(request: HttpRequest, token: str) -> HttpResponse:
    """The import's progress: job statuses read from the server on each refresh."""
    check_perm(request, PERMISSION)
    state = import_run.import_poll(client=get_client(), token=token, owner_id=request.user.pk)
    if state is None:
        raise Http404("No such import.")
    context = {"state": state, "urls": _urls(token), "token": token, "progress_page": True}
    if wants_partial(request):
        return render(request, PROGRESS_TEMPLATE, context)
    return render(request, TEMPLATE, context)
