"""Generic import: upload or paste, a preview that says what every row would do (create,
update with its diff, unchanged, conflict, refused: resources/import_plan.py), then the run
(creates in bulk calls, updates one by one through the update service) with visible progress
(one chunk per htmx request) and a report that also names the rows the preview skipped."""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import check_perm
from audit.services import AuditContext
from resources import import_plan, jsontext, services
from resources.forms import ImportForm
from resources.importing import ImportFormatError
from symbl_admin.htmx import redirect_after_write, render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .base import ResourceView

TEMPLATE = "generic/object_import.html"
UPDATES_PER_STEP = 10
UPDATE_NOTE = "Updated by an import"
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")  # an object's fingerprint (types.fingerprint)


class ObjectImportView(ResourceView):
    permission = "import"
    title = "Import {noun}s"
    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_area(request, self.context(form=ImportForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("step") == "run":
            return self.run(request)
        form = ImportForm(request.POST, request.FILES)
        context = self.context(form=form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rows = self.r.parse_import(data["text"], data["format"], data["separator"])
                existing = self.r.api(get_client()).list()
            except ImportFormatError as exc:
                form.add_error(None, str(exc))
            except ManagementAPIError as exc:
                context["api_error"] = exc
            else:
                context.update(self.preview(rows, existing, by=data["match"]))
        return self.render_area(request, context)

    def context(self, **extra) -> dict:
        return self.base_context(
            help_template=f"{self.r.plural}/_import_help.html",
            max_objects=self.r.spec.max_objects,
            **extra,
        )

    def preview(self, rows: list, existing: list, *, by: str) -> dict:
        r = self.r
        import_plan.match(rows, existing, noun=r.noun, by=by)
        r.validate_import(rows, existing)
        planned = import_plan.plan(rows, r)
        if not self.request.user.has_perm(r.perm("change")):
            for p in planned:
                if p.kind == import_plan.UPDATE:
                    p.kind = import_plan.REFUSED
                    p.row.errors.append(f"You may not change existing {r.plural}.")
        creates = [p.row.as_item() for p in planned if p.kind == import_plan.CREATE]
        updates = [
            {"id": p.row.target.id, "fingerprint": p.row.target.fingerprint, "data": p.data}
            for p in planned
            if p.kind == import_plan.UPDATE
        ]
        skipped = [
            {"name": p.row.name or f"({p.row.line})", "reason": " ".join(p.row.errors)}
            for p in planned
            if p.kind in (import_plan.REFUSED, import_plan.CONFLICT)
        ]
        counts = import_plan.counts(planned)
        return {
            "rows": [
                {"row": p.row, "plan": p, "summary": r.summary(p.data or p.row.as_item())}
                for p in planned
            ],
            "read_as": getattr(rows, "read_as", ""),
            "counts": counts,
            "valid_count": len(creates) + len(updates),
            "create_count": len(creates),
            "update_count": len(updates),
            "invalid_count": len(skipped),
            "existing_count": len(existing),
            "payload": json.dumps(creates, ensure_ascii=False),
            "updates_json": json.dumps(updates, ensure_ascii=False),
            "skipped_json": json.dumps(skipped, ensure_ascii=False),
        }

    def posted_state(self, request: HttpRequest):
        """(items, report, total) carried by the run's form, or None when damaged."""
        try:
            remaining = jsontext.parse(request.POST.get("payload", "[]"))
            report = services.ImportReport(
                created=jsontext.parse(request.POST.get("created", "[]")),
                failed=jsontext.parse(request.POST.get("failed", "[]")),
                skipped=jsontext.parse(request.POST.get("skipped", "[]")),
                updated=jsontext.parse(request.POST.get("updated", "[]")),
            )
            total = int(request.POST.get("total") or len(remaining))
            items = [self.r.editable(item) for item in remaining]
            updates = self.posted_updates(request.POST.get("updates", "[]"))
        except (ValueError, TypeError, AttributeError, KeyError):
            return None
        lists = (remaining, report.created, report.failed, report.skipped, report.updated)
        if None in items or updates is None or not all(isinstance(x, list) for x in lists):
            return None
        return items, updates, report, total

    def posted_updates(self, text: str) -> list[dict] | None:
        """The preview's updates, each checked to be writable and to carry the version the
        preview saw (so the run's conflict check cannot be skipped), or None when damaged."""
        updates = jsontext.parse(text)
        if not isinstance(updates, list):
            return None
        checked = [
            {"id": u["id"], "fingerprint": u["fingerprint"], "data": self.r.editable(u["data"])}
            for u in updates
        ]
        for u in checked:
            if u["data"] is None or not _FINGERPRINT.fullmatch(str(u["fingerprint"])):
                return None
            if not isinstance(u["id"], str) or not u["id"].strip():
                return None
        return checked

    def render_area(self, request: HttpRequest, context: dict) -> HttpResponse:
        return render_page_or_partial(request, TEMPLATE, "import-area", context)

    def run(self, request: HttpRequest) -> HttpResponse:
        """Send previewed items, one bulk call per step: htmx requests send one chunk each
        (the page shows progress and asks for the next); plain requests send everything."""
        r = self.r
        state = self.posted_state(request)
        if state is None:
            messages.error(
                request, "The import could not continue: its data was damaged. Start again."
            )
            return redirect_after_write(request, r.url("import"))
        items, updates, report, total = state
        if updates:
            check_perm(request, r.perm("change"))
        chunks = services.import_chunks(items)
        client = get_client()
        sent = 1 if request.htmx else len(chunks)
        ctx = AuditContext.from_request(request)
        for chunk in chunks[:sent]:
            services.import_chunk(client=client, resource=r, items=chunk, ctx=ctx, report=report)
        left = [item for chunk in chunks[sent:] for item in chunk]
        # Updates after the creates, a few per htmx step (each is a read and a write).
        now = ([] if chunks else updates[:UPDATES_PER_STEP]) if request.htmx else updates
        ctx = AuditContext.from_request(request, reason=UPDATE_NOTE)
        services.import_updates(client=client, resource=r, updates=now, ctx=ctx, report=report)
        later = updates[len(now) :]
        context = self.context(
            report=report,
            total=total,
            done_count=len(report.created) + len(report.updated) + len(report.failed),
            payload=json.dumps(left, ensure_ascii=False),
            updates_json=json.dumps(later, ensure_ascii=False),
            created_json=json.dumps(report.created, ensure_ascii=False),
            updated_json=json.dumps(report.updated, ensure_ascii=False),
            failed_json=json.dumps(report.failed, ensure_ascii=False),
            skipped_json=json.dumps(report.skipped, ensure_ascii=False),
            finished=not left and not later,
        )
        if request.htmx:
            return render(request, "components/import_progress.html", context)
        return render(request, TEMPLATE, context)
