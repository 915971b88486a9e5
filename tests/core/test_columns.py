"""core.columns: each list column declared once; the header and the rows both come from it,
and every value a row shows is escaped where it is placed."""

from __future__ import annotations

import dataclasses
import html
import re
from html.parser import HTMLParser

import pytest
from django.template.loader import get_template
from hypothesis import given
from hypothesis import strategies as st

from groups.resource import GROUPS
from resources.columns import Column, Columns, chips
from resources.listing import ListQuery
from resources.templatetags.dashboard import highlight
from symbl_admin.management_api.types import Group, Tracker
from trackers.resource import TRACKERS

SCRIPT = '<script>alert("x")</script>'
RESOURCES = {"trackers": TRACKERS, "groups": GROUPS}


class _Table(HTMLParser):
    """The <th>s and each row's <td>s of a table: (classes, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.head: list[tuple[set, str, dict]] = []
        self.rows: list[list[tuple[set, str]]] = []
        self._cell: list | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "tr" and attrs.get("id"):
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = [tag, classes, "", attrs]

    def handle_data(self, data) -> None:
        if self._cell is not None:
            self._cell[2] += data

    def handle_endtag(self, tag) -> None:
        if tag in ("th", "td") and self._cell is not None:
            kind, classes, text, attrs = self._cell
            if kind == "th":
                self.head.append((classes, text.strip(), attrs))
            else:
                self.rows[-1].append((classes, text.strip()))
            self._cell = None


def _table(html_text: str) -> _Table:
    table = _Table()
    table.feed(html_text)
    return table


@pytest.fixture
def listed(api):
    api.trackers.create(
        name="Promotion Mention", vocabulary=["special promotion", "sale now"], categories=["sales"]
    )
    api.groups.create(
        name="John", description="All of John", criteria="conversation.metadata.agentId==john"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("plural", RESOURCES)
def test_the_header_and_every_row_come_from_the_same_columns(role_client, listed, plural):
    r = RESOURCES[plural]
    response = role_client("analyst").get(f"/{plural}/?sort=-name", HTTP_HX_REQUEST="true")
    table = _table(response.content.decode())
    columns = list(r.columns)
    assert [text.rstrip(" ▲▼") for _, text, _ in table.head] == [c.label for c in columns]
    assert table.rows and all(len(row) == len(columns) for row in table.rows)
    for c, (head_classes, _, attrs), cell in zip(columns, table.head, table.rows[0], strict=True):
        assert head_classes == set(c.css.split())  # hide-sm / num on both
        assert cell[0] == set(c.css.split()) | set(c.cell_css.split())
        assert attrs.get("aria-sort") == (
            None if not c.sort else "descending" if c.sort == "name" else "none"
        )


def test_a_column_added_to_the_declaration_shows_in_the_header_and_the_rows():
    extra = Column("Languages", lambda row, q: ", ".join(row["obj"].languages) + " <&>")
    r = dataclasses.replace(TRACKERS, columns=Columns(*TRACKERS.columns, extra))
    header = r.columns.header(ListQuery(), "/trackers/")
    head = get_template("generic/_table.html").render({"header": header, "rows": ""})
    tracker = Tracker(id="t1", name="One", vocabulary=("a",), languages=("en", "fr"))
    row = r.row_html({"obj": tracker, "url": "/t1/", "review": None, **r.list_row(tracker, "")}, "")
    assert [text for _, text, _ in _table(head).head][-1] == "Languages"
    cells = _table(f"<table>{row}</table>").rows[0]
    assert len(cells) == len(TRACKERS.columns) + 1
    assert "en, fr &lt;&amp;&gt;</td>" in row


def test_a_sort_key_is_declared_by_its_column():
    assert list(TRACKERS.sort_keys) == [c.sort for c in TRACKERS.columns if c.sort]
    assert list(GROUPS.sort_keys) == ["name", "criteria"]


@pytest.mark.parametrize(
    "kwargs",
    [{"css": 'num" onclick="x'}, {"cell_css": "a{b}"}, {"sort": "size"}],
    ids=["quote", "brace", "sort without an order"],
)
def test_a_column_that_is_not_plain_is_refused(kwargs):
    with pytest.raises(ValueError, match="column"):
        Column("Size", lambda row, q: "", **kwargs)


# ---- escaping: a value holding markup, in every column


def _row(r, obj, q: str) -> str:
    return r.row_html({"obj": obj, "url": "/x/", "review": None, **r.list_row(obj, q)}, q)


def _only_our_markup(row: str, *values: str) -> None:
    """No tag a value brought (every '<script' escaped, no attribute left open), and each
    value shown whole once the search's <mark>s are taken out."""
    assert "<script" not in row
    assert 'alert("x")' not in row  # not even inside an attribute
    shown = html.unescape(re.sub(r"</?mark>", "", row))
    for value in values:
        assert value in shown, value


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["", "script", "<"])
def test_markup_in_every_tracker_column_is_escaped_in_its_row(q):
    tracker = Tracker(
        id=f"id{SCRIPT}",
        name=f"name {SCRIPT}",
        description=f"description {SCRIPT}",
        vocabulary=tuple(f"phrase {n} {SCRIPT}" for n in range(5)),
        categories=(f"category {SCRIPT}",),
    )
    row = _row(TRACKERS, tracker, q)
    _only_our_markup(row, tracker.id, tracker.name, tracker.categories[0], *tracker.vocabulary[:3])
    assert '<span class="muted small">+2 more</span>' in row
    assert row.count("<td") == len(TRACKERS.columns)


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["", "script", "<"])
def test_markup_in_every_group_column_is_escaped_in_its_row(q):
    group = Group(
        id=f"id{SCRIPT}",
        name=f"name {SCRIPT}",
        description=f"description {SCRIPT}",
        criteria=f'conversation.metadata.agentId=="{SCRIPT}"',
    )
    row = _row(GROUPS, group, q)
    _only_our_markup(row, group.id, group.name, group.description, group.criteria)
    assert row.count("<td") == len(GROUPS.columns)


def test_a_search_hit_is_marked_and_the_rest_escaped():
    assert chips(["<i>sale</i>"], "SALE") == (
        '<span class="chip">&lt;i&gt;<mark>sale</mark>&lt;/i&gt;</span>'
    )
    assert highlight("a<b<c", "<") == "a<mark>&lt;</mark>b<mark>&lt;</mark>c"


@given(text=st.text(max_size=40), needle=st.text(max_size=4))
def test_highlight_shows_the_text_and_only_marks(text, needle):
    shown = str(highlight(text, needle))
    assert "<" not in re.sub(r"</?mark>", "", shown)  # no tag but <mark>
    assert html.unescape(re.sub(r"</?mark>", "", shown)) == text
