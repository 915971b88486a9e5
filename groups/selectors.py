"""Groups read layer: everything a screen shows, from one upstream call per page view."""

from __future__ import annotations

from dataclasses import dataclass

from symbl_admin.core.listing import ListQuery, Page, search_sort_paginate
from symbl_admin.management_api.types import Group

from .criteria import describe

SORT_KEYS = {
    "name": lambda g: (g.name.casefold(), g.name),
    "criteria": lambda g: (g.criteria.casefold(), g.name.casefold()),
}


def group_matches(group: Group, needle: str) -> bool:
    """Case-insensitive match over name, description, criteria and its words."""
    return (
        needle in group.name.casefold()
        or needle in group.description.casefold()
        or needle in group.criteria.casefold()
        or needle in describe(group.criteria).casefold()
        or needle in group.id
    )


@dataclass(frozen=True)
class GroupList:
    page: Page[Group]
    total: int


def group_list(*, client, query: ListQuery, base_url: str) -> GroupList:
    """One page of groups matching the query. Raises: ManagementAPIError."""
    groups = client.groups.list()
    page = search_sort_paginate(
        groups, query, base_url=base_url, matches=group_matches, sort_keys=SORT_KEYS
    )
    return GroupList(page=page, total=len(groups))


def group_search(*, client, q: str) -> list[Group]:
    """Every group matching q (all when empty), sorted by name, for exports."""
    needle = q.strip().casefold()
    groups = [g for g in client.groups.list() if not needle or group_matches(g, needle)]
    return sorted(groups, key=SORT_KEYS["name"])


def group_get(*, client, group_id: str) -> Group:
    """One group. Raises: NotFound, ManagementAPIError."""
    return client.groups.get(group_id)
