"""Tester views: the editor's "Across your conversations": the phrases as typed (the tracker
form's fields, sent with hx-include) against the stored conversations. Without JavaScript the
form sends only the tracker's id: the saved tracker's phrases are previewed, as a page.
Rendered fresh every time (never kept: stored detections change without a tracker changing).
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from accounts.permissions import require_perm
from resources.converters import ApiIdConverter
from symbl_admin.htmx import render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import (
    ExtensionNotSupported,
    ManagementAPIError,
    NotFound,
    ValidationFailed,
)
from trackers.forms import TrackerForm

from .across import READ_MESSAGES, draft_preview

VIEW = "accounts.view_trackers"
TEMPLATE = "tester/across.html"
NOT_OFFERED = "Not shown: this Management API server does not offer the preview extension (/v1/x)."


TRACKER_ID = re.compile(ApiIdConverter.regex)


def _draft(request: HttpRequest, client, tracker_id: str | None) -> tuple[list[str], list[str]]:
    """(phrases, phrases to ignore): as typed, or the saved tracker's when none were sent.

    Raises: NotFound, ManagementAPIError."""
    if "phrases" in request.POST or not tracker_id:
        values = TrackerForm(request.POST).values()
        return values["vocabulary"], values["excludeVocabulary"]
    saved = client.trackers.get(tracker_id)
    return list(saved.vocabulary), list(saved.exclude_vocabulary)


@require_POST
@require_perm(VIEW)
def across(request: HttpRequest) -> HttpResponse:
    """The draft's hits across stored conversations (and, editing, what changes)."""
    tracker_id = (request.POST.get("tracker") or "").strip() or None
    may_read = request.user.has_perm(READ_MESSAGES)
    context: dict = {"may_read": may_read, "tracker_id": tracker_id or ""}
    if tracker_id is not None and not TRACKER_ID.fullmatch(tracker_id):
        context.update(tracker_id="", invalid="The tracker's id is not one the API gives.")
        return render_page_or_partial(request, TEMPLATE, "across-results", context)
    client = get_client()
    try:
        vocabulary, excluded = _draft(request, client, tracker_id)
        context["phrases"] = vocabulary
        if not vocabulary:
            context["no_phrases"] = True
        else:
            context["preview"] = draft_preview(
                client=client,
                vocabulary=vocabulary,
                exclude_vocabulary=excluded,
                tracker_id=tracker_id,
                may_read=may_read,
            )
    except ExtensionNotSupported:
        context["not_offered"] = NOT_OFFERED
    except ValidationFailed as error:
        context["invalid"] = error.message
    except NotFound:
        context["api_error"] = {
            "title": "No such tracker.",
            "message": "It may have been deleted; nothing was previewed.",
        }
    except ManagementAPIError as error:
        context["api_error"] = error
    return render_page_or_partial(request, TEMPLATE, "across-results", context)
