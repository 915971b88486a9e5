"""Generic list and export views: search, sort and paging in the URL; exports of the same
selection as JSON (re-importable) or CSV, with ids and a dated file name."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html_join

from resources import objects
from resources.bulk import BULK_ACTIONS, offered
from resources.import_plan import version_of
from resources.listing import PER_PAGE_CHOICES, ListQuery
from resources.resource import Resource
from review.standings import review_states
from symbl_admin.caching import Layer
from symbl_admin.exports import json_response, table_response
from symbl_admin.htmx import render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .base import ResourceView


def _row(r: Resource, obj, url: str, review, q: str, selected: bool = False) -> str:
    """One row's HTML (the resource's row_html escapes every value): a function of the object
    (every field, unknown ones too), its address, its review standing, the search, the zone
    its badge's time is written in and whether its checkbox is ticked (a selection a bulk
    action kept), kept under them."""

    def made() -> str:
        row = {"obj": obj, "url": url, "review": review, "selected": selected}
        return r.row_html({**row, **r.list_row(obj, q)}, q)

    zone = timezone.get_current_timezone_name()
    return _rows.get((r.noun, obj, url, review, q, zone, selected), made)


_rows = Layer(
    "rows",
    size=512,
    saves="a list row whose object, standing and search are unchanged: after another client "
    "changes one tracker, 49 of a page's 50 rows",
    miss="building the row: its cells, chips and badge (about 50 µs)",
)


class ObjectListView(ResourceView):
    """The list page, or only its table (partial "object-table") for htmx."""

    template = "generic/object_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        r = self.r
        base_url = r.url("list")

        def parsed() -> ListQuery:
            return ListQuery.from_params(
                request.GET, sort_keys=list(r.sort_keys), filter_keys=list(r.filters)
            )

        if not request.htmx and any(value == "" for value in request.GET.values()):
            # A plain form sends its empty fields too (?q=&per_page=50): keep URLs canonical.
            return redirect(parsed().url(base_url))
        try:
            everything, failure = objects.listed(client=get_client(), resource=r), None
        except ManagementAPIError as exc:
            everything, failure = None, exc

        def context() -> dict:  # what rendering needs: not asked for when the page is kept
            return self.list_context(parsed(), everything, failure)

        # Kept whole (caching/pages.py) under the list's ETag: the address names the query, so
        # a kept page is neither parsed, searched nor cut again.
        etag = getattr(everything, "stamp", "")
        versions = (r.noun, etag) if etag else None
        return render_page_or_partial(
            request, self.template, "object-table", context, versions=versions
        )

    def list_context(
        self, query: ListQuery, everything, failure, *, selected=frozenset(), **extra
    ) -> dict:
        """The list page's context for `query`; `selected`: the ids whose boxes are ticked
        (a selection a bulk action kept); `extra`: the bulk action's errors or report."""
        r, base_url = self.r, self.r.url("list")
        found = self.base_context(
            query=query,
            base_url=base_url,
            table_id=f"{r.noun}-table",
            table_target=f"#{r.noun}-table",
            # As text: an int in a template is localised, six times a page.
            per_page_options=[(str(n), n == query.per_page) for n in PER_PAGE_CHOICES],
            bulk_actions=[(a, BULK_ACTIONS[a][0]) for a in offered(r, self.request.user)],
            bulk_back=query.url(""),
            **extra,
        )
        if failure is not None:
            return {**found, "api_error": failure, "retry_url": self.request.get_full_path()}
        result = objects.object_list(everything, resource=r, query=query, base_url=base_url)
        return {**found, **self._listed(result, query, selected)}

    def _listed(self, result: objects.ObjectList, query: ListQuery, selected) -> dict:
        r = self.r
        reviews = review_states(object_type=r.noun, object_ids=[o.id for o in result.page.items])
        url = r.url_for_each("detail")
        return {
            "page": result.page,
            "total": result.total,
            "filters": [
                {
                    "key": key,
                    "spec": spec,
                    "choices": result.choices[key],
                    "selected": query.filters.get(key, ""),
                }
                for key, spec in r.filters.items()
                if result.choices[key] or key in query.filters
            ],
            "header": r.columns.header(query, r.url("list")),
            "rows": format_html_join(
                "\n  ",
                "{}",
                (
                    (_row(r, obj, url(obj.id), reviews[obj.id], query.q, obj.id in selected),)
                    for obj in result.page.items
                ),
            ),
            "export_query": query.url("", page=1),
            "page_ids": [obj.id for obj in result.page.items],
            "selected_count": sum(obj.id in selected for obj in result.page.items),
            "category_choices": result.choices.get("category", []),
        }


class ObjectExportView(ResourceView):
    """Every object matching ?q=, as a JSON list, a CSV file or an .xlsx workbook."""

    format = "json"
    title = "Export {noun}s"

    def get(self, request: HttpRequest) -> HttpResponse:
        r = self.r
        query = ListQuery.from_params(request.GET, sort_keys=[], filter_keys=list(r.filters))
        found = objects.object_search(
            client=get_client(), resource=r, q=query.q, filters=query.filters
        )
        return export_response(request, r, self.format, found)


def export_response(request: HttpRequest, r: Resource, fmt: str, found: list) -> HttpResponse:
    """`found` as a JSON list (re-importable), a CSV file or an .xlsx workbook, dated."""
    filename = f"{r.plural}-{timezone.now():%Y%m%d-%H%M%S}"
    # Each object's version goes with it: an import of the file then tells an object changed
    # on the server since (a conflict) from one edited in the file.
    if fmt == "json":
        data = [{"id": o.id, **o.to_api(), "version": version_of(o)} for o in found]
        return json_response(data, f"{filename}.json")
    # A CSV id is marked "#": a spreadsheet reads 16 digits as a number and rounds it to 15;
    # "#5347464590213120" stays text, and the import takes the mark off again. (A workbook's
    # cells are text already.)
    mark = "#" if fmt == "csv" else ""
    rows = [(mark + o.id, version_of(o), *row) for o in found for row in r.csv_rows(o)]
    header = ["id", "version", *r.csv_columns]
    return table_response(request, fmt, header, rows, filename=filename)
