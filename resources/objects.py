"""Read layer over any resource (core.resource.Resource): what a list, a detail page or an
export shows, from one upstream call per page view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from symbl_admin.caching import Layer, keys
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


_selections = Layer(
    "selections",
    size=64,
    saves="a search, filter and sort of the whole list, for the pages and partials of one query",
    miss="searching 25,000 phrases or sorting 500 names: a few ms",
)


def _selection(resource: Resource, objects: list, query: ListQuery) -> tuple[list, dict]:
    """(the objects the query selects, in its order; each filter's choices). A function of
    the list and the query, so kept under the list's ETag (its stamp; the same ETag is
    the same list): a search reads 25,000 phrases, a sort 500 names. What is kept is the
    selected objects' positions in the list, never the objects: a kept selection must not
    hold an old version of the account in memory."""
    etag = getattr(objects, "stamp", "")
    asked = (query.q.casefold(), tuple(sorted(query.filters.items())), query.sort, query.desc)

    def select() -> tuple[tuple[int, ...], dict]:
        where = {id(o): i for i, o in enumerate(objects)}
        selected = search_sort(
            filtered(resource, objects, query.filters),
            query,
            matches=resource.matches,
            sort_keys=resource.sort_keys,
        )
        choices = {name: f.choices(objects) for name, f in resource.filters.items()}
        return tuple(where[id(o)] for o in selected), choices

    if etag:
        key = keys.derive("selections", resource.noun, etag, asked)
        positions, choices = _selections.get(key, select)
    else:
        positions, choices = select()
    return [objects[i] for i in positions], choices


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
