"""List columns, each declared once — label, sort key, how to show a cell — as Django admin's
`list_display` and django-tables2's `Column` declare theirs. A Resource carries its columns;
the table's header cells (generic/_table.html: sort links, aria-sort) and its rows come from
that one declaration, so a column cannot be in the header and missing from the rows.

Rows are built in Python with format_html (escaping by construction), as Django admin builds
its changelist's result rows: a page of fifty rows through the template engine was most of a
list page's time (`make bench`). A cell is `cell(row, q)`: `row` is {obj, url, review, ...
the resource's list_row}, `q` the search, whose hits are marked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from resources.templatetags.dashboard import highlight, review_badge

_NOTHING = SafeString("")
_CLASSES = re.compile(r"[a-z0-9 _-]*")  # what a column's classes may hold (they go into markup)
_LABEL = re.compile(r"[A-Za-z0-9 ]+")  # what a data-label may hold (it goes into markup)


@dataclass(frozen=True)
class Column:
    """One column of a list: its header and each row's cell."""

    label: str  # the header's words
    cell: Callable[[dict, str], Any]  # (row, q) → the cell's content, escaped unless safe
    sort: str = ""  # the URL's sort key (?sort=name); "" when the column does not sort
    order: Callable[[Any], Any] | None = None  # object → its sort key, for a sortable column
    css: str = ""  # classes of the header and the cells: "num", "hide-sm" (phones hide it)
    cell_css: str = ""  # more classes for the cells only: "nowrap"
    head: Callable[[], SafeString] | None = None  # the header's markup, instead of the label
    labelled: bool = False  # cells carry data-label="<label>" (a phone layout shows it)

    def __post_init__(self) -> None:
        for classes in (self.css, self.cell_css):
            if not _CLASSES.fullmatch(classes):
                raise ValueError(f"column {self.label!r}: classes {classes!r} are not plain names")
        if self.labelled and not _LABEL.fullmatch(self.label):
            raise ValueError(f"column {self.label!r}: a data-label must be plain words")
        if bool(self.sort) != (self.order is not None):
            raise ValueError(f"column {self.label!r}: a sort key needs an order, and back")

    @property
    def td(self) -> str:
        """The cell as a format string with one {} (its classes are checked plain names)."""
        classes = " ".join(c for c in (self.css, self.cell_css) if c)
        attrs = (f' class="{classes}"' if classes else "") + (
            f' data-label="{self.label}"' if self.labelled else ""
        )
        return f"<td{attrs}>{{}}</td>"


@dataclass(frozen=True)
class HeaderCell:
    """A column's <th>, as the table's template shows it for one query."""

    label: str
    css: str
    sort: str  # "" for a column that does not sort
    url: str = ""  # the link that sorts by it (flips the direction when sorted by it already)
    aria_sort: str = "none"  # "ascending", "descending" or "none"
    arrow: str = ""  # " ▲" / " ▼" beside the current sort's label
    html: SafeString = _NOTHING  # markup shown instead of the label (the select-all box)


class Columns:
    """A list's columns in order, declared once; the header, the rows and the sorts read it."""

    def __init__(self, *columns: Column) -> None:
        self.columns = columns
        # One format string per row, one {} per cell: a single format_html builds a row.
        cells = "".join(f"\n    {c.td}" for c in columns)
        self._row = '<tr id="{}-row-{}">' + cells + "\n  </tr>"

    def __iter__(self):
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def sort_keys(self) -> dict[str, Callable[[Any], Any]]:
        """URL sort key → sort function, in column order (the first is the default)."""
        return {c.sort: c.order for c in self.columns if c.sort}

    def header(self, query, base_url: str) -> list[HeaderCell]:
        """The header cells for a ListQuery: which column sorts, which way, and each link."""
        cells = []
        for c in self.columns:
            if not c.sort:
                cells.append(HeaderCell(c.label, c.css, "", html=self._head(c)))
                continue
            current = query.sort == c.sort
            direction = ("descending" if query.desc else "ascending") if current else "none"
            arrow = (" ▼" if query.desc else " ▲") if current else ""
            url = query.sort_url(base_url, c.sort)
            cells.append(HeaderCell(c.label, c.css, c.sort, url, direction, arrow))
        return cells

    @staticmethod
    def _head(c: Column) -> SafeString:
        """A column's own header markup, after its label (said to screen readers only)."""
        if c.head is None:
            return _NOTHING
        return format_html('<span class="visually-hidden">{}</span>{}', c.label, c.head())

    def row_html(self, noun: str, row: dict, q: str) -> SafeString:
        """One <tr id="<noun>-row-<id>">, a <td> per column; every value escaped."""
        return format_html(self._row, noun, row["obj"].id, *(c.cell(row, q) for c in self.columns))


# ---- cells more than one resource shows


def name_link(row: dict, q: str, after: SafeString = _NOTHING) -> SafeString:
    """The object's name, linked to its page, with the search hits marked, its badge, and
    what the cell shows after them (escaped, or safe markup)."""
    return format_html(
        '<a href="{}">{}</a> {}{}',
        row["url"],
        highlight(row["obj"].name, q),
        review_badge(row["review"]),
        after,
    )


def _id_cell(row: dict, q: str) -> SafeString:
    obj = row["obj"]
    return format_html(
        '<code>{}</code>\n      <button type="button" class="btn btn-ghost btn-sm" '
        'data-copy="{}" aria-label="Copy the ID of {}">Copy</button>',
        obj.id,
        obj.id,
        obj.name,
    )


ID = Column("ID", _id_cell, css="hide-sm", cell_css="nowrap")  # with a copy button


def _select_cell(row: dict, q: str) -> SafeString:
    """The row's checkbox for bulk actions, inside the list's bulk form; checked when the
    row is part of a kept selection (row["selected"], in the row's key: see lists._row)."""
    obj = row["obj"]
    return format_html(
        '<input type="checkbox" name="ids" value="{}" aria-label="Select {}" data-bulk-row{}>',
        obj.id,
        obj.name,
        SafeString(" checked") if row.get("selected") else _NOTHING,
    )


def _select_head() -> SafeString:
    """Select every row of the page: without JavaScript the server reads it (page_ids)."""
    return SafeString(
        '<input type="checkbox" name="all_on_page" value="1" '
        'aria-label="Select every row on this page" data-bulk-all>'
    )


SELECT = Column("Select", _select_cell, css="select-col", head=_select_head)


CHIP = '<span class="chip">{}</span>'  # a chip, as a format string (one {} for the value)
CATEGORY_CHIP = '<span class="chip chip-category">{}</span>'


def chips(values: Iterable[str], q: str, chip: str = CHIP, around: str = "{}") -> SafeString:
    """One chip per value, the search hits marked, inside `around` (a constant format string,
    its {} the chips); nothing at all for no value. One format_html for the lot: the format
    string repeats a constant chip, and every value is an argument, escaped there (a list
    shows six chips a row, and a format_html each was a sixth of its rows' time)."""
    values = tuple(values)
    if not values:
        return _NOTHING
    shown = [highlight(v, q) for v in values] if q.strip() else values
    return format_html(around.format(chip * len(values)), *shown)
