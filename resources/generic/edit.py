"""The generic half of an editor: saving, refusals at the field, and edit conflicts.

The editors themselves stay with their apps (the phrase editor, the criteria builder), as
NetBox keeps custom edit views beside its generic ones. An app's editor subclasses
ObjectEditView and says how to build its form and its context; the three routes (create,
edit, live check) are this one class.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import check_perm
from audit import selectors as audit_selectors
from audit.selectors import diff_states
from audit.services import AuditContext
from resources import jsontext, services
from resources.writes import EditConflict
from symbl_admin.htmx import redirect_after_write, render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import (
    ManagementAPIError,
    NameTaken,
    NotFound,
    ValidationFailed,
)

from .base import ResourceView, object_urls, render_screen

MERGED_NOTICE = "Your changes are merged with the current version. Review, then save."


class ObjectEditView(ResourceView):
    """Create (no id), edit (an id) and, with check=True, the live check (POST only)."""

    http_method_names: ClassVar[list[str]] = ["get", "post"]
    template: ClassVar[str] = ""  # the editor's page, e.g. "trackers/tracker_form.html"
    partial: ClassVar[str] = ""  # its form region: partialdef name == element id
    check_partial: ClassVar[str] = ""  # the live check's region
    check: bool = False  # as_view(check=True) serves the live check
    title = "Edit {noun}"

    # ---- what an editor says

    def new_form(self, data=None, obj=None):
        """A form: bound to `data`, or filled from `obj`, or empty."""
        raise NotImplementedError

    def form_context(self, form, **extra: Any) -> dict[str, Any]:
        """The editor's own context (added to the generic one)."""
        return extra

    def builder_action(self, form):
        """The editor's own buttons (e.g. add a row): (new form, notice) or None to save."""
        return None

    # ---- the generic half

    def check_permission(self, request: HttpRequest) -> None:
        if self.check:
            user = request.user
            if not (user.has_perm(self.r.perm("add")) or user.has_perm(self.r.perm("change"))):
                check_perm(request, self.r.perm("add"))
            return
        check_perm(request, self.r.perm("change" if self.kwargs.get("object_id") else "add"))

    def get(self, request: HttpRequest, object_id: str | None = None) -> HttpResponse:
        if self.check:
            return self.http_method_not_allowed(request)
        obj = self.get_object(object_id) if object_id else None
        return self.render_form(self.new_form(obj=obj), obj=obj)

    def post(self, request: HttpRequest, object_id: str | None = None) -> HttpResponse:
        form = self.new_form(data=request.POST)
        if self.check:
            return self.live_check(form)
        # The object as the user opened it (no read: a deleted object keeps the typed work).
        base = _json(request.POST.get("base"))
        name = base.get("name", "") if isinstance(base, dict) else ""
        obj = {"id": object_id, "name": name} if object_id else None
        handled = self.builder_action(form)
        if handled is not None:
            form, notice = handled
            return self.render_form(form, obj=obj, notice=notice)
        if request.POST.get("review"):
            form.is_valid()
            context = self.editor_context(form, obj=obj, notice=MERGED_NOTICE)
            return render_screen(request, self.template, context)
        if not form.is_valid():
            self.add_lookup_errors(form)
            return self.render_form(form, obj=obj)
        values = self.r.editable(form.cleaned_data)
        try:
            saved = self.save(values, form.cleaned_data, object_id)
        except EditConflict as conflict:
            return self.conflict(form, conflict.current, values)
        except ManagementAPIError as exc:
            return self.render_form(form, obj=obj, **self.refusal(form, exc, values["name"]))
        verb = "saved" if object_id else "created"
        messages.success(request, f"{self.r.label} “{saved.name}” {verb}.")
        return redirect_after_write(request, self.r.url("detail", saved.id))

    def save(self, values: dict, cleaned: dict, object_id: str | None):
        """Raises: EditConflict, ManagementAPIError."""
        ctx = AuditContext.from_request(self.request, reason=cleaned.get("reason", ""))
        if object_id is None:
            return services.create(client=get_client(), resource=self.r, data=values, ctx=ctx)
        return services.update(
            client=get_client(),
            resource=self.r,
            object_id=object_id,
            data=values,
            fingerprint=cleaned.get("fingerprint", ""),
            ctx=ctx,
        )

    def refusal(self, form, exc: ManagementAPIError, name: str) -> dict:
        """Put an upstream refusal where the user can act on it; returns extra context."""
        r = self.r
        if isinstance(exc, NameTaken):
            form.add_error(
                "name",
                f"A {r.noun} named “{name}” already exists. Names are case-sensitive; choose "
                f"another name or edit that {r.noun}.",
            )
            return {}
        if isinstance(exc, ValidationFailed):
            form.add_error(None, f"The Management API refused this: {exc.message}")
            return {}
        if isinstance(exc, NotFound):
            exc = NotFound(
                f"This {r.noun} was deleted after you opened it. Copy your work, or restore it "
                f"from the deleted {r.plural}."
            )
        return {"api_error": exc}

    def editor_context(self, form, *, obj=None, **extra: Any) -> dict[str, Any]:
        object_id = obj["id"] if isinstance(obj, dict) else getattr(obj, "id", None)
        action = self.r.url("edit", object_id) if object_id else self.r.url("create")
        context = self.base_context(
            form=form,
            action=action,
            check_url=self.r.url("check"),
            mode="edit" if obj else "create",
            mode_label="edit" if obj else "create",
        )
        context[self.r.noun] = obj
        context.update(self.form_context(form, **extra))
        return context

    def render_form(self, form, *, obj=None, **extra: Any) -> HttpResponse:
        context = self.editor_context(form, obj=obj, **extra)
        return render_page_or_partial(self.request, self.template, self.partial, context)

    def add_lookup_errors(self, form) -> None:
        """An invalid save shows every error at once: the editor adds those that need a look
        upstream (a taken name), which a valid save learns from the API's refusal."""

    def live_check(self, form) -> HttpResponse:
        """While typing: the check region only. Writes nothing."""
        form.is_valid()
        context = self.editor_context(form, **self.check_extra(form))
        return render(self.request, f"{self.template}#{self.check_partial}", context)

    def check_extra(self, form) -> dict[str, Any]:
        """Extra context for the live check (an editor may look upstream here)."""
        return {}

    def conflict(self, form, current, mine: dict) -> HttpResponse:
        """Both versions, what saving mine would change, and three ways out."""
        r = self.r
        now = r.editable(current)
        base = r.editable(_json(form.cleaned_data.get("base"))) or now
        context = self.base_context(
            current=current,
            obj_urls=object_urls(r, current.id),
            action=r.url("edit", current.id),
            form_id=self.partial,
            carry_template=f"{r.plural}/_carry.html",
            mine=mine,
            mine_fields=r.field_rows(mine),
            current_fields=r.field_rows(now),
            merged=r.merge(base, mine, now),
            current_base=json.dumps(now, ensure_ascii=False),
            diff=diff_states(r.noun, now, mine),
            reason=form.cleaned_data.get("reason", ""),
            last_change=change_that_made(r, current),
        )
        return render_screen(self.request, "generic/object_conflict.html", context)


def _json(text: str | None) -> Any:
    return jsontext.parse_or_none(text)


def change_that_made(r, current) -> list:
    """The newest history entry, if it is what made the object as it is now (a list of at
    most one). A change made outside the dashboard has no entry: naming whoever changed it
    before would blame the wrong person, often the user looking at the conflict."""
    history = audit_selectors.object_history(object_type=r.noun, object_id=current.id, limit=1)
    now = r.editable(current)
    return [item for item in history if r.editable(item.effective_after) == now]
