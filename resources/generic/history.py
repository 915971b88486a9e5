"""Generic views over an object's history: revert to a version, list deleted objects,
restore one. For team leads and admins (the "revert" permission)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from audit import deleted
from audit import selectors as audit_selectors
from audit.selectors import diff_states
from audit.services import AuditContext
from resources import services
from resources.forms import ReasonForm
from resources.writes import EditConflict
from symbl_admin.htmx import redirect_after_write
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError, NameTaken

from .base import ResourceView, object_urls


class ObjectRevertView(ResourceView):
    """What reverting to a history entry's version would change, and the revert itself.
    The difference is always from the version read last, also after an edit conflict."""

    permission = "revert"
    title = "Revert {noun}"
    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, object_id: str, entry_id: int) -> HttpResponse:
        obj = self.get_object(object_id)
        return self.confirm(request, obj, self.version(obj.id, entry_id), ReasonForm())

    def post(self, request: HttpRequest, object_id: str, entry_id: int) -> HttpResponse:
        r = self.r
        obj = self.get_object(object_id)
        version = self.version(obj.id, entry_id)
        target = r.editable(version.effective_after)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            kept = request.POST.get("fingerprint") or obj.fingerprint
            return self.confirm(request, obj, version, form, fingerprint=kept)
        if r.editable(obj) == target:
            # Already that version (someone else got there first): nothing to write or lose.
            messages.info(
                request, f"{r.label} “{obj.name}” is already that version: nothing changed."
            )
            return redirect_after_write(request, r.url("detail", obj.id))
        try:
            updated = services.update(
                client=get_client(),
                resource=r,
                object_id=obj.id,
                data=target,
                fingerprint=request.POST.get("fingerprint", ""),
                ctx=AuditContext.from_request(request, reason=form.cleaned_data["reason"]),
                action="revert",
            )
        except EditConflict as conflict:
            notice = f"The {r.noun} changed while you were looking. Check the difference again."
            return self.confirm(request, conflict.current, version, form, notice=notice)
        except ManagementAPIError as exc:
            return self.confirm(request, obj, version, form, api_error=exc)
        messages.success(request, f"{r.label} “{updated.name}” reverted.")
        return redirect_after_write(request, r.url("detail", updated.id))

    def version(self, object_id: str, entry_id: int):
        """The history item that made the version (its state, time and author).
        Raises: Http404."""
        item = audit_selectors.version_item(
            object_type=self.r.noun, object_id=object_id, entry_id=entry_id
        )
        if item is None or self.r.editable(item.effective_after) is None:
            raise Http404(f"No such version of this {self.r.noun}.")
        return item

    def confirm(self, request, obj, version, form, **extra) -> HttpResponse:
        r = self.r
        target = r.editable(version.effective_after)
        extra.setdefault("fingerprint", obj.fingerprint)
        context = self.base_context(
            obj=obj,
            obj_urls=object_urls(r, obj.id),
            target=target,
            target_summary=r.summary(target),
            version=version,
            form=form,
            diff=diff_states(r.noun, r.editable(obj), target),
            **extra,
        )
        return render(request, "generic/object_revert.html", context)


class DeletedListView(ResourceView):
    """Objects deleted from this dashboard, from the audit log, ready to restore."""

    permission = "revert"

    def get(self, request: HttpRequest) -> HttpResponse:
        r = self.r
        rows = [
            {"item": item, "summary": r.summary(item.state)}
            for item in deleted.deleted_objects(object_type=r.noun)
            if r.editable(item.state) is not None
        ]
        return render(request, "generic/object_deleted.html", self.base_context(rows=rows))


class RestoreView(ResourceView):
    """Create a deleted object again from its last known state (it gets a new id)."""

    permission = "revert"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, object_id: str) -> HttpResponse:
        r = self.r
        state = audit_selectors.last_known_state(object_type=r.noun, object_id=object_id)
        if r.editable(state) is None:
            raise Http404(f"Nothing is known about this {r.noun}.")
        name = state.get("name")
        ctx = AuditContext.from_request(request)
        try:
            obj = services.restore(client=get_client(), resource=r, state=state, ctx=ctx)
        except NameTaken:
            messages.error(
                request,
                f"Cannot restore “{name}”: another {r.noun} has that name now. "
                "Rename or delete that one first.",
            )
        except ManagementAPIError as exc:
            messages.error(request, f"Could not restore “{name}”: {exc.user_message}")
        else:
            messages.success(request, f"{r.label} “{obj.name}” restored (its new id is {obj.id}).")
            return redirect_after_write(request, r.url("detail", obj.id))
        return redirect_after_write(request, r.url("deleted"))
