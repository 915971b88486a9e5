"""Conversations views: the list and one conversation's page. Each checks its permission
first, reads through a selector and picks page or partial. Neither page is kept
(symbl_admin/caching): both are rendered fresh, since what they show (conversations, their
messages and jobs) has no version the dashboard could key on."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.permissions import check_perm
from audit import selectors as audit_selectors
from symbl_admin.htmx import wants_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError, NotFound
from symbl_admin.paging import Page

from . import columns, selectors
from .listing import PER_PAGE_CHOICES, ConversationQuery

VIEW = "accounts.view_conversations"
READ_MESSAGES = "accounts.read_messages"
CHANGE = "accounts.change_conversations"
DELETE = "accounts.delete_conversations"
HISTORY_SHOWN = 10


def _page(found: selectors.ConversationList, query: ConversationQuery, base: str) -> Page:
    """The pagination component's page: numbered when the server gives a total, else only
    previous and next."""
    count = found.total if found.total is not None else 0
    pages = max(1, -(-count // query.per_page)) if found.total is not None else 0
    shown = len(found.conversations)
    return Page(
        items=list(found.conversations),
        number=query.page,
        num_pages=max(pages, query.page + (1 if found.has_next else 0)),
        count=count,
        start_index=query.offset + 1 if shown else 0,
        end_index=query.offset + shown,
        previous_url=query.url(base, page=query.page - 1) if query.page > 1 else "",
        next_url=query.url(base, page=query.page + 1) if found.has_next else "",
    )


@require_safe
def conversation_list(request: HttpRequest) -> HttpResponse:
    """The list page, or only its table (partial "conversation-table") for htmx."""
    check_perm(request, VIEW)
    query = ConversationQuery.from_params(request.GET)
    base = reverse("conversations:list")
    context = {
        "query": query,
        "base_url": base,
        "table_target": "#conversation-table",
        "per_page_options": [(str(n), n == query.per_page) for n in PER_PAGE_CHOICES],
        "clear_url": base,
    }
    try:
        found = selectors.conversation_list(client=get_client(), query=query)
    except NotFound:
        context["group_missing"] = True
    except ManagementAPIError as exc:
        context.update(api_error=exc, retry_url=request.get_full_path())
    else:
        context.update(
            listed=found,
            page=_page(found, query, base),
            header=columns.COLUMNS.header(query, base),
            rows=columns.rows_html(found.conversations, query.q),
        )
    name = "conversations/list.html"
    partial = f"{name}#conversation-table" if wants_partial(request) else name
    response = render(request, partial, context)
    response["Vary"] = "HX-Request"
    return response


def _history_html(request: HttpRequest, conversation_id: str) -> str:
    items = audit_selectors.object_history(
        object_type="conversation", object_id=conversation_id, limit=HISTORY_SHOWN
    )
    return render_to_string(
        "audit/_history.html",
        {
            "history": items,
            "object_type": "conversation",
            "nav": {"audit": request.user.has_perm("accounts.view_audit")},
        },
    )


@require_safe
def conversation_detail(request: HttpRequest, conversation_id: str) -> HttpResponse:
    """One conversation: its messages (for those who may read transcripts) with the trackers
    detected in them highlighted, a per-tracker summary (for everyone who may view it),
    metadata, the groups that contain it, its processing state and its history."""
    check_perm(request, VIEW)
    may_read = request.user.has_perm(READ_MESSAGES)
    job_id = request.GET.get("job", "")[:64]
    try:
        detail = selectors.conversation_detail(
            client=get_client(),
            conversation_id=conversation_id,
            with_messages=may_read,
            job_id=job_id,
        )
    except NotFound:
        raise Http404("No conversation with this id.") from None
    except ManagementAPIError as exc:
        return render(
            request,
            "components/api_error_page.html",
            {
                "api_error": exc,
                "retry_url": request.get_full_path(),
                "title": "Conversation",
                "section_url": reverse("conversations:list"),
                "section_title": "Conversations",
            },
            status=503,
        )
    conversation = detail.conversation
    detections = selectors.conversation_detections(
        client=get_client(),
        conversation_id=conversation.id,
        messages=detail.messages,
        may_read=may_read,
    )
    return render(
        request,
        "conversations/detail.html",
        {
            "detail": detail,
            "detections": detections,
            "conversation": conversation,
            "may_read": may_read,
            "can_change": request.user.has_perm(CHANGE),
            "can_delete": request.user.has_perm(DELETE),
            "history_html": _history_html(request, conversation.id),
            "urls": {
                "list": reverse("conversations:list"),
                "metadata": reverse("conversations:metadata", args=[conversation.id]),
                "delete": reverse("conversations:delete", args=[conversation.id]),
            },
        },
    )
