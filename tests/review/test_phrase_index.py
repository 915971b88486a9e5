"""The trackers' findings made incrementally (review/phrase_index.py) equal a fresh
computation, order included, after any sequence of edits, creates, deletes and moves; a
per-object lookup equals the account-wide findings for that object; and a changed tracker
costs its own phrases, not the account's."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from review import phrase_index, quality, selectors
from review.selectors import quality_findings
from symbl_admin.caching.store import clear_all
from symbl_admin.management_api.types import Stamped, Tracker

# Few words, spelled several ways: phrases collide across trackers and with ignored phrases.
PHRASES = ["refund", "Refund!", "refunds", "price", "the price", "The price?", "cancel", "a b"]
phrases = st.lists(st.sampled_from(PHRASES), max_size=6).map(tuple)
ignored = st.lists(st.sampled_from(PHRASES), max_size=3).map(tuple)
names = st.sampled_from(["A", "B", "C", "b"])


def naive(trackers) -> Counter:
    """The rules as written, every tracker against every other (the oracle)."""
    key = quality.phrase_key
    out = []
    for t in trackers:
        keys = [key(p) for p in t.vocabulary]
        for i, k in enumerate(keys):
            earlier = trackers[: trackers.index(t)]
            others = [o for o in earlier if k in map(key, o.vocabulary)]
            if others and keys.index(k) == i:
                message = f"“{t.vocabulary[i]}” is also a phrase of {quality.names(others)}."
                out.append(quality.phrase_finding("duplicate_phrase", t, i, message))
            for o in trackers:
                for j, q in enumerate(o.exclude_vocabulary if o.id != t.id else ()):
                    if key(q) == k:
                        message = f"“{t.vocabulary[i]}” is a phrase to ignore in “{o.name}”."
                        out.append(quality.phrase_finding("ignored_elsewhere", t, i, message))
                        message = f"“{q}” is ignored here but tracked by “{t.name}”."
                        out.append(
                            quality.phrase_finding(
                                "ignored_elsewhere", o, j, message, field="excludeVocabulary"
                            )
                        )
        out += quality.own_findings(t)
    return Counter(out)


class TrackersEdited(RuleBasedStateMachine):
    """Another client creates, edits, deletes and moves trackers; after each step the
    findings from the last index (directly, and through the selector's kept indexes under
    the list's ETag) equal a fresh computation."""

    @initialize()
    def start(self):
        clear_all()
        self.trackers: list[Tracker] = []
        self.made = 0
        self.last: phrase_index.PhraseIndex | None = None

    @rule(name=names, vocabulary=phrases, exclude=ignored, where=st.integers(0, 10))
    def create(self, name, vocabulary, exclude, where):
        self.made += 1
        tracker = Tracker(str(self.made), name, vocabulary, exclude_vocabulary=exclude)
        self.trackers.insert(where % (len(self.trackers) + 1), tracker)

    @rule(pick=st.integers(0, 10), name=names, vocabulary=phrases, exclude=ignored)
    def edit(self, pick, name, vocabulary, exclude):
        if self.trackers:
            at = pick % len(self.trackers)
            old = self.trackers[at]
            self.trackers[at] = Tracker(old.id, name, vocabulary, exclude_vocabulary=exclude)

    @rule(pick=st.integers(0, 10), phrase=st.sampled_from(PHRASES))
    def add_phrase(self, pick, phrase):
        if self.trackers:
            at = pick % len(self.trackers)
            old = self.trackers[at]
            self.trackers[at] = Tracker(old.id, old.name, (*old.vocabulary, phrase))

    @rule(pick=st.integers(0, 10), words=st.sampled_from(["", "about refunds", "price"]))
    def describe(self, pick, words):
        """A change no finding reads (the description)."""
        if self.trackers:
            at = pick % len(self.trackers)
            old = self.trackers[at]
            self.trackers[at] = Tracker(
                old.id, old.name, old.vocabulary, words, exclude_vocabulary=old.exclude_vocabulary
            )

    @rule(pick=st.integers(0, 10))
    def delete(self, pick):
        if self.trackers:
            del self.trackers[pick % len(self.trackers)]

    @rule(pick=st.integers(0, 10), to=st.integers(0, 10))
    def move(self, pick, to):
        if self.trackers:
            tracker = self.trackers.pop(pick % len(self.trackers))
            self.trackers.insert(to % (len(self.trackers) + 1), tracker)

    @invariant()
    def incremental_equals_fresh(self):
        fresh = phrase_index.build(self.trackers)
        self.last = phrase_index.build(self.trackers, self.last)
        assert self.last.findings == fresh.findings
        # the selector's path: kept under the list's ETag (the same list, the same ETag)
        stamp = f"W/{hash(tuple(self.trackers))}"
        kept = selectors._tracker_index(Stamped(self.trackers, stamp))
        assert kept.findings == fresh.findings
        assert Counter(fresh.findings) == naive(self.trackers)
        for tracker in self.trackers:
            mine = tuple(f for f in fresh.findings if f.object_id == tracker.id)
            assert self.last.of(tracker.id) == kept.of(tracker.id) == mine


@pytest.mark.parametrize("caches", ["on", "off"])
def test_incremental_findings_equal_a_fresh_computation(caches):
    TrackersEdited.TestCase.settings = settings(
        max_examples=60,
        stateful_step_count=25,
        derandomize=True,  # seeded: the same sequences on every run
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    with override_settings(DASHBOARD_CACHES=caches):
        TrackersEdited.TestCase().runTest()


def test_findings_are_in_list_order_whatever_came_before():
    a = Tracker("1", "A", ("refund", "price"))
    b = Tracker("2", "B", ("Refund!",), exclude_vocabulary=("the price",))
    c = Tracker("3", "C", ("refunds", "refund"))
    made_in_another_order = phrase_index.build([a, b, c], phrase_index.build([c, b]))
    found = made_in_another_order.findings
    assert found == phrase_index.build([a, b, c]).findings
    assert [f.object_id for f in found] == sorted(f.object_id for f in found)
    first = next(f for f in found if f.kind == "duplicate_phrase")
    assert (first.object_id, first.index) == ("2", 0)  # each pair once: on the later tracker
    assert first.message == "“Refund!” is also a phrase of “A”."
    last = [f for f in found if f.kind == "duplicate_phrase"][-1]
    assert last.message == "“refund” is also a phrase of “A”, “B”."


@pytest.mark.django_db
def test_one_changed_tracker_costs_its_own_phrases(api, monkeypatch):
    """After another client changes one tracker, the findings read that tracker's phrases,
    not the account's (every phrase key asked for is counted)."""
    asked_for: list[str] = []

    def counted(phrase: str) -> str:
        asked_for.append(phrase)
        return quality.phrase_key(phrase)

    monkeypatch.setattr(phrase_index, "phrase_key", counted)
    for n in range(30):
        phrases = [f"phrase {n} {i}" for i in range(20)]
        api.trackers.create(name=f"T{n}", vocabulary=phrases, excludeVocabulary=[f"no {n}"])
    with override_settings(DASHBOARD_CACHES="on"):
        quality_findings(client=api)
        changed = api.trackers.list()[7]
        api.trackers.update(changed.id, name=changed.name, vocabulary=["phrase 1 1", "new one"])
        before = len(asked_for)
        found = quality_findings(client=api)
    assert len(asked_for) - before <= 2 * (20 + 1) + 2
    assert found == [*phrase_index.build(api.trackers.list()).findings]
    assert any(f.kind == "duplicate_phrase" and f.object_id == changed.id for f in found)
