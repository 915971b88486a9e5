"""Trackers, described for the generic layer (symbl_admin/core/resource.py): what is
particular to them. Their editor is in views.py."""

from __future__ import annotations

from symbl_admin import contract
from symbl_admin.core.resource import Resource, Words
from symbl_admin.core.writes import merge_lists, merge_value
from symbl_admin.management_api.types import Tracker

from . import importing


def tracker_matches(tracker: Tracker, needle: str) -> bool:
    """Case-insensitive match over the name, the id and every phrase (needle casefolded)."""
    if needle in tracker.name.casefold() or needle in tracker.id:
        return True
    return any(needle in phrase.casefold() for phrase in tracker.vocabulary)


def matching_phrases(tracker: Tracker, q: str, limit: int = 3) -> list[str]:
    """The phrases to show in a list row: those matching the search first, then the rest."""
    needle = q.strip().casefold()
    if not needle:
        return list(tracker.vocabulary[:limit])
    hits = [p for p in tracker.vocabulary if needle in p.casefold()]
    rest = [p for p in tracker.vocabulary if p not in hits]
    return (hits + rest)[:limit]


def merge(base: dict, mine: dict, current: dict) -> dict:
    """My edits applied on top of the current version: the name, and phrases three-way."""
    return {
        "name": merge_value(base["name"], mine["name"], current["name"]),
        "vocabulary": merge_lists(base["vocabulary"], mine["vocabulary"], current["vocabulary"]),
    }


def summary(values: dict) -> str:
    count = len(values.get("vocabulary") or [])
    return f"{count} phrase{'' if count == 1 else 's'}"


TRACKERS = Resource(
    spec=contract.TRACKER,
    type=Tracker,
    words=Words(
        title="Trackers",
        search_label="Search names and phrases",
        search_placeholder="e.g. discount",
        search_covers="tracker names and every phrase",
        empty_text="A tracker is a list of phrases Symbl listens for in conversations, like "
        "“Pricing questions” or “Voice message”.",
        delete_effect="Conversations will no longer be tracked with it.",
        merge_label="Merge phrases",
    ),
    sort_keys={
        "name": lambda t: (t.name.casefold(), t.name),
        "phrases": lambda t: (len(t.vocabulary), t.name.casefold()),
    },
    matches=tracker_matches,
    summary=summary,
    csv_columns=("name", "phrase"),
    csv_rows=lambda t: ((t.name, phrase) for phrase in t.vocabulary),
    parse_import=importing.parse,
    validate_import=importing.validate_rows,
    merge=merge,
    list_row=lambda t, q: {
        "phrases": matching_phrases(t, q),
        "more": max(0, len(t.vocabulary) - 3),
    },
    stylesheet="css/trackers.css",
)
