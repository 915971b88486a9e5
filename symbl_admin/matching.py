"""Domain layer (shared by the tester and the local server): the matching engine — which
trackers catch a sentence, and how.

Two kinds of match, as Symbl's trackers have:

- **exact**: the sentence contains one of the tracker's phrases word for word. Case,
  punctuation, apostrophe style (’ ‘ ʼ and ') and spacing are folded; words must match whole
  ("price" is not in "pricing", "use case" is not in "use cases": no stemming — the
  contextual side is there for other forms). Score 1.00; `offset` is the character offset of
  the phrase's first word in the sentence. A sentence that also contains one of the tracker's
  phrases to ignore word for word is not caught.
- **contextual**: the best cosine between a phrase and the sentence or one of its parts. A
  long sentence is also scored by parts (clauses cut at punctuation and before
  conjunctions; word windows of a clause that is itself long), at most MAX_PARTS of them, so
  one relevant clause is not drowned by the rest. `offset` is -1. When the sentence (or a
  part) is at least as close to a phrase to ignore as to the closest phrase, the match is
  suppressed, whatever the threshold.

Scores are rounded to SCORE_DIGITS, and that rounded value is both shown and compared with
the threshold (a "0.51" is caught at 0.51).

Pure functions over texts and TrackerInputs: the model comes in as `encode` (or its vectors),
so the server's detection can reuse the same engine. This is our estimate of Symbl's
matching with an open model, not Symbl's own matcher.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

EXACT, CONTEXTUAL = "exact", "contextual"
SCORE_DIGITS = 2
# Chosen by `manage.py calibrate_tester` on tests/tester/calibration.json (334 sentences): the
# lowest threshold whose contextual precision is ≥ 0.9 there and at every higher step, so
# 0.58 (contextual precision 0.912, recall 0.271); exact matches: precision and recall 1.000.
# The tester's slider starts here; the server's tracker detection uses it as is.
DEFAULT_THRESHOLD = 0.58
LONG_SENTENCE_WORDS = 12  # shorter sentences are scored whole only
MIN_PART_WORDS = 4  # a shorter clause joins its neighbour
WINDOW_FROM_WORDS = 20  # a clause this long is also read in windows of WINDOW_WORDS
WINDOW_WORDS = 10
MAX_PARTS = 6  # parts scored per sentence, besides the sentence itself

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
CLAUSE_BREAK = re.compile(
    r"\s*[,;:()\u2013\u2014]\s*|\s+-\s+|\s+(?=(?:and|but|or|so|because|since|although|though"
    r"|while|whereas|which|then)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TrackerInput:
    id: str
    name: str
    phrases: tuple[str, ...]
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhraseVectors:
    """A tracker's phrase vectors (one row per phrase) and its phrases to ignore's."""

    phrases: np.ndarray  # len(vocabulary) × DIMENSION
    ignored: np.ndarray  # len(excludeVocabulary) × DIMENSION


@dataclass(frozen=True)
class Match:
    tracker: TrackerInput
    phrase: str
    score: float  # rounded to SCORE_DIGITS: what is shown is what is compared
    kind: str = CONTEXTUAL
    offset: int = -1  # the phrase's character offset in the sentence (exact); -1 otherwise
    part: str = ""  # the clause or window that scored best, when not the whole sentence
    ignored_phrase: str = ""
    ignored_score: float = 0.0

    @property
    def exact(self) -> bool:
        return self.kind == EXACT

    @property
    def suppressed(self) -> bool:
        return bool(self.ignored_phrase) and self.ignored_score >= self.score

    def caught(self, threshold: float) -> bool:
        return not self.suppressed and self.score >= threshold


# ------------------------------------------------------------------ exact


def words(text: str) -> list[tuple[str, int]]:
    """(folded word, its character offset in `text`) for each word of `text`."""
    folded = text.translate(APOSTROPHES)  # one character for one: offsets stay true
    return [(m.group().casefold(), m.start()) for m in WORD.finditer(folded)]


class PhraseIndex:
    """Every tracker's phrases (or phrases to ignore) by their folded words, so a sentence
    is looked up once per word and phrase length, however many phrases there are."""

    def __init__(self, trackers: Sequence[TrackerInput], *, ignored: bool = False):
        self._keys: dict[tuple[str, ...], list[tuple[int, str]]] = {}
        for t, tracker in enumerate(trackers):
            for phrase in tracker.ignored if ignored else tracker.phrases:
                key = tuple(word for word, _ in words(phrase))
                if key:
                    self._keys.setdefault(key, []).append((t, phrase))
        self._lengths = sorted({len(key) for key in self._keys}, reverse=True)
        self._firsts = {key[0] for key in self._keys}  # most words start no phrase

    def find(self, sentence: str) -> dict[int, tuple[str, int]]:
        """{tracker index: (phrase, offset)}: each tracker's earliest (then longest) phrase
        contained in `sentence`."""
        found: dict[int, tuple[str, int]] = {}
        if not self._keys:
            return found
        folded = words(sentence)
        tokens = tuple(word for word, _ in folded)
        for i in range(len(tokens)):
            if tokens[i] not in self._firsts:
                continue
            for n in self._lengths:
                for t, phrase in self._keys.get(tokens[i : i + n], ()):
                    found.setdefault(t, (phrase, folded[i][1]))
        return found


def _exact(
    sentences: Sequence[str], trackers: Sequence[TrackerInput]
) -> list[tuple[dict[int, Match], dict[int, tuple[str, int]]]]:
    phrases, ignored = PhraseIndex(trackers), PhraseIndex(trackers, ignored=True)
    out = []
    for sentence in sentences:
        blocked = ignored.find(sentence)
        matches = {}
        for t, (phrase, offset) in phrases.find(sentence).items():
            block = blocked.get(t)
            matches[t] = Match(
                tracker=trackers[t],
                phrase=phrase,
                score=1.0,
                kind=EXACT,
                offset=offset,
                ignored_phrase=block[0] if block else "",
                ignored_score=1.0 if block else 0.0,
            )
        out.append((matches, blocked))
    return out


def exact_matches(
    sentences: Sequence[str], trackers: Sequence[TrackerInput]
) -> list[dict[int, Match]]:
    """Per sentence, {tracker index: its exact Match} (suppressed when the sentence also
    contains one of that tracker's phrases to ignore word for word). No model needed."""
    return [matches for matches, _ in _exact(sentences, trackers)]


# ------------------------------------------------------------------ parts of long sentences


def _windows(piece: list[str]) -> list[str]:
    count = math.ceil((len(piece) - WINDOW_WORDS) / (WINDOW_WORDS // 2)) + 1
    span = len(piece) - WINDOW_WORDS
    starts = sorted({round(i * span / (count - 1)) for i in range(count)})
    return [" ".join(piece[s : s + WINDOW_WORDS]) for s in starts]


def parts(sentence: str) -> list[str]:
    """The clauses (and windows of long clauses) a long sentence is also scored by; none
    for a sentence under LONG_SENTENCE_WORDS words. At most MAX_PARTS."""
    if len(sentence.split()) < LONG_SENTENCE_WORDS:
        return []
    pieces: list[list[str]] = []
    for raw in CLAUSE_BREAK.split(sentence):
        piece = raw.split()
        if not piece:
            continue
        if pieces and len(pieces[-1]) < MIN_PART_WORDS:
            pieces[-1] = pieces[-1] + piece  # a short clause joins the next
        else:
            pieces.append(piece)
    if len(pieces) > 1 and len(pieces[-1]) < MIN_PART_WORDS:
        pieces[-2:] = [pieces[-2] + pieces[-1]]
    while len(pieces) > MAX_PARTS:  # join the shortest neighbouring pair
        i = min(range(len(pieces) - 1), key=lambda k: len(pieces[k]) + len(pieces[k + 1]))
        pieces[i : i + 2] = [pieces[i] + pieces[i + 1]]
    out: list[str] = []
    for piece in pieces:
        if len(piece) >= WINDOW_FROM_WORDS:
            out.extend(_windows(piece))
        else:
            out.append(" ".join(piece))
    whole = " ".join(sentence.split())
    out = [p for p in dict.fromkeys(out) if p != whole]
    if len(out) > MAX_PARTS:  # keep the first and last, evenly between
        step = (len(out) - 1) / (MAX_PARTS - 1)
        out = [out[round(i * step)] for i in range(MAX_PARTS)]
    return out


def units(sentences: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """(every text the model scores: each sentence followed by its parts, the index of the
    sentence each text belongs to)."""
    texts: list[str] = []
    owners: list[int] = []
    for i, sentence in enumerate(sentences):
        for text in (sentence, *parts(sentence)):
            texts.append(text)
            owners.append(i)
    return texts, np.array(owners, dtype=np.int64)


# ------------------------------------------------------------------ contextual


def _best(unit_vecs: np.ndarray, phrase_vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(best cosine, index of that phrase) per unit; -1 and 0 when there are none."""
    if not len(phrase_vecs):
        return np.full(len(unit_vecs), -1.0, dtype=np.float32), np.zeros(
            len(unit_vecs), dtype=np.int64
        )
    sims = unit_vecs @ phrase_vecs.T
    index = sims.argmax(axis=1)
    return sims[np.arange(len(sims)), index], index


def _per_sentence(values: np.ndarray, owners: np.ndarray, count: int) -> np.ndarray:
    """The unit (index) with the highest value for each of `count` sentences."""
    order = np.lexsort((-values, owners))  # by sentence, best first
    firsts = np.searchsorted(owners[order], np.arange(count))
    return order[firsts]


def _rounded(values: np.ndarray) -> list[float]:
    """Scores as Python floats rounded to SCORE_DIGITS (in float64: a float32 0.51 is not
    the 0.51 a threshold is)."""
    return np.round(values.astype(np.float64), SCORE_DIGITS).tolist()


def match_vectors(
    sentences: Sequence[str],
    trackers: Sequence[TrackerInput],
    *,
    unit_texts: Sequence[str],
    unit_vecs: np.ndarray,
    owners: np.ndarray,
    tracker_vecs: Sequence[PhraseVectors],
) -> list[list[Match]]:
    """Every sentence's match with every tracker that has a phrase (exact where the sentence
    contains a phrase, else contextual), unsorted. Pure arithmetic on the given vectors."""
    exact = _exact(sentences, trackers)
    out: list[list[Match]] = [[] for _ in sentences]
    count = len(sentences)
    for t, (tracker, vecs) in enumerate(zip(trackers, tracker_vecs, strict=True)):
        if not count or not len(vecs.phrases):
            continue
        scores, index = _best(unit_vecs, vecs.phrases)
        ignored_scores, ignored_index = _best(unit_vecs, vecs.ignored)
        best = _per_sentence(scores, owners, count)
        ignored = _per_sentence(ignored_scores, owners, count)
        best_scores, best_units = _rounded(scores[best]), best.tolist()
        phrase_at, ignored_at = index[best].tolist(), ignored_index[ignored].tolist()
        ignored_best = _rounded(ignored_scores[ignored])
        for i in range(count):
            found, blocked = exact[i]
            if t in found:
                out[i].append(found[t])
                continue
            if t in blocked:  # a phrase to ignore, word for word: as close as can be
                ignored_phrase, ignored_score = blocked[t][0], 1.0
            elif ignored_best[i] > -0.5:
                ignored_phrase, ignored_score = tracker.ignored[ignored_at[i]], ignored_best[i]
            else:
                ignored_phrase, ignored_score = "", 0.0
            part = unit_texts[best_units[i]]
            out[i].append(
                Match(
                    tracker=tracker,
                    phrase=tracker.phrases[phrase_at[i]],
                    score=best_scores[i],
                    part=part if part != sentences[i] else "",
                    ignored_phrase=ignored_phrase,
                    ignored_score=ignored_score,
                )
            )
    return out


def match(
    sentences: Sequence[str],
    trackers: Sequence[TrackerInput],
    *,
    sentence_vectors: Callable[[Sequence[str]], np.ndarray],
    tracker_vectors: Callable[[Sequence[TrackerInput]], Sequence],
) -> list[list[Match]]:
    """The engine end to end: `sentence_vectors(texts)` and `tracker_vectors(trackers)` are
    the model (cached or not, as tester/vectors.py does); both are given only what they must embed."""
    unit_texts, owners = units(sentences)
    return match_vectors(
        sentences,
        trackers,
        unit_texts=unit_texts,
        unit_vecs=sentence_vectors(unit_texts),
        owners=owners,
        tracker_vecs=tracker_vectors(trackers),
    )
