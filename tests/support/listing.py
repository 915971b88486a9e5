"""A list's search, sort and page in one call: what the tests of listing read (the views
select with core.objects, then cut the page)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from resources.listing import ListQuery, search_sort
from symbl_admin.paging import Page, cut_page

T = TypeVar("T")


def search_sort_paginate(
    items: Iterable[T],
    query: ListQuery,
    *,
    base_url: str,
    matches: Callable[[T, str], bool],
    sort_keys: dict[str, Callable[[T], Any]],
) -> Page[T]:
    """Filter by query.q with `matches`, sort with `sort_keys[query.sort]`, cut one page."""
    selected = search_sort(items, query, matches=matches, sort_keys=sort_keys)
    return cut_page(selected, query.page, query.per_page, lambda n: query.url(base_url, page=n))
