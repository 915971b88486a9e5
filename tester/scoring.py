"""Tester layer: which sentences each tracker would catch, and why.

A sentence's score for a tracker is its best cosine to any of the tracker's phrases; the
tracker catches it when that score reaches the threshold. Phrases to ignore: when the
sentence is at least as close to one of the tracker's phrases to ignore as to its closest
phrase, that tracker does not catch it, whatever the threshold (the sentence is nearer to
what the analyst said to leave out than to what they asked for). That rule does not depend
on the threshold, so the screen can move the threshold without asking the server again.

This is our estimate of contextual matching with an open model, not Symbl's own matcher.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from . import vectors
from .transcripts import Sentence

# Chosen by `manage.py calibrate_tester` (the lowest threshold whose precision on the
# labelled set in tests/tester/calibration.json is at least 0.93 there and at every higher step).
DEFAULT_THRESHOLD = 0.51
SLIDER_MIN, SLIDER_MAX, SLIDER_STEP = 0.20, 0.80, 0.01
MATCHES_PER_SENTENCE = 10  # the closest trackers kept per sentence, at or above SLIDER_MIN


@dataclass(frozen=True)
class TrackerInput:
    id: str
    name: str
    phrases: tuple[str, ...]
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    tracker: TrackerInput
    phrase: str
    score: float
    ignored_phrase: str = ""
    ignored_score: float = 0.0

    @property
    def suppressed(self) -> bool:
        return bool(self.ignored_phrase) and self.ignored_score >= self.score

    def caught(self, threshold: float) -> bool:
        return not self.suppressed and self.score >= threshold


@dataclass(frozen=True)
class SentenceResult:
    sentence: Sentence
    matches: tuple[Match, ...]  # closest first, scores ≥ SLIDER_MIN
    closest: Match | None  # the best match whatever its score (for "not caught")

    def caught_by(self, threshold: float) -> list[Match]:
        return [m for m in self.matches if m.caught(threshold)]


@dataclass(frozen=True)
class Result:
    sentences: tuple[SentenceResult, ...]
    trackers: tuple[TrackerInput, ...]
    threshold: float
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def caught_count(self) -> int:
        return sum(1 for s in self.sentences if s.caught_by(self.threshold))

    @property
    def several_count(self) -> int:
        return sum(1 for s in self.sentences if len(s.caught_by(self.threshold)) > 1)

    @property
    def tracker_counts(self) -> list[tuple[TrackerInput, int]]:
        return [(t, self.counts.get(t.id, 0)) for t in self.trackers]

    def rows(self) -> list[tuple[SentenceResult, list[Match]]]:
        """(sentence, the matches that catch it at the result's threshold), for the screen."""
        return [(s, s.caught_by(self.threshold)) for s in self.sentences]


def best(sentence_vecs: np.ndarray, phrase_vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(best score, index of that phrase) per sentence; -1 and 0 when there are no phrases."""
    if not len(phrase_vecs):
        return np.full(len(sentence_vecs), -1.0, dtype=np.float32), np.zeros(
            len(sentence_vecs), dtype=np.int64
        )
    sims = sentence_vecs @ phrase_vecs.T
    index = sims.argmax(axis=1)
    return sims[np.arange(len(sims)), index], index


def score(
    sentences: Sequence[Sentence],
    sentence_vecs: np.ndarray,
    trackers: Sequence[TrackerInput],
    tracker_vecs: Sequence[vectors.PhraseVectors],
    threshold: float,
) -> Result:
    """Every sentence's matches against every tracker (pure arithmetic, no model)."""
    per_sentence: list[list[Match]] = [[] for _ in sentences]
    for tracker, vecs in zip(trackers, tracker_vecs, strict=True):
        scores, index = best(sentence_vecs, vecs.phrases)
        ignored_scores, ignored_index = best(sentence_vecs, vecs.ignored)
        for i in range(len(sentences)):
            if scores[i] < -0.5:
                continue
            has_ignored = ignored_scores[i] > -0.5
            per_sentence[i].append(
                Match(
                    tracker=tracker,
                    phrase=tracker.phrases[index[i]],
                    score=round(float(scores[i]), 3),
                    ignored_phrase=tracker.ignored[ignored_index[i]] if has_ignored else "",
                    ignored_score=round(float(ignored_scores[i]), 3) if has_ignored else 0.0,
                )
            )
    results = []
    for sentence, matches in zip(sentences, per_sentence, strict=True):
        matches.sort(key=lambda m: (-m.score, m.tracker.name))
        kept = tuple(m for m in matches[:MATCHES_PER_SENTENCE] if m.score >= SLIDER_MIN)
        results.append(SentenceResult(sentence, kept, matches[0] if matches else None))
    counts = {t.id: 0 for t in trackers}
    for result in results:
        for match in result.caught_by(threshold):
            counts[match.tracker.id] += 1
    return Result(tuple(results), tuple(trackers), threshold, counts)


def run(
    *,
    sentences: Sequence[Sentence],
    trackers: Sequence[TrackerInput],
    threshold: float,
    between: Callable[[], None] = lambda: None,
) -> Result:
    """Score a transcript against trackers with the process's model; `between` runs before
    each batch the model is given (a newer run may stop this one there).

    Raises:
        ModelUnavailable: the model cannot be loaded here.
    """
    from .embedding import get_encoder

    encode = partial(get_encoder().encode, between=between)
    sentence_vecs = vectors.sentence_vectors([s.text for s in sentences], encode)
    tracker_vecs = vectors.tracker_vectors([(t.phrases, t.ignored) for t in trackers], encode)
    return score(sentences, sentence_vecs, trackers, tracker_vecs, threshold)


def clamp_threshold(value) -> float:
    """A threshold from a form value, kept on the slider's range; the default if unreadable."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return DEFAULT_THRESHOLD
    if number != number:  # NaN
        return DEFAULT_THRESHOLD
    return round(min(max(number, SLIDER_MIN), SLIDER_MAX), 2)
