"""Generic list and export views: search, sort and paging in the URL; exports of the same
selection as JSON (re-importable) or CSV, with ids and a dated file name."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html_join

from symbl_admin.audit.standings import review_states
from symbl_admin.core import objects
from symbl_admin.core.exports import csv_response, json_response
from symbl_admin.core.listing import PER_PAGE_CHOICES, ListQuery
from symbl_admin.core.resource import Resource
from symbl_admin.htmx import render_page_or_partial
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .base import ResourceView

ROWS_KEPT = 2048  # per resource: four pages of the largest size, each for a few searches
_row_makers: dict[int, Callable] = {}


def _row_maker(r: Resource) -> Callable:
    """(obj, url, review, q) → the row's HTML, remembered: a row is a function of these alone
    (objects and standings are frozen values, compared field by field, so a changed object
    or a new review makes a new row), and rendering fifty of them was most of a list page."""
    maker = _row_makers.get(id(r))
    if maker is None:

        @functools.lru_cache(maxsize=ROWS_KEPT)
        def maker(obj, url: str, review, q: str) -> str:
            row = {"obj": obj, "url": url, "review": review, **r.list_row(obj, q)}
            return r.row_html(row, q)

        _row_makers[id(r)] = maker
    return maker


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
            query = parsed()
            found = self.base_context(
                query=query,
                base_url=base_url,
                table_id=f"{r.noun}-table",
                table_target=f"#{r.noun}-table",
                # As text: an int in a template is localised, six times a page.
                per_page_options=[(str(n), n == query.per_page) for n in PER_PAGE_CHOICES],
            )
            if failure is not None:
                return {**found, "api_error": failure, "retry_url": request.get_full_path()}
            result = objects.object_list(everything, resource=r, query=query, base_url=base_url)
            return {**found, **self._listed(result, query)}

        # Kept whole (core/kept_pages.py) under the list's ETag and what the viewer may do: the
        # address names the query, so a kept page is neither parsed, searched nor cut again.
        etag = getattr(everything, "stamp", "")
        can = tuple(sorted(r.abilities(request.user).items()))
        shows = (r.noun, etag, can) if etag else None
        return render_page_or_partial(request, self.template, "object-table", context, shows=shows)

    def _listed(self, result: objects.ObjectList, query: ListQuery) -> dict:
        r = self.r
        reviews = review_states(object_type=r.noun, object_ids=[o.id for o in result.page.items])
        detail_url = r.url_for_each("detail")
        row = _row_maker(r)
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
                    (row(obj, detail_url(obj.id), reviews[obj.id], query.q),)
                    for obj in result.page.items
                ),
            ),
            "export_query": query.url("", page=1),
        }


class ObjectExportView(ResourceView):
    """Every object matching ?q=, as a JSON list or a CSV file."""

    format = "json"
    title = "Export {noun}s"

    def get(self, request: HttpRequest) -> HttpResponse:
        r = self.r
        query = ListQuery.from_params(request.GET, sort_keys=[], filter_keys=list(r.filters))
        found = objects.object_search(
            client=get_client(), resource=r, q=query.q, filters=query.filters
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        filename = f"{r.plural}-{stamp}.{self.format}"
        if self.format == "json":
            return json_response([{"id": o.id, **o.to_api()} for o in found], filename)
        rows = ((o.id, *row) for o in found for row in r.csv_rows(o))
        return csv_response(["id", *r.csv_columns], rows, filename)
