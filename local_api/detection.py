"""Local Management API server: tracker detection, the worker's side (the model and the engine).

The engine is the tester's (symbl_admin.matching), at its calibrated DEFAULT_THRESHOLD:

- exact: the message (a sentence) contains a phrase word for word, case and punctuation
  folded: score 1, `offset` the phrase's character offset in the message;
- contextual: the best cosine between a phrase and the sentence or one of its parts (the
  clauses and windows the engine reads a long sentence by), at or above the threshold:
  `offset` -1;
- a tracker's phrases to ignore suppress its match as they do in the tester.

A message's vectors (its sentence's and its parts') are computed once, here, by the worker
that split it, and stored as float16 (detection_store.py); detection always scores the stored
(float16) vectors, so a later re-score from the store gives what the job gave. The model loads
on the first job (symbl_admin.embedding.get_encoder); a read of stored detections never loads
it. Phrase vectors are kept per tracker version (its exact phrases) in a bounded LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from local_api.store import TRACKERS, Store
from symbl_admin import matching
from symbl_admin.embedding import DIMENSION, MODEL_ID, get_encoder
from symbl_admin.matching import DEFAULT_THRESHOLD, Match, PhraseVectors, TrackerInput

STORED = np.float16  # half the float32 size; cosines move by < 0.001 (tested)
INLINE = "inline:"  # an inline tracker's engine id: INLINE + its name (the store makes its id)
PHRASE_CACHE_TRACKERS = 1000  # 1000 trackers × (50 + 50) phrases × 1.5 KB ≈ 150 MB at worst

Beat = Callable[[], None]


def _nothing() -> None:
    return None


def account_trackers(store: Store) -> list[TrackerInput]:
    """Every tracker of the account, as the engine takes them."""
    return [
        TrackerInput(
            id=tracker["id"],
            name=tracker["name"],
            phrases=tuple(tracker["vocabulary"]),
            ignored=tuple(tracker.get("excludeVocabulary") or ()),
        )
        for tracker in store.objects(TRACKERS)
    ]


def inline_trackers(payload: dict[str, Any]) -> list[TrackerInput]:
    """A job's inline trackers (validated by conversation_rules.text_job)."""
    return [
        TrackerInput(
            id=INLINE + tracker["name"],
            name=tracker["name"],
            phrases=tuple(tracker["vocabulary"]),
            ignored=tuple(tracker.get("excludeVocabulary") or ()),
        )
        for tracker in payload.get("trackers") or []
    ]


def job_trackers(store: Store, payload: dict[str, Any]) -> list[TrackerInput]:
    """The trackers a job detects: its inline ones, plus the account's with enableAllTrackers."""
    found = inline_trackers(payload)
    if payload.get("enableAllTrackers"):
        found += account_trackers(store)
    return found


# -- vectors ------------------------------------------------------------------------------


def encode_messages(texts: Sequence[str], beat: Beat = _nothing) -> list[np.ndarray]:
    """Each message's stored vectors (float16, its sentence's then its parts'), from the model.

    Raises:
        ModelUnavailable: the model cannot be loaded here.
    """
    if not texts:
        return []
    unit_texts, owners = matching.units(texts)
    vectors = get_encoder().encode(unit_texts, between=beat).astype(STORED)
    bounds = np.searchsorted(owners, np.arange(1, len(texts)))  # owners are in order
    return np.split(vectors, bounds)


def to_blob(vectors: np.ndarray) -> bytes:
    return np.ascontiguousarray(vectors, dtype=STORED).tobytes()


def from_blob(blob: bytes | memoryview, units: int) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=STORED).reshape(units, DIMENSION)


class _PhraseCache:
    """Phrase vectors per tracker version (the model and its exact phrases), LRU-bounded."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[tuple[Any, ...], PhraseVectors] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, trackers: Sequence[TrackerInput], beat: Beat) -> list[PhraseVectors]:
        keys = [(MODEL_ID, t.phrases, t.ignored) for t in trackers]
        with self._lock:
            found = [self._items.get(key) for key in keys]
        missing = [i for i, hit in enumerate(found) if hit is None]
        texts = [text for i in missing for text in (*trackers[i].phrases, *trackers[i].ignored)]
        encoded = get_encoder().encode(texts, between=beat) if texts else None
        at = 0
        for i in missing:
            n, m = len(trackers[i].phrases), len(trackers[i].ignored)
            assert encoded is not None
            found[i] = PhraseVectors(
                phrases=encoded[at : at + n].copy(), ignored=encoded[at + n : at + n + m].copy()
            )
            at += n + m
        with self._lock:
            for i in missing:
                self._items[keys[i]] = found[i]  # type: ignore[assignment]
            for key in keys:
                if key in self._items:
                    self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return found  # type: ignore[return-value]


PHRASES = _PhraseCache(PHRASE_CACHE_TRACKERS)


# -- scoring ------------------------------------------------------------------------------


def detect(
    texts: Sequence[str],
    stored: Sequence[np.ndarray],
    trackers: Sequence[TrackerInput],
    beat: Beat = _nothing,
) -> list[list[Match]]:
    """Per message, the matches that catch it at DEFAULT_THRESHOLD (not suppressed), scored on
    its stored vectors; the model embeds only phrases it has not seen.

    Raises:
        ModelUnavailable: phrases to embed and no model here.
    """
    if not texts or not trackers:
        return [[] for _ in texts]
    counts = [len(vectors) for vectors in stored]
    owners = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
    matches = matching.match_vectors(
        texts,
        trackers,
        unit_texts=[texts[i] for i in owners.tolist()],  # a part's own text is not reported
        unit_vecs=np.concatenate(stored).astype(np.float32),
        owners=owners,
        tracker_vecs=PHRASES.vectors(trackers, beat),
    )
    return [[m for m in found if m.caught(DEFAULT_THRESHOLD)] for found in matches]


def detection_rows(matches: Sequence[Match]) -> list[dict[str, Any]]:
    """A message's caught matches as the store keeps them."""
    rows = []
    for match in matches:
        inline = match.tracker.id.startswith(INLINE)
        rows.append(
            {
                "tracker": match.tracker.name if inline else match.tracker.id,
                "inline": inline,
                "phrase": match.phrase,
                "score": float(match.score),
                "offset": match.offset if match.exact else -1,
            }
        )
    return rows


def annotate(
    store: Store, payload: dict[str, Any], messages: list[dict[str, Any]], beat: Beat = _nothing
) -> list[dict[str, Any]]:
    """A job's sentence-messages with their stored vectors and detections added ("vectors",
    "allTrackers", "detections"), for JobQueue.complete to store with them.

    Raises:
        ModelUnavailable: the model cannot be loaded here (the attempt fails, and is retried).
    """
    texts = [message["text"] for message in messages]
    stored = encode_messages(texts, beat)
    caught = detect(texts, stored, job_trackers(store, payload), beat)
    for message, vectors, matches in zip(messages, stored, caught, strict=True):
        message["vectors"] = vectors
        message["allTrackers"] = bool(payload.get("enableAllTrackers"))
        message["detections"] = detection_rows(matches)
    return messages
