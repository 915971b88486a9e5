"""Tester layer: a pasted or uploaded transcript, split into sentences.

Two shapes are read: `Speaker: text` lines (a line that does not start with a speaker
continues the previous turn), or plain text (paragraphs separated by blank lines; a line
break inside a paragraph is only a wrapped line). A transcript is read as speaker lines when
at least half of its non-empty lines start with a speaker, so a plain text with one
"Note: ..." line stays plain. Sentences come from pysbd's rule-based splitter (it keeps
"Mr. Smith" and "10.5" whole), handed bounded pieces so the time stays linear in the length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_CHARS = 200_000
MAX_SENTENCES = 2_000
MAX_UPLOAD_BYTES = 1_000_000
# The most pysbd is handed at once (its time grows with the square of that).
PIECE_CHARS = 2_000

# A speaker: up to four words and 40 characters, no sentence punctuation, then ": ".
SPEAKER = re.compile(r"^\s*(?P<speaker>[^\W\d_][\w.'\- ]{0,39}?)\s*:\s+(?P<text>\S.*)$")
MAX_SPEAKER_WORDS = 4


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    speaker: str = ""


class TranscriptError(ValueError):
    """The transcript cannot be read; the message is fit for the screen."""


_segmenter = None


def _segment(piece: str) -> list[str]:
    """pysbd's segments of one piece (never longer than PIECE_CHARS), as it returns them."""
    global _segmenter
    if _segmenter is None:
        import pysbd

        _segmenter = pysbd.Segmenter(language="en", clean=False)
    return _segmenter.segment(piece)


def _cut(text: str, start: int) -> int:
    """Where the piece starting at `start` ends: the last whitespace within PIECE_CHARS, or
    PIECE_CHARS itself when there is none in the piece's second half (one very long word)."""
    end = start + PIECE_CHARS
    if end >= len(text):
        return len(text)
    space = max(text.rfind(" ", start, end), text.rfind("\t", start, end))
    return space if space >= start + PIECE_CHARS // 2 else end


def _split(text: str, between: Callable[[], None] = lambda: None) -> list[str]:
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


def _speaker(line: str) -> tuple[str, str] | None:
    match = SPEAKER.match(line)
    if not match or len(match["speaker"].split()) > MAX_SPEAKER_WORDS:
        return None
    return match["speaker"].strip(), match["text"].strip()


def turns(text: str) -> list[tuple[str, str]]:
    """(speaker, text) per turn; the speaker is "" for plain text."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    filled = [line for line in lines if line]
    speakers = [_speaker(line) for line in filled]
    if filled and sum(s is not None for s in speakers) * 2 >= len(filled):
        result: list[list[str]] = []
        for line, found in zip(filled, speakers, strict=True):
            if found:
                result.append([found[0], found[1]])
            elif result:
                result[-1][1] += " " + line
            else:
                result.append(["", line])
        return [(speaker, body) for speaker, body in result]
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines))
    return [("", " ".join(p.split())) for p in paragraphs if p.strip()]


def sentences(text: str, *, between: Callable[[], None] = lambda: None) -> list[Sentence]:
    """The transcript's sentences in order; `between` runs between pieces of work.

    Raises:
        TranscriptError: empty, longer than MAX_CHARS, or more than MAX_SENTENCES sentences.
    """
    if len(text) > MAX_CHARS:
        raise TranscriptError(
            f"The transcript is {len(text):,} characters long; the tester reads up to "
            f"{MAX_CHARS:,}. Try a part of it."
        )
    result: list[Sentence] = []
    for speaker, body in turns(text):
        for piece in _split(body, between):
            result.append(Sentence(index=len(result), text=piece, speaker=speaker))
    if not result:
        raise TranscriptError("Paste or upload a transcript first.")
    if len(result) > MAX_SENTENCES:
        raise TranscriptError(
            f"The transcript has {len(result):,} sentences; the tester reads up to "
            f"{MAX_SENTENCES:,}. Try a part of it."
        )
    return result


def read_upload(upload) -> str:
    """The text of an uploaded plain-text file (UTF-8, a byte-order mark allowed).

    Raises:
        TranscriptError: too large or not UTF-8 text.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise TranscriptError(
            f"The file is {upload.size:,} bytes; the tester reads files up to "
            f"{MAX_UPLOAD_BYTES:,} bytes."
        )
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TranscriptError("The file is not UTF-8 plain text.") from error
    if "\x00" in text:
        raise TranscriptError("The file is not plain text.")
    return text
