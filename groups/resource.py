"""Conversation groups, described for the generic layer (symbl_admin/core/resource.py): what
is particular to them. Their editor, the criteria builder, is in views.py."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from symbl_admin import contract
from symbl_admin.core import rows
from symbl_admin.core.resource import Resource, Words
from symbl_admin.core.templatetags.dashboard import highlight
from symbl_admin.core.writes import merge_value
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


def row_html(row: dict, q: str) -> SafeString:
    """One row of the groups list (the columns of templates/groups/_table.html)."""
    g = row["obj"]
    about = ""
    if g.description:
        short = Truncator(g.description).chars(90)
        about = format_html('<br><span class="small muted">{}</span>', highlight(short, q))
    return format_html(
        '<tr id="group-row-{}">\n    <td>{}{}</td>\n    <td>{}<br><code class="small">{}</code>'
        "</td>\n    {}\n  </tr>",
        g.id,
        rows.name_link(row, q),
        about,
        highlight(row["words"], q),
        highlight(g.criteria, q),
        rows.id_cell(g),
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
    sort_keys={
        "name": lambda g: (g.name.casefold(), g.name),
        "criteria": lambda g: (g.criteria.casefold(), g.name.casefold()),
    },
    matches=group_matches,
    summary=summary,
    csv_columns=("name", "description", "criteria"),
    csv_rows=lambda g: [(g.name, g.description, g.criteria)],
    parse_import=importing.parse,
    validate_import=importing.validate_rows,
    merge=merge,
    row_html=row_html,
    list_row=lambda g, q: {"words": describe(g.criteria)},
    detail_extra=lambda g: {"criteria_words": describe(g.criteria)},
    stylesheet="css/groups.css",
)
