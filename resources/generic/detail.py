"""Generic detail and delete views."""

from __future__ import annotations

import json
from typing import NamedTuple

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

from audit import selectors as audit_selectors
from audit.services import AuditContext
from resources import services
from resources.forms import ReasonForm
from review.standings import review_states
from symbl_admin.caching import Layer, keys, pages
from symbl_admin.htmx import redirect_after_write, wants_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError, NotFound

from .base import ResourceView, object_urls

HISTORY_SHOWN = 5


class ObjectDetailView(ResourceView):
    """One object: its fields in plain words, its extra fields, raw JSON, its history."""

    title = "{noun}"

    def get(self, request: HttpRequest, object_id: str) -> HttpResponse:
        r = self.r
        obj = self.get_object(object_id)
        raw = obj.as_dict()

        def context() -> dict:  # what rendering needs: not asked for when the page is kept
            review = review_states(object_type=r.noun, object_ids=[obj.id])[obj.id]
            values = r.editable(obj) or {}
            return self.base_context(
                obj=obj,
                obj_urls=object_urls(r, obj.id),
                detail_template=f"{r.plural}/_detail.html",
                text_fields=[f for f in r.field_rows(values) if f["kind"] == "text"],
                extras=[
                    {"key": key, "label": r.spec.label(key), "value": value}
                    for key, value in obj.extra.items()
                ],
                raw=raw,
                api_snippet=json.dumps({r.plural: [{"id": obj.id}]}),
                **self._history(request, obj.id, review.touched),
                review=review,
                **r.detail_extra(obj),
            )

        # Kept whole (caching/pages.py) under the object as the server sent it (every field,
        # unknown ones too; its review and history follow from the standings' version, in
        # every page's key), unless a change in its history still waits for its outcome.
        seen = keys.derive("object", r.noun, json.dumps(raw, sort_keys=True, default=str))
        return pages.render(
            request,
            "generic/object_detail.html",
            context,
            versions=(seen,),
            keep=lambda made: made["history_settled"],
        )

    def _history(self, request: HttpRequest, object_id: str, touched: int) -> dict:
        """The latest HISTORY_SHOWN entries (each with its diff: most of the page's cost on an
        object edited often), or with ?history=all the whole history (up to 200), as HTML:
        kept under the object's latest entry (`touched`) once no entry waits for an outcome."""
        r, user = self.r, request.user
        whole = request.GET.get("history") == "all"
        limit = 200 if whole else HISTORY_SHOWN + 1
        context = {
            "object_type": r.noun,
            "can_revert": user.has_perm(r.perm("revert")),
            "revert_base": r.url("detail", object_id) + "revert/",
            "nav": {"audit": user.has_perm("accounts.view_audit")},
        }

        def timeline() -> Timeline:
            items = audit_selectors.object_history(
                object_type=r.noun, object_id=object_id, limit=limit
            )
            more = not whole and len(items) > HISTORY_SHOWN
            shown = items[:HISTORY_SHOWN] if more else items
            html = render_to_string("audit/_history.html", {**context, "history": shown})
            return Timeline(html, len(shown), more, audit_selectors.settled(shown))

        zone = timezone.get_current_timezone_name()
        mine = (context["can_revert"], context["nav"]["audit"], zone)
        key = keys.derive("history-html", r.noun, object_id, limit, touched, mine)
        found = _history_html.get(key, timeline, keep=lambda t: t.settled)
        return {
            "history_html": found.html,
            "history_count": found.count,
            "history_settled": found.settled,
            "history_more_url": f"{request.path}?history=all#history-heading" if found.more else "",
        }


class Timeline(NamedTuple):
    html: str
    count: int  # the entries shown
    more: bool  # the object has more than shown
    settled: bool  # no entry waits for its outcome


_history_html = Layer(
    "history-html",
    size=32,
    saves="a detail page's history as HTML: five diffs of two fifty-phrase lists each",
    miss="rendering up to five diffs: several ms on an object edited often",
)


class ObjectDeleteView(ResourceView):
    """The confirmation (a modal for htmx, a page otherwise) and, on POST, the delete. On
    success the list shows a message that links to restoring it (for those who may)."""

    permission = "delete"
    title = "Delete {noun}"
    http_method_names = ["get", "post"]
    template = "generic/object_delete.html"

    def get(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.confirm(request, self.get_object(object_id), ReasonForm())

    def post(self, request: HttpRequest, object_id: str) -> HttpResponse:
        r = self.r
        obj = self.get_object(object_id)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.confirm(request, obj, form)
        ctx = AuditContext.from_request(request, reason=form.cleaned_data["reason"])
        try:
            services.delete(client=get_client(), resource=r, object_id=obj.id, ctx=ctx)
        except NotFound:
            messages.info(request, f"{r.label} “{obj.name}” was already deleted.")
            return redirect_after_write(request, r.url("list"))
        except ManagementAPIError as exc:
            return self.confirm(request, obj, form, api_error=exc)
        if request.user.has_perm(r.perm("revert")):
            messages.success(
                request,
                format_html(
                    '{} “{}” deleted. <a href="{}">Restore it</a> from deleted {}.',
                    r.label,
                    obj.name,
                    r.url("deleted"),
                    r.plural,
                ),
            )
        else:
            messages.success(request, f"{r.label} “{obj.name}” deleted.")
        return redirect_after_write(request, r.url("list"))

    def confirm(self, request: HttpRequest, obj, form: ReasonForm, **extra) -> HttpResponse:
        context = self.base_context(
            obj=obj,
            obj_urls=object_urls(self.r, obj.id),
            summary=self.r.summary(obj.to_api()),
            form=form,
            **extra,
        )
        if wants_partial(request):
            return render(request, f"{self.template}#delete-dialog", context)
        return render(request, self.template, context)
