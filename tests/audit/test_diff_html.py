"""audit.diff_html: the side-by-side view of a Diff, built in Python."""

from __future__ import annotations

import html as html_module

import pytest
from django.template import Context, Template

from audit.diff import SERVER_MANAGED, diff_states
from audit.diff_html import render

BEFORE = {
    "id": "t1",
    "name": "Refunds <script>",
    "description": "",
    "vocabulary": ["a refund", "b & c", "kept one", "moved away"],
    "createdOn": "2026-01-01T00:00:00Z",
    "updatedOn": "2026-01-02T00:00:00Z",
}
AFTER = {
    **BEFORE,
    "name": "Refunds",
    "vocabulary": ["moved away", "kept one", "<i>new</i>"],
    "updatedOn": "2026-01-03T00:00:00Z",
}


def test_every_upstream_value_is_escaped():
    html = render(diff_states("tracker", BEFORE, AFTER, action="update"))
    assert "<script>" not in html and "<i>new</i>" not in html
    assert "Refunds &lt;script&gt;" in html
    assert "b &amp; c" in html
    assert "&lt;i&gt;new&lt;/i&gt;" in html


def test_changes_are_marked_in_words_for_screen_readers():
    html = render(diff_states("tracker", BEFORE, AFTER, action="update"))
    assert (
        '<li class="phrase-removed"><del><span class="visually-hidden">removed: </span>a refund</del></li>'
        in html
    )
    assert (
        '<li class="phrase-added"><ins><span class="visually-hidden">added: </span>&lt;i&gt;new&lt;/i&gt;</ins></li>'
        in html
    )
    assert '<span class="visually-hidden">moved: </span>' in html
    assert '<del><span class="visually-hidden">before: </span>Refunds &lt;script&gt;</del>' in html
    assert '<span class="badge badge-info">changed</span>' in html


def test_the_summary_line_can_be_left_to_the_page():
    diff = diff_states("tracker", BEFORE, AFTER, action="update")
    assert '<p class="audit-diff-summary small">' in render(diff)
    assert "audit-diff-summary" not in render(diff, summary=False)


def test_a_create_shows_one_side_and_an_empty_entry_says_so():
    created = render(diff_states("tracker", None, AFTER, action="create"))
    assert "audit-diff-one-side" in created and "Phrases before" not in created
    assert '<span class="muted">—</span>' in created
    empty = render(diff_states("tracker", None, None))
    assert "No object data was recorded for this entry." in empty


def test_the_template_tag_renders_the_same_view():
    diff = diff_states("group", {"id": "g", "name": "A"}, {"id": "g", "name": "B"}, action="update")
    out = Template("{% load audit_tags %}{% audit_diff diff summary=False %}").render(
        Context({"diff": diff})
    )
    assert out == render(diff, summary=False)


SCRIPT = '<script>alert("x")</script>'


def _marked_in_every_field(kind: str, fields: dict, n: int) -> dict:
    """An object of `kind` whose every field (and an unknown key, and the stamps) holds
    SCRIPT, version n."""
    state = {"id": f"id{SCRIPT}", "createdOn": f"{n} {SCRIPT}", "updatedOn": f"{n} {SCRIPT}"}
    for name, is_list in fields.items():
        value = f"{name} {n} {SCRIPT}"
        state[name] = [value, f"{name} kept {SCRIPT}"] if is_list else value
    return {**state, f"unknown{SCRIPT}": f"{n} {SCRIPT}"}


@pytest.mark.parametrize(
    "kind, fields",
    [
        (
            "tracker",
            {"name": False, "description": False, "vocabulary": True, "categories": True},
        ),
        ("group", {"name": False, "description": False, "criteria": False}),
    ],
)
@pytest.mark.parametrize("sides", ["update", "create", "delete"])
def test_markup_in_every_field_is_escaped_in_a_diff(kind, fields, sides):
    before = None if sides == "create" else _marked_in_every_field(kind, fields, 1)
    after = None if sides == "delete" else _marked_in_every_field(kind, fields, 2)
    out = str(render(diff_states(kind, before, after, action=sides)))
    assert "<script" not in out and 'alert("x")' not in out
    shown = html_module.unescape(out)
    for state in (before, after):
        for key, value in (state or {}).items():
            if key in SERVER_MANAGED:
                continue  # set by the server, never a person's change: not in a diff
            for one in value if isinstance(value, list) else [value]:
                assert one in shown, (key, one)
