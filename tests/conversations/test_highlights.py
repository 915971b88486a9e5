"""conversations/highlights.py: detections laid over message text as segments (no HTML)."""

from __future__ import annotations

from conversations.highlights import highlighted, summary
from symbl_admin.management_api.conversation_types import Message
from symbl_admin.management_api.detection_types import DetectedPhrase, DetectedTracker, MessageRef


def _tracker(tid, name, phrase, *refs):
    return DetectedTracker(
        tid, name, (DetectedPhrase(phrase, tuple(MessageRef(*r) for r in refs)),)
    )


def _pieces(hm):
    return [(s.text, [m.tracker_name for m in s.marks]) for s in hm.segments]


def test_an_exact_match_is_cut_out_of_its_sentence():
    text = "Send me the price list now."
    [hm] = highlighted(
        [Message("m1", text)], [_tracker("1", "P", "price list", ("m1", text, 12))], {}
    )
    assert _pieces(hm) == [("Send me the ", []), ("price list", ["P"]), (" now.", [])]
    assert hm.sentence_marks == ()


def test_case_and_punctuation_fold_as_the_server_folds_them():
    text = "Send the Price-List."
    [hm] = highlighted(
        [Message("m1", text)], [_tracker("1", "P", "price list", ("m1", text, 9))], {}
    )
    assert _pieces(hm)[1] == ("Price-List", ["P"])


def test_an_offset_that_does_not_line_up_falls_back_to_the_sentence():
    text = "Send me the price list now."
    for offset in (3, 40, 20):
        found = [_tracker("1", "P", "price list", ("m1", text, offset))]
        [hm] = highlighted([Message("m1", text)], found, {})
        assert _pieces(hm) == [(text, [])]
        [mark] = hm.sentence_marks
        assert mark.exact and not mark.placed


def test_a_contextual_match_marks_the_sentence_with_its_score():
    text = "I want my money back."
    found = [_tracker("7", "Refunds", "refund", ("m1", text, -1))]
    [hm] = highlighted([Message("m1", text)], found, {("m1", "7"): 0.61})
    [mark] = hm.sentence_marks
    assert (mark.kind, mark.score, mark.phrase) == ("contextual", 0.61, "refund")


def test_overlapping_phrases_of_two_trackers_share_the_overlap():
    text = "the price list here"
    found = [
        _tracker("1", "A", "price list", ("m1", text, 4)),
        _tracker("2", "B", "list here", ("m1", text, 10)),
    ]
    [hm] = highlighted([Message("m1", text)], found, {})
    assert _pieces(hm) == [
        ("the ", []),
        ("price ", ["A"]),
        ("list", ["A", "B"]),
        (" here", ["B"]),
    ]
    keys = [m.key for s in hm.segments for m in s.marks]
    assert len(set(keys)) == 2


def test_marks_are_numbered_uniquely_across_messages():
    a, b = "price list one", "price list two"
    found = [
        _tracker("1", "A", "price list", ("m1", a, 0), ("m2", b, 0)),
        _tracker("2", "B", "price", ("m1", a, 0), ("m2", b, 0)),
    ]
    shown = highlighted([Message("m1", a), Message("m2", b)], found, {})
    keys = [m.key for hm in shown for s in hm.segments for m in s.marks]
    assert len(set(keys)) == 4


def test_the_summary_counts_exact_and_contextual_sentences():
    found = [_tracker("1", "A", "x", ("m1", "x", 0), ("m2", "y", -1), ("m3", "x z", 0))]
    [row] = summary(found, {"1"})
    assert (row.sentences, row.exact, row.contextual, row.account) == (3, 2, 1, True)
    assert summary(found, set())[0].account is False
