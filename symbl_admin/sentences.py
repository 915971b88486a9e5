"""Sentence splitting, a shared domain module: one splitter for the tester's transcripts and
the local Management API server's messages (the contract: "one splitter, the tester's").

Pure text in, sentences out (pysbd's rule-based splitter, which keeps "Mr. Smith" and "10.5"
whole), handed bounded pieces so the time stays linear in the length. It lives here, not in
tester/, because the local server may import only symbl_admin's shared modules, never an app.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# The most pysbd is handed at once (its time grows with the square of that).
PIECE_CHARS = 2_000

# One pysbd Segmenter per thread: segment() keeps the text it was given on the object and
# reads it back, so a Segmenter shared by the job worker and a tester request would look for
# one text's sentences in the other's and drop them.
_local = threading.local()


def _segment(piece: str) -> list[str]:
    """pysbd's segments of one piece (never longer than PIECE_CHARS), as it returns them."""
    segmenter = getattr(_local, "segmenter", None)
    if segmenter is None:
        import pysbd

        segmenter = _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return segmenter.segment(piece)


def _cut(text: str, start: int) -> int:
    """Where the piece starting at `start` ends: the last whitespace within PIECE_CHARS, or
    PIECE_CHARS itself when there is none in the piece's second half (one very long word)."""
    end = start + PIECE_CHARS
    if end >= len(text):
        return len(text)
    space = max(text.rfind(" ", start, end), text.rfind("\t", start, end))
    return space if space >= start + PIECE_CHARS // 2 else end


def split_sentences(text: str, between: Callable[[], None] = lambda: None) -> list[str]:
    """The sentences of one turn, in time linear in its length.

    pysbd's time grows with the square of what it is handed (abbreviation-dense text worst),
    so it is handed pieces of at most PIECE_CHARS. A piece's last sentence may be cut short
    by the piece's end: unless it fills more than half of the piece, it is read again at the
    start of the next piece, so every boundary kept was decided with the following sentence
    in view, as it would have been in the whole text. Each piece moves on by at least a
    quarter of PIECE_CHARS, so the work is linear. `between` runs before each piece (a newer
    request may stop this one there).
    """
    found: list[str] = []
    start = 0
    while start < len(text):
        between()
        end = _cut(text, start)
        piece = text[start:end]
        segments = [s for s in _segment(piece) if s.strip()]
        carried = _carried(piece, segments) if end < len(text) else len(piece)
        found.extend(s.strip() for s in (segments[:-1] if carried < len(piece) else segments))
        start += carried
    return found


def _carried(piece: str, segments: list[str]) -> int:
    """How far into `piece` the next piece starts: at its last sentence when that sentence
    starts in the piece's second half, else after the whole piece."""
    if len(segments) < 2:
        return len(piece)
    last = piece.rfind(segments[-1].strip())
    return last if last >= len(piece) // 2 else len(piece)
