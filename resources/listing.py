"""Shared list machinery for screens over Management API data: search, sort, paging, URLs.

The API has no search, sorting or paging, so a list view reads everything once and does
these in memory; the URL keeps the state so reload, back and sharing work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar
from urllib.parse import urlencode

T = TypeVar("T")

PER_PAGE_CHOICES = (25, 50, 100)


@dataclass(frozen=True)
class ListQuery:
    """What a list shows: search text, sort key and direction, page and page size."""

    q: str = ""
    sort: str = "name"
    desc: bool = False
    page: int = 1
    per_page: int = PER_PAGE_CHOICES[0]
    filters: dict[str, str] = field(default_factory=dict)  # e.g. {"category": "sales"}

    @classmethod
    def from_params(
        cls,
        params,
        *,
        sort_keys: Sequence[str],
        default_sort: str = "name",
        filter_keys: Sequence[str] = (),
    ):
        """Parse request.GET leniently: anything unknown falls back to the default."""
        sort = params.get("sort", default_sort)
        desc = sort.startswith("-")
        sort = sort.lstrip("-")
        if sort not in sort_keys:
            sort, desc = default_sort, False
        try:
            page = max(1, int(params.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        try:
            per_page = int(params.get("per_page", PER_PAGE_CHOICES[0]))
        except (TypeError, ValueError):
            per_page = PER_PAGE_CHOICES[0]
        if per_page not in PER_PAGE_CHOICES:
            per_page = PER_PAGE_CHOICES[0]
        filters = {
            key: params.get(key, "").strip()[:200]
            for key in filter_keys
            if params.get(key, "").strip()
        }
        return cls(
            q=params.get("q", "").strip()[:200],
            sort=sort,
            desc=desc,
            page=page,
            per_page=per_page,
            filters=filters,
        )

    @property
    def narrowed(self) -> bool:
        """Whether a search or a filter leaves some objects out."""
        return bool(self.q or self.filters)

    @property
    def sort_param(self) -> str:
        return f"-{self.sort}" if self.desc else self.sort

    def params(self, **overrides: Any) -> dict[str, Any]:
        """Query parameters for a URL, leaving defaults out so URLs stay short."""
        query = replace(self, **overrides) if overrides else self
        out: dict[str, Any] = {}
        if query.q:
            out["q"] = query.q
        out.update(query.filters)
        if query.sort_param != "name":
            out["sort"] = query.sort_param
        if query.per_page != PER_PAGE_CHOICES[0]:
            out["per_page"] = query.per_page
        if query.page != 1:
            out["page"] = query.page
        return out

    def url(self, base: str, **overrides: Any) -> str:
        params = self.params(**overrides)
        return f"{base}?{urlencode(params)}" if params else base

    def sort_url(self, base: str, key: str) -> str:
        """Link for a column header: sorts by key, flipping direction if already sorted by it."""
        desc = not self.desc if self.sort == key else False
        return self.url(base, sort=key, desc=desc, page=1)


def search_sort(
    items: Iterable[T],
    query: ListQuery,
    *,
    matches: Callable[[T, str], bool],
    sort_keys: dict[str, Callable[[T], Any]],
) -> list[T]:
    """The items matching query.q, in query's order."""
    needle = query.q.casefold()
    selected = [item for item in items if not needle or matches(item, needle)]
    selected.sort(key=sort_keys[query.sort], reverse=query.desc)
    return selected
