"""Tester layer: which sentences each tracker would catch at a threshold, for the screen.

The matching itself is symbl_admin/matching.py (exact and contextual; phrases to ignore). A match
catches its sentence when it is not suppressed and its score — rounded to two digits, as
shown — reaches the threshold. Suppression does not depend on the threshold, so the screen
can move the threshold without asking the server again.

This is our estimate of contextual matching with an open model, not Symbl's own matcher.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from symbl_admin import matching
from symbl_admin.matching import DEFAULT_THRESHOLD, Match, TrackerInput

from . import vectors
from .transcripts import Sentence

__all__ = ["DEFAULT_THRESHOLD", "Match", "Result", "TrackerInput", "clamp_threshold", "run"]

SLIDER_MIN, SLIDER_MAX, SLIDER_STEP = 0.20, 0.80, 0.01
MATCHES_PER_SENTENCE = 10  # the closest trackers kept per sentence, at or above SLIDER_MIN


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


def score(
    sentences: Sequence[Sentence],
    unit_vecs: np.ndarray,
    trackers: Sequence[TrackerInput],
    tracker_vecs: Sequence[vectors.PhraseVectors],
    threshold: float,
    *,
    unit_texts: Sequence[str] | None = None,
    owners: np.ndarray | None = None,
) -> Result:
    """Every sentence's matches against every tracker (pure arithmetic, no model). Without
    `unit_texts`/`owners` the vectors are the sentences' own, one each."""
    texts = [s.text for s in sentences]
    if owners is None:
        unit_texts, owners = texts, np.arange(len(sentences), dtype=np.int64)
    per_sentence = matching.match_vectors(
        texts,
        trackers,
        unit_texts=unit_texts,
        unit_vecs=unit_vecs,
        owners=owners,
        tracker_vecs=tracker_vecs,
    )
    return _result(sentences, per_sentence, trackers, threshold)


def _result(sentences, per_sentence, trackers, threshold) -> Result:
    results = []
    for sentence, matches in zip(sentences, per_sentence, strict=True):
        matches.sort(key=lambda m: (-m.score, not m.exact, m.tracker.name))
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
    from symbl_admin.embedding import get_encoder

    encode = partial(get_encoder().encode, between=between)
    per_sentence = matching.match(
        [s.text for s in sentences],
        trackers,
        sentence_vectors=lambda texts: vectors.sentence_vectors(texts, encode),
        tracker_vectors=lambda items: vectors.tracker_vectors(
            [(t.phrases, t.ignored) for t in items], encode
        ),
    )
    return _result(sentences, per_sentence, trackers, threshold)


def clamp_threshold(value) -> float:
    """A threshold from a form value, kept on the slider's range; the default if unreadable."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return DEFAULT_THRESHOLD
    if number != number:  # NaN
        return DEFAULT_THRESHOLD
    return round(min(max(number, SLIDER_MIN), SLIDER_MAX), 2)
