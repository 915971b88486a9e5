"""Trackers read layer: everything a screen shows, from one upstream call per page view."""

from __future__ import annotations

from dataclasses import dataclass

from symbl_admin.core.listing import ListQuery, Page, search_sort_paginate
from symbl_admin.management_api.types import Tracker

SORT_KEYS = {
    "name": lambda t: (t.name.casefold(), t.name),
    "phrases": lambda t: (len(t.vocabulary), t.name.casefold()),
}


def tracker_matches(tracker: Tracker, needle: str) -> bool:
    """Case-insensitive match over the name and every phrase (needle already casefolded)."""
    if needle in tracker.name.casefold() or needle in tracker.id:
        return True
    return any(needle in phrase.casefold() for phrase in tracker.vocabulary)


@dataclass(frozen=True)
class TrackerList:
    page: Page[Tracker]
    total: int  # trackers in the account, before the search


def tracker_list(*, client, query: ListQuery, base_url: str) -> TrackerList:
    """One page of trackers matching the query. Raises: ManagementAPIError."""
    trackers = client.trackers.list()
    page = search_sort_paginate(
        trackers, query, base_url=base_url, matches=tracker_matches, sort_keys=SORT_KEYS
    )
    return TrackerList(page=page, total=len(trackers))


def tracker_search(*, client, q: str) -> list[Tracker]:
    """Every tracker matching q (all of them when q is empty), sorted by name, for exports."""
    needle = q.strip().casefold()
    trackers = [t for t in client.trackers.list() if not needle or tracker_matches(t, needle)]
    return sorted(trackers, key=SORT_KEYS["name"])


def tracker_get(*, client, tracker_id: str) -> Tracker:
    """One tracker. Raises: NotFound, ManagementAPIError."""
    return client.trackers.get(tracker_id)


def matching_phrases(tracker: Tracker, q: str, limit: int = 3) -> list[str]:
    """The phrases to show in a list row: those matching the search first, then the rest."""
    needle = q.strip().casefold()
    if not needle:
        return list(tracker.vocabulary[:limit])
    hits = [p for p in tracker.vocabulary if needle in p.casefold()]
    rest = [p for p in tracker.vocabulary if p not in hits]
    return (hits + rest)[:limit]
