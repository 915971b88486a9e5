"""Local Management API server: which stored messages a tracker could catch, found cheaply, so
the engine (symbl_admin/matching.py through detection.detect) scores only those.

A message is a candidate when one of its units' cosine to one of the trackers' phrases comes
near the threshold (CANDIDATE, a little under it: float16 → float32 rounding never loses one),
or when its folded text holds a phrase's folded words in order (a superset of the engine's
word-for-word matches). Phrases to ignore only ever suppress a match, so they add none. The
engine scores each message on its own, so scoring the candidates gives what scoring every
message gives (tests/local_api/test_tracker_preview.py checks it on random texts).

Vectors are read CHUNK messages at a time: the memory a batch's scoring holds beyond its
stored bytes is one chunk in float32, not the batch twice over (`make bench`, the memory row).
Used by the draft preview (tracker_preview.py) and the rescore jobs (rescore.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from local_api import detection
from symbl_admin import matching
from symbl_admin.embedding import DIMENSION
from symbl_admin.matching import DEFAULT_THRESHOLD, Match, TrackerInput

CANDIDATE = DEFAULT_THRESHOLD - 0.01
CHUNK = 32  # messages whose vectors are scored at once (about 0.1 MB in float32)
EXACT_CHUNK = 256  # messages whose folded text is searched at once (a few tens of KB)
APOSTROPHES = "\u2019\u2018\u02bc`"  # matching.APOSTROPHES' characters
SEPARATOR = r"[\W_]+"  # what may stand between two words of a phrase


def exact_patterns(engines: Sequence[TrackerInput]) -> list[re.Pattern[str]]:
    """One pattern per phrase that finds, in folded text, every place it could match word for
    word (its folded words in order, anything else between them): a superset of the engine's
    exact matches. One pattern each, not one alternation: a pattern that starts with a
    literal word is searched for as fast as str.find, an alternation tries every position."""
    found = {}
    for engine in engines:
        for phrase in engine.phrases:
            folded = tuple(re.escape(word) for word, _ in matching.words(phrase))
            if folded:
                found[folded] = re.compile(SEPARATOR.join(folded))
    return list(found.values())


def exact_candidates(rows: Sequence[Any], patterns: list[re.Pattern[str]]) -> list[int]:
    """Indexes of the rows whose folded text one of the patterns finds something in."""
    texts = [row["text"] for row in rows]
    joined = "\n".join(texts)
    for apostrophe in APOSTROPHES:  # as matching.words folds them (one character each)
        joined = joined.replace(apostrophe, "'")
    folded = joined.casefold()
    if len(folded) != len(joined):  # casefold lengthened a letter (ß → ss): offsets move
        return _exact_candidates_one_by_one(texts, patterns)
    ends = np.cumsum(np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts)))
    found = np.zeros(len(rows), dtype=bool)
    for pattern in patterns:
        starts = np.fromiter((m.start() for m in pattern.finditer(folded)), dtype=np.int64)
        found[np.searchsorted(ends, starts, side="right")] = True
    return np.flatnonzero(found).tolist()


def _exact_candidates_one_by_one(texts: list[str], patterns: list[re.Pattern[str]]) -> list[int]:
    found = []
    for i, text in enumerate(texts):
        folded = text.translate(matching.APOSTROPHES).casefold()
        if any(pattern.search(folded) for pattern in patterns):
            found.append(i)
    return found


def near(rows: Sequence[Any], phrases: np.ndarray, exact: list[re.Pattern[str]]) -> list[int]:
    """Indexes of the rows ({"units", "vectors", "text"}) that could be caught: a unit's best
    cosine near the threshold, or a phrase's words in order in the folded text."""
    hit = np.zeros(len(rows), dtype=bool)
    for start in range(0, len(rows), EXACT_CHUNK):
        chunk = rows[start : start + EXACT_CHUNK]  # folded text is copied a chunk at a time
        if exact:
            hit[[start + i for i in exact_candidates(chunk, exact)]] = True
        for at in range(start, start + len(chunk), CHUNK) if len(phrases) else ():
            some = rows[at : at + CHUNK]
            units = np.fromiter((row["units"] for row in some), dtype=np.int64, count=len(some))
            blob = b"".join(row["vectors"] for row in some)
            vectors = np.frombuffer(blob, dtype=detection.STORED).reshape(-1, DIMENSION)
            best = (vectors.astype(np.float32) @ phrases.T).max(axis=1)
            owners = np.repeat(np.arange(at, at + len(some)), units)
            hit[owners[best >= CANDIDATE]] = True
    return np.flatnonzero(hit).tolist()


def phrase_matrix(engines: Sequence[TrackerInput]) -> np.ndarray:
    """Every phrase vector of the engines, one row each, in float32 (the model embeds only
    phrases it has not seen)."""
    vectors = [v.phrases for v in detection.PHRASES.vectors(engines, detection._nothing)]
    vectors = [v for v in vectors if len(v)]
    if not vectors:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    return np.concatenate(vectors).astype(np.float32)


def detect_rows(rows: Sequence[Any], engines: Sequence[TrackerInput]) -> list[list[Match]]:
    """Per row, what detection.detect answers for it (the matches that catch it), scoring
    only the candidates."""
    caught: list[list[Match]] = [[] for _ in rows]
    with_phrases = [engine for engine in engines if engine.phrases]
    if not rows or not with_phrases:
        return caught
    picked = near(rows, phrase_matrix(with_phrases), exact_patterns(with_phrases))
    if not picked:
        return caught
    for start in range(0, len(picked), CHUNK):  # the vectors of a chunk at a time
        some = picked[start : start + CHUNK]
        stored = [detection.from_blob(rows[i]["vectors"], rows[i]["units"]) for i in some]
        found = detection.detect([rows[i]["text"] for i in some], stored, with_phrases)
        for i, matches in zip(some, found, strict=True):
            caught[i] = matches
    return caught
