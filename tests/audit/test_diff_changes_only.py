"""A diff shows what a person changed: never the server's own fields (type, id, the stamps)
and never a field that did not change (audit/diff.py, audit/diff_html.py; issue 23)."""

from __future__ import annotations

from django.template.loader import render_to_string

from audit.diff import diff_states
from audit.diff_html import render

SERVER = {
    "id": "t1",
    "type": "custom",
    "createdOn": "2026-01-01T00:00:00Z",
    "updatedOn": "2026-01-02T00:00:00Z",
}
BEFORE = {
    **SERVER,
    "name": "Refunds",
    "description": "Money back",
    "vocabulary": ["a refund", "money back"],
    "categories": ["billing"],
    "languages": [],
    "excludeVocabulary": [],
}


def test_a_created_tracker_shows_no_type_no_stamps_and_no_empty_field():
    html = render(diff_states("tracker", None, BEFORE, action="create"))
    assert "custom" not in html and "Type" not in html
    assert "2026-01-0" not in html and "Set by the server" not in html
    assert "Languages" not in html and "Phrases to ignore" not in html
    assert "Refunds" in html and "billing" in html and "a refund" in html


def test_an_update_shows_only_the_fields_that_changed():
    after = {**BEFORE, "name": "Refunds and returns", "updatedOn": "2026-01-03T00:00:00Z"}
    html = render(diff_states("tracker", BEFORE, after, action="update"))
    assert "Refunds and returns" in html
    for unchanged in ("Money back", "Description", "Categories", "billing", "a refund"):
        assert unchanged not in html, unchanged
    assert "2026-01-0" not in html and "custom" not in html


def test_a_server_side_type_change_is_not_a_change_a_person_made():
    diff = diff_states("tracker", BEFORE, {**BEFORE, "type": "managed", "id": "t2"})
    assert (diff.changed, diff.summary) == (False, "No changes")


def test_the_compact_change_list_leaves_unchanged_phrase_lists_out():
    diff = diff_states("tracker", BEFORE, {**BEFORE, "name": "Refunds and returns"})
    html = render_to_string("audit/_change_list.html", {"diff": diff})
    assert "Refunds and returns" in html
    assert "Phrases to ignore" not in html and "a refund" not in html
