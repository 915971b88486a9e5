"""The conversations list's columns, declared once (resources/columns.py): the table's header
and its rows come from this declaration, the rows built in Python with format_html as the
trackers and groups lists build theirs (fifty rows of metadata chips through the template
engine were most of the page's time: `make bench`, the conversations list row).
A row is {"obj": the conversation, "url": its page}; `q` the search, whose hits are marked."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from resources.columns import Column, Columns
from resources.templatetags.dashboard import highlight, local_time

_NONE = SafeString('<span class="muted">—</span>')


def _name(row: dict, q: str) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>', row["url"], highlight(row["obj"].name or "(no name)", q)
    )


def _start(row: dict, q: str):
    conversation = row["obj"]
    return local_time(conversation.start_time) or conversation.start_time_text


def _members(row: dict, q: str) -> SafeString:
    names = [m.name or m.email for m in row["obj"].members]
    return format_html(", ".join(["{}"] * len(names)), *names) if names else _NONE


_CHIP = '<li class="chip"><span class="chip-key">{}</span> {}</li>'  # a key and its value


def _metadata(row: dict, q: str) -> SafeString:
    """Every chip in one format_html (a constant chip repeated, every key and value an
    argument, escaped there), as resources.columns.chips does."""
    items = row["obj"].metadata.items()
    if not items:
        return SafeString('<ul class="chips metadata-chips"><li class="muted">—</li></ul>')
    marked = bool(q.strip())  # no search: the values go to format_html as they are
    values = [
        part for key, value in items for part in (key, highlight(value, q) if marked else value)
    ]
    return format_html('<ul class="chips metadata-chips">' + _CHIP * len(items) + "</ul>", *values)


COLUMNS = Columns(
    Column("Name", _name),
    Column(
        "Start time",
        _start,
        sort="start",
        order=lambda c: c.start_time_text,
        cell_css="nowrap",
    ),
    Column("Members", _members, labelled=True),
    Column("Metadata", _metadata),
)


def rows_html(conversations, q: str) -> SafeString:
    """Every row of the page, one format_html each."""
    rows = (
        COLUMNS.row_html(
            "conversation", {"obj": c, "url": reverse("conversations:detail", args=[c.id])}, q
        )
        for c in conversations
    )
    return format_html_join("\n", "{}", ((row,) for row in rows))
