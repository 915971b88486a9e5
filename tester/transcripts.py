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

from symbl_admin.sentences import PIECE_CHARS, split_sentences

__all__ = ["PIECE_CHARS", "Sentence", "TranscriptError", "sentences", "turns"]

MAX_CHARS = 200_000
MAX_SENTENCES = 2_000
MAX_UPLOAD_BYTES = 1_000_000
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
        for piece in split_sentences(body, between):
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
