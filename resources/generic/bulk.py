"""The generic bulk-action view (Django admin's actions, NetBox's bulk edit): the list's form
posts the ticked rows and an action; each object is written through the single-object
services (resources/bulk.py). Delete asks first, on a page naming the count. A refusal of
any row shows the list again, those rows named and the selection still ticked.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from accounts.permissions import check_perm
from audit.services import AuditContext
from resources import bulk, objects
from resources.forms import BulkForm
from resources.listing import ListQuery
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .lists import ObjectListView, export_response

EXPORTS = {"export_csv": "csv", "export_json": "json"}


class ObjectBulkView(ObjectListView):
    """POST only: the action's own permission is checked before anything else is read."""

    http_method_names = ["post"]
    title = "{noun} list"

    def post(self, request: HttpRequest) -> HttpResponse:
        r = self.r
        action = request.POST.get("action", "")
        if action in bulk.BULK_ACTIONS:
            check_perm(request, r.perm(bulk.BULK_ACTIONS[action][1]))
        form = BulkForm(request.POST, actions=bulk.offered(r, request.user), max_ids=bulk.MAX_IDS)
        query = self.back_query(request)
        if not form.is_valid():
            return self.show_list(query, selected=form.ids, bulk_form=form, status=400)
        everything = objects.listed(client=get_client(), resource=r)
        found = {o.id: o for o in everything}
        chosen = [found[i] for i in form.ids if i in found]
        gone = [{"id": i, "name": f"ID {i}"} for i in form.ids if i not in found]
        if action in EXPORTS:
            if not chosen:
                form.add_error(None, f"None of the selected {r.plural} exist any more.")
                return self.show_list(query, selected=form.ids, bulk_form=form, status=400)
            order = r.sort_keys[r.default_sort]
            return export_response(request, r, EXPORTS[action], sorted(chosen, key=order))
        if action == "delete" and not form.cleaned_data["confirmed"]:
            return self.confirm(request, form, query, chosen, gone)
        ctx = AuditContext.from_request(request, reason=form.cleaned_data["reason"])
        if action == "delete":
            report = bulk.bulk_delete(client=get_client(), resource=r, objects=chosen, ctx=ctx)
            report.unchanged += [{**g, "reason": "it was already deleted"} for g in gone]
        else:
            report = bulk.bulk_categories(
                client=get_client(),
                resource=r,
                objects=chosen,
                category=form.cleaned_data["category"],
                add=action == "add_category",
                ctx=ctx,
            )
            report.failed += [{**g, "reason": "it was deleted meanwhile."} for g in gone]
        done = summary(r, action, form.cleaned_data["category"], report)
        if report.failed:
            # The list again, the failed rows named and the whole selection still ticked.
            return self.show_list(
                query, selected=form.ids, bulk_report=report, bulk_done=done, status=200
            )
        messages.success(request, done)
        return redirect(query.url(r.url("list")))

    def back_query(self, request: HttpRequest) -> ListQuery:
        """The list the form was sent from (its search, filters, sort and page)."""
        back = QueryDict(request.POST.get("back", "").lstrip("?")[:2000])
        r = self.r
        return ListQuery.from_params(back, sort_keys=list(r.sort_keys), filter_keys=list(r.filters))

    def show_list(self, query: ListQuery, *, selected, status: int, **extra) -> HttpResponse:
        """The list page (never kept: a POST's answer), the selection ticked."""
        try:
            everything, failure = objects.listed(client=get_client(), resource=self.r), None
        except ManagementAPIError as exc:  # shown as the list's own error box
            everything, failure = None, exc
        context = self.list_context(query, everything, failure, selected=set(selected), **extra)
        if failure is not None:  # "Try again" reads the list, not this POST-only address
            context["retry_url"] = query.url(self.r.url("list"))
        return render(self.request, self.template, context, status=status)

    def confirm(self, request, form, query, chosen, gone) -> HttpResponse:
        """The delete confirmation: every object by name, and the count."""
        context = self.base_context(
            chosen=chosen,
            gone=gone,
            count=len(chosen),
            form=form,
            back=query.url(""),
            list_url=query.url(self.r.url("list")),
        )
        return render(request, "generic/object_bulk_delete.html", context)


def summary(r, action: str, category: str, report: bulk.BulkReport) -> str:
    """What was done, in one sentence: "2 trackers deleted; 1 was already deleted."."""
    n = len(report.done)
    things = f"{n} {r.noun if n == 1 else r.plural}"
    if action == "delete":
        said = f"{things} deleted."
    elif action == "add_category":
        said = f"Category “{category}” added to {things}."
    else:
        said = f"Category “{category}” removed from {things}."
    if report.unchanged:
        u = len(report.unchanged)
        if action == "delete":
            said += f" {u} {'was' if u == 1 else 'were'} already deleted."
        else:
            state = "had it" if action == "add_category" else "did not have it"
            said += f" {u} already {state}."
    return said
