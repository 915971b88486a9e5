"""The one diff: fields from the contract, phrases in position order, honest summaries."""

import pathlib
from types import SimpleNamespace

import pytest

from audit.diff import diff_states, entry_diff
from symbl_admin import contract

from .conftest import GROUP_AFTER, GROUP_BEFORE, TRACKER_AFTER, TRACKER_BEFORE

NINE = [f"phrase {i}" for i in range(1, 10)]
STAMPS = {"createdOn": "2026-01-01T00:00:00Z", "updatedOn": "2026-01-02T00:00:00Z"}


def tracker(phrases, name="a", **extra):
    return {"id": "1", "name": name, "vocabulary": phrases, **extra}


def rows(diff):
    return [(p.text, p.change) for p in diff.phrases]


def test_tracker_diff_is_order_aware():
    diff = diff_states("tracker", tracker(["x", "y", "z"]), tracker(["y", "new", "z"]))
    assert rows(diff) == [("x", "removed"), ("y", "kept"), ("new", "added"), ("z", "kept")]


def test_a_removed_phrase_stays_at_its_position():
    diff = diff_states("tracker", tracker(["a", "b", "c", "d"]), tracker(["a", "c", "d", "e"]))
    assert rows(diff) == [
        ("a", "kept"),
        ("b", "removed"),
        ("c", "kept"),
        ("d", "kept"),
        ("e", "added"),
    ]


def test_a_replaced_phrase_is_removed_then_added_in_place():
    diff = diff_states("tracker", tracker(["a", "x", "c"]), tracker(["a", "y", "c"]))
    assert rows(diff) == [("a", "kept"), ("x", "removed"), ("y", "added"), ("c", "kept")]


def test_tracker_diff_marks_a_reordered_phrase_as_moved():
    diff = diff_states("tracker", tracker(["x", "y"]), tracker(["y", "x"]))
    assert (diff.moved, diff.added, diff.removed, diff.changed) == (1, 0, 0, True)


def test_markers_for_each_change():
    diff = diff_states("tracker", tracker(["x", "y", "k"]), tracker(["y", "x", "n", "k"]))
    assert {p.change: p.marker for p in diff.phrases} == {
        "kept": "",
        "moved": "↕",
        "added": "+",
    }
    assert diff_states("tracker", tracker(["x"]), tracker([])).phrases[0].marker == "−"


def test_group_diff_has_each_field():
    diff = diff_states("group", GROUP_BEFORE, GROUP_AFTER)
    assert [(f.name, f.label, f.changed) for f in diff.fields] == [
        ("name", "Name", True),
        ("description", "Description", True),
        ("criteria", "Criteria", False),
    ]


def test_create_diff_has_no_before():
    diff = diff_states("tracker", None, TRACKER_AFTER)
    assert (diff.has_before, diff.added) == (False, 3)


def test_server_timestamps_are_not_counted_as_changed_fields():
    before = tracker(["x"], updatedOn="2026-01-01T00:00:00Z")
    after = tracker(["x", "y"], updatedOn="2026-01-02T00:00:00Z")
    diff = diff_states("tracker", before, after)
    assert (diff.changed_fields, diff.added) == ((), 1)


def test_a_delete_does_not_list_the_server_stamps_as_changed_fields():
    diff = diff_states("tracker", tracker(["x"], name="Promo", **STAMPS), None)
    assert [f.name for f in diff.fields] == ["name", "description", "categories", "languages"]
    assert [f.name for f in diff.changed_fields] == ["name"]


def test_what_the_server_sets_is_no_field_of_a_diff():
    diff = diff_states("tracker", None, tracker(["x"], type="custom", **STAMPS))
    assert not {"id", "type", "createdOn", "updatedOn"} & {f.name for f in diff.fields}


def test_an_unknown_key_gets_plain_words_for_its_label():
    diff = diff_states("tracker", tracker(["x"]), tracker(["x"], languageCode="en-US"))
    [extra] = diff.changed_fields
    assert (extra.name, extra.label, extra.after) == ("languageCode", "Language code", "en-US")


@pytest.mark.parametrize(
    "before, after, summary",
    [
        (None, tracker(NINE), "Created with 9 phrases"),
        (None, tracker(["one"]), "Created with 1 phrase"),
        (tracker(NINE[:3], **STAMPS), None, "Deleted; it had 3 phrases"),
        (
            tracker(["x", "y"], name="a"),
            tracker(["y", "z"], name="b"),
            "Name changed; Phrases: 1 added, 1 removed",
        ),
        (tracker(["x", "y"]), tracker(["y", "x"]), "Phrases: 1 moved"),
        (tracker(["x"], **STAMPS), tracker(["x"], createdOn="x", updatedOn="y"), "No changes"),
    ],
)
def test_tracker_summaries_count_what_the_diff_lists(before, after, summary):
    assert diff_states("tracker", before, after).summary == summary


def test_group_summaries_name_the_changed_fields():
    assert diff_states("group", GROUP_BEFORE, GROUP_AFTER).summary == (
        "Name and Description changed"
    )
    assert diff_states("group", None, GROUP_AFTER).summary == "Created"


def test_a_restore_is_diffed_from_nothing_to_the_restored_state():
    item = SimpleNamespace(
        object_type="tracker",
        action="restore",
        before=tracker(NINE),
        after=tracker(NINE),
        effective_after={**tracker(NINE), "id": "999"},
    )
    diff = entry_diff(item)
    assert (diff.added, diff.removed, diff.summary) == (9, 0, "Restored with 9 phrases")


def test_any_field_of_kind_phrases_gets_the_phrase_diff(monkeypatch):
    note = contract.ResourceSpec(
        object_type="note",
        plural="notes",
        fields=(contract.Field("title", "Title"), contract.Field("tags", "Tags", kind="phrases")),
    )
    monkeypatch.setitem(contract.RESOURCES, "note", note)
    diff = diff_states("note", {"title": "t", "tags": ["a", "b"]}, {"title": "t", "tags": ["b"]})
    assert (rows(diff), [f.name for f in diff.fields], diff.summary) == (
        [("a", "removed"), ("b", "kept")],
        ["title"],
        "Tags: 1 removed",
    )


def test_audit_code_names_no_field_of_the_contract():
    import audit as audit

    names = ['"vocabulary"', '"criteria"', '"description"', "_KNOWN_FIELDS", "_significant"]
    found = [
        (p.name, n)
        for p in pathlib.Path(audit.__path__[0]).rglob("*.py")
        for n in names
        if n in p.read_text()
    ]
    assert found == []


def test_unchanged_phrase_lists_are_all_kept():
    diff = diff_states("tracker", TRACKER_BEFORE, TRACKER_BEFORE)
    assert ({p.change for p in diff.phrases}, diff.changed) == ({"kept"}, False)


def test_after_is_what_the_server_answered():
    item = SimpleNamespace(
        object_type="tracker",
        action="update",
        before=TRACKER_BEFORE,
        after=TRACKER_BEFORE,
        effective_after=TRACKER_AFTER,
    )
    assert (entry_diff(item).added, entry_diff(item).removed) == (1, 1)


# -- the later tracker fields ---------------------------------------------------------------


def later(**fields):
    return tracker(["x", "y"], **fields)


def test_later_text_and_list_fields_carry_the_contract_labels():
    diff = diff_states(
        "tracker",
        later(description="old", categories=["billing", "sales"], languages=["en-US"]),
        later(description="new", categories=["billing"], languages=["en-US", "fr-FR"]),
    )
    assert [(f.label, f.before, f.after) for f in diff.changed_fields] == [
        ("Description", "old", "new"),
        ("Categories", "billing, sales", "billing"),
        ("Languages", "en-US", "en-US, fr-FR"),
    ]


def test_excluded_phrases_get_a_phrase_diff_of_their_own():
    diff = diff_states(
        "tracker", later(excludeVocabulary=["no", "nope"]), later(excludeVocabulary=["nope", "nah"])
    )
    [vocabulary, excluded] = diff.phrase_fields
    assert (excluded.label, [(p.text, p.change) for p in excluded.merged]) == (
        "Phrases to ignore",
        [("no", "removed"), ("nope", "kept"), ("nah", "added")],
    )
    assert {p.change for p in vocabulary.merged} == {"kept"}


def test_the_summary_counts_each_phrase_list_under_its_own_label():
    diff = diff_states(
        "tracker",
        later(categories=["a"], excludeVocabulary=["no"]),
        {**later(categories=["b"], excludeVocabulary=["no", "nah"]), "vocabulary": ["x"]},
    )
    assert diff.summary == "Categories changed; Phrases: 1 removed; Phrases to ignore: 1 added"


def test_a_state_logged_before_the_later_fields_equals_their_defaults():
    diff = diff_states(
        "tracker",
        tracker(["x"]),
        tracker(["x"], description="", categories=[], languages=[], excludeVocabulary=[]),
    )
    assert (diff.changed, diff.summary) == (False, "No changes")
