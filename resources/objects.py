"""Read layer over any resource (core.resource.Resource): what a list, a detail page or an
export shows, from one upstream call per page view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from symbl_admin.paging import Page, cut_page

from .listing import ListQuery, search_sort
from .resource import Resource


@dataclass(frozen=True)
class ObjectList:
    page: Page
    total: int  # objects in the account, before the search
    choices: dict[str, list[tuple[str, str]]]  # filter key → [(value, words)] in the account


def filtered(resource: Resource, objects: list, filters: dict[str, str]) -> list:
    """The objects that have every filter's value (?category=sales&language=en-US)."""
    for key, value in filters.items():
        spec = resource.filters.get(key)
        if spec is not None:
            objects = [o for o in objects if value in spec.values(o)]
    return objects


def listed(*, client, resource: Resource) -> list:
    """Every object, in the page view's one upstream call: a `kept.Stamped` list (its stamp
    the list's ETag, "" without one). Raises: ManagementAPIError."""
    return resource.api(client).list()


def object_list(
    objects: list, *, resource: Resource, query: ListQuery, base_url: str
) -> ObjectList:
    """One page of the `listed()` objects matching the query."""
    selected, choices = _selection(resource, objects, query)
    page = cut_page(selected, query.page, query.per_page, lambda n: query.url(base_url, page=n))
    return ObjectList(page=page, total=len(objects), choices=choices)


def _selection(resource: Resource, objects: list, query: ListQuery) -> tuple[list, dict]:
    """(the objects the query selects, in its order; each filter's choices). Computed on
    every page that is rendered: a kept page is answered before it is asked, and a kept
    selection was asked by 1% of the pages `make bench` rendered (it held old lists too)."""
    selected = search_sort(
        filtered(resource, objects, query.filters),
        query,
        matches=resource.matches,
        sort_keys=resource.sort_keys,
    )
    return selected, {name: f.choices(objects) for name, f in resource.filters.items()}


def object_search(
    *, client, resource: Resource, q: str, filters: dict[str, str] | None = None
) -> list[Any]:
    """Every object matching q and the filters (all of them when none), in the default
    order, for exports. Raises: ManagementAPIError."""
    needle = q.strip().casefold()
    objects = filtered(resource, resource.api(client).list(), filters or {})
    found = [o for o in objects if not needle or resource.matches(o, needle)]
    return sorted(found, key=resource.sort_keys[resource.default_sort])


def object_get(*, client, resource: Resource, object_id: str) -> Any:
    """One object. Raises: NotFound, ManagementAPIError."""
    return resource.api(client).get(object_id)


def name_taken(*, client, resource: Resource, name: str, except_id: str = "") -> bool:
    """Whether another object already has exactly this name (names are case-sensitive).
    Raises: ManagementAPIError."""
    api = resource.api(client)
    finder = getattr(api, "find_by_name", None)
    found = [finder(name)] if finder else [o for o in api.list() if o.name == name]
    return any(o is not None and o.name == name and o.id != except_id for o in found)
