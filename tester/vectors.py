"""Tester layer: vectors, cached so the model runs only on what it has not seen.

A tracker's phrase vectors are cached under its fingerprint: a hash of the model and of the
exact phrases and phrases to ignore. That is the tracker's version as far as matching is
concerned: a saved tracker, the same tracker with a phrase typed in the editor and a
different tracker with the same phrases each get the vectors their phrases call for, and a
stale entry can never be used. Transcript sentences are cached the same way (the last few
transcripts), so re-scoring while an analyst edits phrases costs only the new phrases.

Both caches are per process, bounded, least recently used first out.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from symbl_admin.embedding import DIMENSION, MODEL_ID
from symbl_admin.matching import PhraseVectors

Encode = Callable[[Sequence[str]], np.ndarray]


def fingerprint(*parts: Sequence[str]) -> str:
    payload = json.dumps([MODEL_ID, *[list(p) for p in parts]], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class LRU:
    """A small thread-safe least-recently-used map with hit and miss counters."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._items: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
            return None

    def put(self, key: str, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


# 1,000 trackers of 50 + 50 phrases are about 150 MB of float32: keep far fewer.
TRACKERS = LRU(max_entries=300)
TRANSCRIPTS = LRU(max_entries=4)


def _empty() -> np.ndarray:
    return np.zeros((0, DIMENSION), dtype=np.float32)


def tracker_vectors(
    items: Sequence[tuple[Sequence[str], Sequence[str]]], encode: Encode
) -> list[PhraseVectors]:
    """Vectors for each (vocabulary, excludeVocabulary), from the cache where it has them;
    every missing tracker's phrases go to the model in one call (batches fill better)."""
    keys = [fingerprint(phrases, ignored) for phrases, ignored in items]
    found = [TRACKERS.get(key) for key in keys]
    missing = [i for i, hit in enumerate(found) if hit is None]
    texts = [t for i in missing for t in (*items[i][0], *items[i][1])]
    vectors = encode(texts) if texts else _empty()
    at = 0
    for i in missing:
        phrases, ignored = items[i]
        n, m = len(phrases), len(ignored)
        entry = PhraseVectors(
            phrases=vectors[at : at + n].copy() if n else _empty(),
            ignored=vectors[at + n : at + n + m].copy() if m else _empty(),
        )
        at += n + m
        TRACKERS.put(keys[i], entry)
        found[i] = entry
    return found  # type: ignore[return-value]


def sentence_vectors(texts: Sequence[str], encode: Encode) -> np.ndarray:
    """Vectors for a transcript's sentences, cached for the last few transcripts."""
    key = fingerprint(texts)
    hit = TRANSCRIPTS.get(key)
    if hit is None:
        hit = encode(list(texts)) if texts else _empty()
        TRANSCRIPTS.put(key, hit)
    return hit
