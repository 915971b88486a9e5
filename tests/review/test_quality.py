"""Quality findings on seeded accounts (the embedded Management API), one test per kind, and
none that is not true on the demo data."""

from __future__ import annotations

import pytest

from local_api.management.commands.seed_demo import load_seed_data
from review import quality
from review.selectors import quality_findings

pytestmark = pytest.mark.django_db

FIVE = ["alpha one", "bravo two", "charlie three", "delta four", "echo five"]


def _kinds(api, kind):
    return [f for f in quality_findings(client=api) if f.kind == kind]


def test_same_phrase_in_two_trackers_ignoring_case_and_punctuation(api):
    a = api.trackers.create(name="A", vocabulary=[*FIVE, "What's the price"])
    b = api.trackers.create(name="B", vocabulary=["whats the price", "x y", "z w", "q r", "s t"])
    found = _kinds(api, "duplicate_phrase")
    assert [(f.object_id, f.index) for f in found] == [(b.id, 0)]  # the pair once, on the later
    assert found[0].message == "“whats the price” is also a phrase of “A”."
    assert a.id != b.id


def test_each_shared_phrase_is_reported_once_per_pair(api):
    """Three trackers sharing a phrase make three pairs, each reported once: B names A, C
    names A and B (never A→B and B→A)."""
    for name in ("A", "B", "C"):
        own = [f"{name} {word}" for word in ("one", "two", "three", "four", "five")]
        api.trackers.create(name=name, vocabulary=[*own, "shared words"])
    found = _kinds(api, "duplicate_phrase")
    pairs = [
        (f.object_name, other)
        for f in found
        for other in ("A", "B", "C")
        if f"“{other}”" in f.message
    ]
    assert sorted(pairs) == [("B", "A"), ("C", "A"), ("C", "B")]


def test_near_duplicates_inside_one_tracker(api):
    t = api.trackers.create(name="T", vocabulary=[*FIVE, "Refunds", "refund", "don't know"])
    api.trackers.create(name="U", vocabulary=["do not", "dont know", "a b", "c d", "e f"])
    found = _kinds(api, "near_duplicate")
    assert [(f.object_id, f.phrase) for f in found] == [(t.id, "refund")]


def test_plural_rule_keeps_words_that_only_end_in_s(api):
    assert quality.near_key("business status") == "business status"
    assert quality.near_key("Policies") == "policy"


def test_phrase_tracked_in_one_tracker_and_ignored_in_another(api):
    a = api.trackers.create(name="Sales", vocabulary=[*FIVE, "free trial"])
    b = api.trackers.create(
        name="Support", vocabulary=["reset password", *FIVE[1:]], excludeVocabulary=["Free trial"]
    )
    found = _kinds(api, "ignored_elsewhere")
    assert {(f.object_id, f.field, f.index) for f in found} == {
        (a.id, "vocabulary", 5),
        (b.id, "excludeVocabulary", 0),
    }
    assert next(f.url for f in found if f.object_id == b.id).endswith(
        "edit/?excluded=0#field-excluded"
    )


def test_fewer_than_five_phrases(api):
    t = api.trackers.create(name="Short", vocabulary=["one", "two"])
    api.trackers.create(name="Enough", vocabulary=FIVE)
    assert [f.object_id for f in _kinds(api, "few_phrases")] == [t.id]


@pytest.mark.parametrize(
    ("phrase", "words"),
    [
        ("I think we should talk", "adds no meaning"),
        ("one two three four five six seven eight nine ten eleven twelve thirteen", "Long"),
        ("I like it but it costs too much", "“but”"),
    ],
)
def test_phrase_advice_is_the_editors(api, phrase, words):
    t = api.trackers.create(name="Advice", vocabulary=[*FIVE, phrase])
    found = _kinds(api, "phrase_advice")
    assert [(f.object_id, f.index) for f in found] == [(t.id, 5)]
    assert words in found[0].message
    assert found[0].url.endswith("edit/?phrase=5#field-phrases")


def test_groups_with_equivalent_criteria(api):
    a = api.groups.create(
        name="One", criteria="conversation.metadata.a==x;conversation.metadata.b==y"
    )
    b = api.groups.create(
        name="Two", criteria="conversation.metadata.b==y and conversation.metadata.a==x"
    )
    api.groups.create(name="Three", criteria="conversation.metadata.a==x")
    assert {f.object_id for f in _kinds(api, "equivalent_criteria")} == {a.id, b.id}


def test_in_lists_in_another_order_are_equivalent(api):
    api.groups.create(name="One", criteria="conversation.metadata.a=in=(x,y)")
    api.groups.create(name="Two", criteria="conversation.metadata.a=in=(y,x)")
    assert len(_kinds(api, "equivalent_criteria")) == 2


def test_group_names_that_differ_only_by_case(api):
    a = api.groups.create(name="Sales calls", criteria="conversation.metadata.a==1")
    b = api.groups.create(name="SALES calls", criteria="conversation.metadata.a==2")
    assert {f.object_id for f in _kinds(api, "name_case")} == {a.id, b.id}


@pytest.mark.parametrize(
    "criteria",
    [
        "conversation.metadata.a==x;conversation.metadata.a==y",
        "conversation.metadata.a==x and conversation.metadata.a!=x",
        "conversation.metadata.a==x;conversation.metadata.a=in=(y,z)",
        "(conversation.metadata.a==x;conversation.metadata.a==y),"
        "(conversation.metadata.b==1;conversation.metadata.b==2)",
    ],
)
def test_criteria_that_can_never_match(api, criteria):
    g = api.groups.create(name="Never", criteria=criteria)
    assert [f.object_id for f in _kinds(api, "never_matches")] == [g.id]


def test_an_or_with_one_possible_branch_can_match(api):
    api.groups.create(
        name="Maybe",
        criteria="(conversation.metadata.a==x;conversation.metadata.a==y),conversation.metadata.b==1",
    )
    assert _kinds(api, "never_matches") == []


def test_demo_data_has_only_true_findings(api):
    seed = load_seed_data()
    for item in seed["trackers"]:
        api.trackers.create(name=item["name"], vocabulary=item["vocabulary"])
    for item in seed["groups"]:
        api.groups.create(name=item["name"], criteria=item["criteria"])
    found = sorted((f.kind, f.object_name, f.phrase) for f in quality_findings(client=api))
    long_one = "I can offer you a discount of 10 20 percent you being a new customer for us"
    assert found == [
        ("few_phrases", "Intro Tracker", ""),
        ("few_phrases", "Pricing Tracker", ""),
        ("few_phrases", "Promotion Mention", ""),
        ("phrase_advice", "Promotion Mention", long_one),
    ]


def test_summary_counts_every_kind():
    findings = [quality.Finding("few_phrases", "tracker", "1", "T", "m")]
    counts = {s["kind"]: s["count"] for s in quality.summary(findings)}
    assert counts == {kind: int(kind == "few_phrases") for kind in quality.KINDS}
