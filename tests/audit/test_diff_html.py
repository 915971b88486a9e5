"""audit.diff_html: the side-by-side view of a Diff, built in Python."""

from __future__ import annotations

from django.template import Context, Template

from symbl_admin.audit.diff import diff_states
from symbl_admin.audit.diff_html import render

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
    assert "Set by the server, not counted as changes: " in html


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
