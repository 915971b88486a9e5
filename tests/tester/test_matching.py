"""The matching engine (symbl_admin/matching.py): exact matches (folded, whole words, phrases to
ignore), parts of long sentences, and scores compared as they are shown."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbl_admin import matching
from tester import calibration, scoring
from tester.scoring import TrackerInput, score
from tester.transcripts import Sentence
from tester.vectors import PhraseVectors

SARAH = "Hi, this is Sarah from Acme, thank you for taking some time to speak with me today."


def unit(*values):
    v = np.zeros(384, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def demo(name):
    return next(t for t in calibration.load_demo_trackers() if t.name == name)


def caught(text, tracker, threshold=scoring.DEFAULT_THRESHOLD):
    result = scoring.run(sentences=[Sentence(0, text)], trackers=[tracker], threshold=threshold)
    return result.sentences[0].caught_by(threshold)


def test_the_sarah_sentence_is_caught_exactly_by_the_demo_intro_tracker(encoder):
    (match,) = caught(SARAH, demo("Intro Tracker"))
    assert match.exact
    assert match.score == 1.0
    assert match.phrase == "Thank you for taking some time to speak with me"
    assert match.offset == SARAH.index("thank you")


@pytest.mark.parametrize(
    ("text", "tracker", "phrase"),
    [
        (
            "Have you ever considered moving to the cloud?",
            "Intro Tracker",
            "Have you ever considered",
        ),
        ("Our main use case is call routing.", "Leads Tracker", "use case"),
        ("Yes, that fits our requirement.", "Leads Tracker", "Fits our requirement"),
    ],
)
def test_the_issues_other_sentences_are_caught_exactly(encoder, text, tracker, phrase):
    (match,) = caught(text, demo(tracker))
    assert (match.exact, match.score, match.phrase) == (True, 1.0, phrase)


@pytest.mark.parametrize(
    ("text", "phrase", "offset"),
    [
        ("So... WHAT'S   the PRICE?", "What’s the price", 6),  # case, spacing, ' for ’
        ("I can’t afford this.", "I can't afford this", 0),  # ’ for '
        ("Well—thank-you for taking some time", "Thank you for taking some time", 5),
        ("Call me,please:leave message", "please leave message", 8),
    ],
)
def test_case_punctuation_apostrophes_and_spacing_are_folded(text, phrase, offset):
    tracker = TrackerInput(id="t", name="T", phrases=(phrase,))
    (found,) = matching.exact_matches([text], [tracker])
    assert found[0].offset == offset
    assert found[0].kind == matching.EXACT


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("We have several use cases for this.", "use case"),  # no plural folding
        ("The pricing page is clear.", "price"),
        ("I needed that yesterday.", "I need"),
        ("This is required by law.", "require"),
    ],
)
def test_words_must_match_whole(text, phrase):
    tracker = TrackerInput(id="t", name="T", phrases=(phrase,))
    assert matching.exact_matches([text], [tracker]) == [{}]


def test_a_phrase_to_ignore_contained_word_for_word_suppresses_the_exact_match():
    tracker = TrackerInput(id="t", name="Pricing", phrases=("price",), ignored=("price list",))
    sentences = [Sentence(0, "Send me the price list."), Sentence(1, "What is the price?")]
    # Stand-in vectors: both sentences far from the phrase to ignore, close to the phrase.
    vecs = PhraseVectors(phrases=np.array([unit(1, 0)]), ignored=np.array([unit(0, 1)]))
    result = score(sentences, np.array([unit(1, 0.1), unit(1, 0.1)]), [tracker], [vecs], 0.5)
    listed, asked = result.sentences
    assert listed.matches[0].suppressed
    assert listed.caught_by(0.2) == []
    assert asked.caught_by(0.5)[0].exact


def test_a_contained_phrase_to_ignore_suppresses_a_contextual_match_too():
    tracker = TrackerInput(id="t", name="Pricing", phrases=("cost",), ignored=("price list",))
    vecs = PhraseVectors(phrases=np.array([unit(1, 0)]), ignored=np.array([unit(0, 1)]))
    result = score(
        [Sentence(0, "The price list.")], np.array([unit(1, 0.1)]), [tracker], [vecs], 0.5
    )
    (match,) = result.sentences[0].matches
    assert (match.kind, match.offset, match.suppressed) == (matching.CONTEXTUAL, -1, True)


@pytest.mark.parametrize(
    ("text", "tracker"),
    [
        (
            "You have reached the Denver office of Acme Logistics on Main Street, please leave "
            "a message after the tone and we will call you back.",
            "Voice Message",
        ),
        (
            "So I went through the proposal with my manager and the finance people yesterday "
            "afternoon, and honestly I cannot afford this at the moment.",
            "Pricing Tracker",
        ),
    ],
)
def test_a_long_sentence_is_caught_by_its_relevant_clause(encoder, text, tracker):
    (match,) = caught(text, demo(tracker))
    assert match.kind == matching.CONTEXTUAL
    assert match.offset == -1
    assert match.part and match.part in text


def test_parts_of_a_long_sentence_are_bounded():
    long = ", and ".join(["we talked about the weather for a while"] * 40) + " " + "word " * 300
    assert 1 <= len(matching.parts(long)) <= matching.MAX_PARTS
    assert matching.parts("A short sentence, with a comma.") == []


def test_a_score_shown_as_0_51_is_caught_at_0_51():
    tracker = TrackerInput(id="t", name="T", phrases=("x",))
    vecs = PhraseVectors(phrases=np.array([unit(1, 0)]), ignored=np.zeros((0, 384), np.float32))
    sentence = unit(0.507, (1 - 0.507**2) ** 0.5)  # cosine 0.507 with the phrase
    result = score([Sentence(0, "y")], np.array([sentence]), [tracker], [vecs], 0.51)
    (match,) = result.sentences[0].matches
    assert match.score == 0.51
    assert result.caught_count == 1


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=300),
    phrases=st.lists(st.text(max_size=40), max_size=5),
    ignored=st.lists(st.text(max_size=40), max_size=3),
)
def test_any_text_matches_without_error_and_offsets_point_at_the_phrase(text, phrases, ignored):
    tracker = TrackerInput(id="t", name="T", phrases=tuple(phrases), ignored=tuple(ignored))
    (found,) = matching.exact_matches([text], [tracker])
    for match in found.values():
        wanted = [word for word, _ in matching.words(match.phrase)]
        at = [word for word, _ in matching.words(text[match.offset :])][: len(wanted)]
        assert at == wanted
    assert len(matching.parts(text)) <= matching.MAX_PARTS


@given(st.sampled_from(["price", "use case", "I can’t afford this"]), st.text(max_size=60))
def test_a_phrase_said_between_any_words_is_found(phrase, noise):
    text = f"{noise} {phrase.upper()} {noise}"
    tracker = TrackerInput(id="t", name="T", phrases=(phrase,))
    (found,) = matching.exact_matches([text], [tracker])
    assert found, text
