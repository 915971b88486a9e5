"""Trackers, described for the generic layer (resources/resource.py): what is
particular to them. Their editor is in views.py."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from resources import columns
from resources.columns import Column, Columns
from resources.resource import ListFilter, Resource, Words
from resources.writes import merge_lists, merge_value
from symbl_admin import contract
from symbl_admin.caching import memo
from symbl_admin.management_api.types import Tracker

from . import importing
from .rules import language_name


def tracker_matches(tracker: Tracker, needle: str) -> bool:
    """Case-insensitive match over the name, the id, the description, the categories and
    every phrase (needle casefolded)."""
    return needle in _searchable(tracker) or needle in tracker.id


@memo(
    "search-text",
    size=600,  # the account's 500 trackers
    saves="a tracker's casefolded text for searching, for an unchanged tracker",
    miss="casefolding its name, description, categories and phrases",
)
def _searchable(tracker: Tracker) -> str:
    """Everything a search reads, casefolded, fields and phrases apart by NUL (a needle never
    spans two). A function of the frozen tracker: a list of 500 kept between pages (the
    client's, revalidated by ETag) is casefolded once, not on every search."""
    fields = (tracker.name, tracker.description, *tracker.vocabulary, *tracker.categories)
    return "\x00".join(field.casefold() for field in fields)


def _name_cell(row: dict, q: str) -> SafeString:
    """The name and badge; the categories as chips; on phones, the phrases the search hit
    (the phrases column is hidden there)."""
    t = row["obj"]
    cats = columns.chips(
        t.categories, q, columns.CATEGORY_CHIP, around='<div class="chips">{}</div>'
    )
    if q:
        needle = q.lower()
        found = [p for p in row["phrases"] if needle in p.lower()]
        cats += format_html(
            '\n      <div class="show-sm"><div class="chips phrase-hits">{}</div></div>',
            columns.chips(found, q),
        )
    return columns.name_link(row, q, cats)


def _phrases_cell(row: dict, q: str) -> SafeString:
    """The first phrases as chips (the search's hits first), and how many more there are."""
    shown, more = columns.chips(row["phrases"], q), row["more"]
    if more:
        return format_html(
            '<div class="chips">{}<span class="muted small">+{} more</span></div>', shown, more
        )
    return format_html('<div class="chips">{}</div>', shown)


COLUMNS = Columns(
    columns.SELECT,
    Column("Name", _name_cell, sort="name", order=lambda t: (t.name.casefold(), t.name)),
    columns.ID,
    Column(
        "Phrases",
        lambda row, q: len(row["obj"].vocabulary),
        sort="phrases",
        order=lambda t: (len(t.vocabulary), t.name.casefold()),
        css="num",
    ),
    Column("First phrases", _phrases_cell, css="hide-sm"),
)


def matching_phrases(tracker: Tracker, q: str, limit: int = 3) -> list[str]:
    """The phrases to show in a list row: those matching the search first, then the rest."""
    needle = q.strip().casefold()
    if not needle:
        return list(tracker.vocabulary[:limit])
    hits = [p for p in tracker.vocabulary if needle in p.casefold()]
    rest = [p for p in tracker.vocabulary if p not in hits]
    return (hits + rest)[:limit]


def merge(base: dict, mine: dict, current: dict) -> dict:
    """My edits applied on top of the current version: each list three-way (what I added
    and removed), each text field where I changed it."""
    merged = {}
    for f in contract.TRACKER.fields:
        key = f.name
        if f.is_list:
            merged[key] = merge_lists(base.get(key, []), mine[key], current[key])
        else:
            merged[key] = merge_value(base.get(key, ""), mine[key], current[key])
    return merged


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
    columns=COLUMNS,
    matches=tracker_matches,
    summary=summary,
    csv_columns=importing.CSV_COLUMNS,
    csv_rows=importing.csv_rows,
    parse_import=importing.parse,
    validate_import=importing.validate_rows,
    merge=merge,
    list_row=lambda t, q: {
        "phrases": matching_phrases(t, q),
        "more": max(0, len(t.vocabulary) - 3),
    },
    detail_extra=lambda t: {"language_names": [(tag, language_name(tag)) for tag in t.languages]},
    stylesheet="css/trackers.css",
    value_words={"languages": language_name},
    filters={
        "category": ListFilter("Category", "All categories", lambda t: t.categories),
        "language": ListFilter(
            "Language", "All languages", lambda t: t.languages, display=language_name
        ),
    },
)
