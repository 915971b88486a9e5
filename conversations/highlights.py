"""Conversations selector helpers: a conversation's detected trackers laid over its messages.

Pure functions over client dataclasses, no I/O. Highlighting is built by construction: each
message's text is split here into plain segments and marked segments, and the template
renders each segment with autoescaping — no HTML is ever joined in Python.

An exact match (offset ≥ 0) marks the phrase itself when the text at the offset is the phrase
(case folded, as the server compares); when it does not line up (another server's offsets, an
edited phrase) the match falls back to a sentence mark, like a contextual one (offset -1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from symbl_admin.management_api.conversation_types import Message
from symbl_admin.management_api.detection_types import DetectedTracker, Detection


@dataclass(frozen=True)
class Mark:
    """One tracker's match in one message. `exact`: the server gave an offset; `placed`: the
    phrase was found at it (else the whole sentence is marked)."""

    key: str  # unique on the page: the id of its description
    tracker_id: str
    tracker_name: str
    phrase: str
    exact: bool
    placed: bool
    score: float | None  # None: the server gave none
    offset: int = -1

    @property
    def kind(self) -> str:
        return "exact" if self.exact else "contextual"


@dataclass(frozen=True)
class Segment:
    text: str
    marks: tuple[Mark, ...] = ()  # the phrase marks covering this stretch (usually 0 or 1)


@dataclass(frozen=True)
class HighlightedMessage:
    message: Message
    segments: tuple[Segment, ...]
    sentence_marks: tuple[Mark, ...]  # contextual matches and exact ones that did not line up


@dataclass
class TrackerSummary:
    id: str
    name: str
    account: bool  # an account tracker (its page exists), not a job's inline tracker
    exact: int = 0
    contextual: int = 0

    @property
    def sentences(self) -> int:
        return self.exact + self.contextual


def _folded(text: str) -> str:
    """Case and punctuation folded, length kept (the server folds both to find a phrase)."""
    return "".join(c if c.isalnum() else " " for c in text.casefold())


def _placed(text: str, offset: int, phrase: str) -> bool:
    if offset < 0 or not phrase.strip():
        return False
    found = text[offset : offset + len(phrase)]
    return len(found) == len(phrase) and _folded(found) == _folded(phrase)


def _refs(detected: Iterable[DetectedTracker], scores: Mapping[tuple[str, str], float | None]):
    """(message id, tracker id, tracker name, phrase, exact, offset, score, text) per
    detection of the documented trackers-detected answer, trackers in the server's order."""
    for tracker in detected:
        for match in tracker.matches:
            for ref in match.refs:
                score = scores.get((ref.id, tracker.id))
                yield (
                    ref.id,
                    tracker.id,
                    tracker.name,
                    match.value,
                    ref.exact,
                    ref.offset,
                    score,
                    ref.text,
                )


def marks_by_message(refs, texts: Mapping[str, str]) -> dict[str, list[Mark]]:
    """{message id: its marks}, for the messages in `texts` (id → text), from `refs` as
    _refs yields them (the sentence a ref carries stands in for a message not in `texts`)."""
    found: dict[str, list[Mark]] = {}
    for counter, (message_id, tracker_id, name, phrase, exact, offset, score, text) in enumerate(
        refs, start=1
    ):
        text = texts.get(message_id, text)
        found.setdefault(message_id, []).append(
            Mark(
                key=f"detection-{counter}",
                tracker_id=tracker_id,
                tracker_name=name,
                phrase=phrase,
                exact=exact,
                placed=_placed(text, offset, phrase),
                score=score,
                offset=offset,
            )
        )
    return found


def segments(text: str, spans: list[tuple[int, int, Mark]]) -> tuple[Segment, ...]:
    """The text cut at every span's ends; each piece carries the marks that cover it."""
    cuts = sorted({0, len(text), *(i for start, end, _ in spans for i in (start, end))})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(mark for s, e, mark in spans if s <= start and end <= e)
        pieces.append(Segment(text[start:end], covering))
    return tuple(pieces)


def highlight(message: Message, marks: list[Mark]) -> HighlightedMessage:
    """One message as segments: placed marks cut the text, the others mark the sentence."""
    spans = [(m.offset, m.offset + len(m.phrase), m) for m in marks if m.placed]
    sentence = tuple(m for m in marks if not m.placed)
    return HighlightedMessage(message, segments(message.text, spans), sentence)


def highlighted(
    messages: list[Message],
    detected: list[DetectedTracker],
    scores: Mapping[tuple[str, str], float | None],
) -> list[HighlightedMessage]:
    """Every message with its marks (a message no tracker caught: one plain segment)."""
    by_message = marks_by_message(_refs(detected, scores), {m.id: m.text for m in messages})
    return [highlight(m, by_message.get(m.id, [])) for m in messages]


def highlighted_from(
    messages: list[Message], found: Iterable[Detection]
) -> list[HighlightedMessage]:
    """The same from our detections extension (phrase, offset, score, tracker name per
    detection) over the messages the page already has: no second read of their sentences."""
    refs = (
        (d.message_id, d.tracker_id, d.tracker_name, d.phrase, d.exact, d.offset, d.score, "")
        for d in found
    )
    by_message = marks_by_message(refs, {m.id: m.text for m in messages})
    return [highlight(m, by_message.get(m.id, [])) for m in messages]


def summary(detected: list[DetectedTracker], account_ids: set[str] | None) -> list[TrackerSummary]:
    """Per tracker: the sentences it caught, exact and contextual.
    `account_ids`: the ids of account trackers (None: not known, every tracker linked)."""
    found = []
    for tracker in detected:
        account = account_ids is None or tracker.id in account_ids
        row = TrackerSummary(tracker.id, tracker.name, account)
        for match in tracker.matches:
            for ref in match.refs:
                if ref.exact:
                    row.exact += 1
                else:
                    row.contextual += 1
        found.append(row)
    return found


def summary_of(found: Iterable[Detection]) -> list[TrackerSummary]:
    """The same summary from our detections extension, which carries no message text: what a
    viewer who may not read the messages is shown, without the server sending them."""
    rows: dict[str, TrackerSummary] = {}
    for detection in found:
        row = rows.setdefault(
            detection.tracker_id,
            TrackerSummary(detection.tracker_id, detection.tracker_name, not detection.inline),
        )
        if detection.exact:
            row.exact += 1
        else:
            row.contextual += 1
    return list(rows.values())
