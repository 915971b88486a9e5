"""Generic import: upload or paste, a preview that marks every row, then the run in bulk
calls with visible progress (one chunk per htmx request) and a report that also names the
rows the preview skipped."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.services import AuditContext
from resources import jsontext, services
from resources.forms import ImportForm
from resources.importing import ImportFormatError
from symbl_admin.htmx import redirect_after_write, render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .base import ResourceView

TEMPLATE = "generic/object_import.html"


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
            try:
                rows = self.r.parse_import(form.cleaned_data["text"], form.cleaned_data["format"])
                existing = self.r.api(get_client()).list()
            except ImportFormatError as exc:
                form.add_error(None, str(exc))
            except ManagementAPIError as exc:
                context["api_error"] = exc
            else:
                context.update(self.preview(rows, existing))
        return self.render_area(request, context)

    def context(self, **extra) -> dict:
        return self.base_context(
            help_template=f"{self.r.plural}/_import_help.html",
            max_objects=self.r.spec.max_objects,
            **extra,
        )

    def preview(self, rows: list, existing: list) -> dict:
        self.r.validate_import(rows, existing)
        valid = [row.as_item() for row in rows if row.valid]
        skipped = [
            {"name": row.name or f"({row.line})", "reason": " ".join(row.errors)}
            for row in rows
            if not row.valid
        ]
        return {
            "rows": [{"row": row, "summary": self.r.summary(row.as_item())} for row in rows],
            "valid_count": len(valid),
            "invalid_count": len(skipped),
            "existing_count": len(existing),
            "payload": json.dumps(valid, ensure_ascii=False),
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
            )
            total = int(request.POST.get("total") or len(remaining))
            items = [self.r.editable(item) for item in remaining]
        except (ValueError, TypeError, AttributeError):
            return None
        lists = (remaining, report.created, report.failed, report.skipped)
        if None in items or not all(isinstance(x, list) for x in lists):
            return None
        return items, report, total

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
        items, report, total = state
        chunks = services.import_chunks(items)
        ctx = AuditContext.from_request(request)
        client = get_client()
        sent = 1 if request.htmx else len(chunks)
        for chunk in chunks[:sent]:
            services.import_chunk(client=client, resource=r, items=chunk, ctx=ctx, report=report)
        left = [item for chunk in chunks[sent:] for item in chunk]
        context = self.context(
            report=report,
            total=total,
            done_count=len(report.created) + len(report.failed),
            payload=json.dumps(left, ensure_ascii=False),
            created_json=json.dumps(report.created, ensure_ascii=False),
            failed_json=json.dumps(report.failed, ensure_ascii=False),
            skipped_json=json.dumps(report.skipped, ensure_ascii=False),
            finished=not left,
        )
        if request.htmx:
            return render(request, "components/import_progress.html", context)
        return render(request, TEMPLATE, context)
