"""Scoring (tester/scoring.py) on stand-in vectors, and the real model's known properties."""

import numpy as np
import pytest

from tester import scoring
from tester.scoring import TrackerInput, clamp_threshold, score
from tester.transcripts import Sentence
from tester.vectors import PhraseVectors


def unit(*values):
    v = np.zeros(384, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def one_tracker(phrases, ignored=()):
    tracker = TrackerInput(id="t1", name="Pricing", phrases=("price", "cost")[: len(phrases)])
    tracker = TrackerInput(
        id="t1", name="Pricing", phrases=tracker.phrases, ignored=("ignore me",)[: len(ignored)]
    )
    vecs = PhraseVectors(
        phrases=np.array(phrases, dtype=np.float32),
        ignored=np.array(ignored, dtype=np.float32).reshape(len(ignored), 384),
    )
    return tracker, vecs


SENTENCES = [Sentence(0, "a"), Sentence(1, "b")]


def test_score_is_best_cosine_and_names_the_closest_phrase():
    tracker, vecs = one_tracker([unit(1, 0), unit(0, 1)])
    sentence_vecs = np.array([unit(0.2, 1), unit(1, 0)])
    result = score(SENTENCES, sentence_vecs, [tracker], [vecs], threshold=0.5)
    first, second = result.sentences
    assert first.matches[0].phrase == "cost"
    assert first.matches[0].score == 0.98  # rounded as shown
    assert second.matches[0].phrase == "price"
    assert second.matches[0].score == pytest.approx(1.0, abs=1e-3)


def test_threshold_decides_caught_and_counts():
    tracker, vecs = one_tracker([unit(1, 0)])
    sentence_vecs = np.array([unit(1, 1), unit(1, 0.1)])  # cosines 0.707 and 0.995
    assert score(SENTENCES, sentence_vecs, [tracker], [vecs], 0.9).counts == {"t1": 1}
    assert score(SENTENCES, sentence_vecs, [tracker], [vecs], 0.7).counts == {"t1": 2}


def test_a_sentence_closer_to_a_phrase_to_ignore_is_not_caught():
    tracker, vecs = one_tracker([unit(1, 0)], ignored=[unit(1, 1)])
    sentence_vecs = np.array([unit(0.9, 1), unit(1, 0.05)])
    result = score(SENTENCES, sentence_vecs, [tracker], [vecs], threshold=0.5)
    near_ignored, near_phrase = result.sentences
    assert near_ignored.matches[0].suppressed
    assert near_ignored.caught_by(0.5) == []
    assert not near_phrase.matches[0].suppressed
    assert result.counts == {"t1": 1}


def test_caught_by_several_trackers_is_counted():
    a = TrackerInput(id="a", name="A", phrases=("x",))
    b = TrackerInput(id="b", name="B", phrases=("y",))
    va = PhraseVectors(np.array([unit(1, 0)]), np.zeros((0, 384), np.float32))
    vb = PhraseVectors(np.array([unit(1, 0.2)]), np.zeros((0, 384), np.float32))
    result = score(SENTENCES[:1], np.array([unit(1, 0.1)]), [a, b], [va, vb], threshold=0.5)
    assert result.several_count == 1
    assert result.caught_count == 1
    assert [m.tracker.id for m in result.sentences[0].caught_by(0.5)] == ["a", "b"]


def test_nothing_caught_keeps_the_closest_for_the_screen():
    tracker, vecs = one_tracker([unit(1, 0)])
    result = score(SENTENCES[:1], np.array([unit(0, 1)]), [tracker], [vecs], 0.5)
    assert result.caught_count == 0
    assert result.sentences[0].matches == ()  # below the slider's range
    assert result.sentences[0].closest.phrase == "price"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.42", 0.42),
        ("9", scoring.SLIDER_MAX),
        ("-1", scoring.SLIDER_MIN),
        ("x", None),
        ("nan", None),
    ],
)
def test_clamp_threshold(raw, expected):
    assert clamp_threshold(raw) == (scoring.DEFAULT_THRESHOLD if expected is None else expected)


# ------------------------------------------------------------------ the real model


def test_identical_sentences_score_one(encoder):
    a, b = encoder.encode(["Please leave a message after the tone."] * 2)
    assert float(a @ b) == pytest.approx(1.0, abs=1e-5)


def test_vectors_are_unit_length_and_384_wide(encoder):
    vecs = encoder.encode(["short", "a somewhat longer sentence about prices and fees"])
    assert vecs.shape == (2, 384)
    assert np.linalg.norm(vecs, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


def test_a_paraphrase_scores_above_an_unrelated_sentence(encoder):
    phrase, paraphrase, unrelated = encoder.encode(
        ["What's the price", "How much does it cost?", "The weather is lovely today."]
    )
    assert float(phrase @ paraphrase) > float(phrase @ unrelated) + 0.3


def test_batching_does_not_change_a_vector(encoder):
    alone = encoder.encode(["sorry we missed your call"])[0]
    batched = encoder.encode(["a much longer sentence " * 5, "sorry we missed your call", "x"])[1]
    assert float(alone @ batched) == pytest.approx(1.0, abs=1e-4)
