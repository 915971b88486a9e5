"""Conversation groups, described for the generic layer (resources/resource.py): what
is particular to them. Their editor, the criteria builder, is in views.py."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from resources import columns
from resources.columns import Column, Columns
from resources.resource import Resource, Words
from resources.templatetags.dashboard import highlight
from resources.writes import merge_value
from symbl_admin import contract
from symbl_admin.management_api.types import Group

from . import importing
from .criteria import describe


def group_matches(group: Group, needle: str) -> bool:
    """Case-insensitive match over name, description, criteria and its words."""
    return (
        needle in group.name.casefold()
        or needle in group.description.casefold()
        or needle in group.criteria.casefold()
        or needle in describe(group.criteria).casefold()
        or needle in group.id
    )


def _name_cell(row: dict, q: str) -> SafeString:
    """The name and badge, then the description's start."""
    g = row["obj"]
    if not g.description:
        return columns.name_link(row, q)
    short = Truncator(g.description).chars(90)
    about = format_html('<br><span class="small muted">{}</span>', highlight(short, q))
    return columns.name_link(row, q, about)


def _criteria_cell(row: dict, q: str) -> SafeString:
    """The criteria in words, then as written."""
    return format_html(
        '{}<br><code class="small">{}</code>',
        highlight(row["words"], q),
        highlight(row["obj"].criteria, q),
    )


COLUMNS = Columns(
    columns.SELECT,
    Column("Name", _name_cell, sort="name", order=lambda g: (g.name.casefold(), g.name)),
    Column(
        "Conversations where",
        _criteria_cell,
        sort="criteria",
        order=lambda g: (g.criteria.casefold(), g.name.casefold()),
    ),
    columns.ID,
)


def merge(base: dict, mine: dict, current: dict) -> dict:
    """My edits applied field by field on top of the current version."""
    return {key: merge_value(base[key], mine[key], current[key]) for key in current}


def summary(values: dict) -> str:
    criteria = str(values.get("criteria") or "")
    return f"conversations where {describe(criteria)}" if criteria else "no criteria"


GROUPS = Resource(
    spec=contract.GROUP,
    type=Group,
    words=Words(
        title="Conversation groups",
        search_label="Search names, descriptions and criteria",
        search_placeholder="e.g. agentId or johndoe",
        search_covers="names, descriptions and criteria",
        empty_text="A group collects conversations by their metadata, such as every call of "
        "one agent or one customer.",
        import_label="Bulk create",
        delete_effect="The conversations themselves are not touched.",
    ),
    columns=COLUMNS,
    matches=group_matches,
    summary=summary,
    csv_columns=("name", "description", "criteria"),
    csv_rows=lambda g: [(g.name, g.description, g.criteria)],
    parse_import=importing.parse,
    validate_import=importing.validate_rows,
    merge=merge,
    list_row=lambda g, q: {"words": describe(g.criteria)},
    detail_extra=lambda g: {"criteria_words": describe(g.criteria)},
    stylesheet="css/groups.css",
)
