"""Management API client layer: tracker detections as frozen dataclasses.

A conversation's detected trackers (the contract's GET /v1/conversations/{id}/trackers-detected)
and what our /v1/x extensions add: each detection's score, a tracker's hits across the
account, the top trackers of the last days. Parsed at the boundary like conversation_types.py:
ids are strings, a missing number is 0 (or None where "not said" differs from zero), and an
offset of -1 (or anything not a whole number ≥ 0) is a contextual match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .conversation_types import parse_time


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _whole(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _offset(value: Any) -> int:
    """A phrase's character offset; -1 (contextual) for anything else."""
    found = _whole(value, -1)
    return found if found >= 0 else -1


def _score(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


@dataclass(frozen=True)
class MessageRef:
    """A message a phrase caught: its id, text and the phrase's offset (-1: contextual)."""

    id: str
    text: str
    offset: int

    @property
    def exact(self) -> bool:
        return self.offset >= 0


@dataclass(frozen=True)
class DetectedPhrase:
    """One phrase of a detected tracker ("matches" of type vocabulary) and what it caught."""

    value: str
    refs: tuple[MessageRef, ...]


@dataclass(frozen=True)
class DetectedTracker:
    """One element of GET /v1/conversations/{id}/trackers-detected."""

    id: str
    name: str
    matches: tuple[DetectedPhrase, ...]

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> DetectedTracker:
        return cls(
            id=_text(data.get("id")),
            name=_text(data.get("name")),
            matches=tuple(
                DetectedPhrase(
                    value=_text(match.get("value")),
                    refs=tuple(
                        MessageRef(
                            _text(r.get("id")), _text(r.get("text")), _offset(r.get("offset"))
                        )
                        for r in _dicts(match.get("messageRefs"))
                    ),
                )
                for match in _dicts(data.get("matches"))
            ),
        )


@dataclass(frozen=True)
class Detection:
    """One stored detection with its score: GET /v1/x/conversations/{id}/detections."""

    message_id: str
    tracker_id: str
    phrase: str
    offset: int
    score: float | None
    inline: bool = False
    tracker_name: str = ""

    @property
    def exact(self) -> bool:
        return self.offset >= 0

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Detection:
        return cls(
            message_id=_text(data.get("messageId")),
            tracker_id=_text(data.get("trackerId")),
            tracker_name=_text(data.get("trackerName")),
            phrase=_text(data.get("phrase")),
            offset=_offset(data.get("offset")),
            score=_score(data.get("score")),
            inline=data.get("inline") is True,
        )


@dataclass(frozen=True)
class TrackerHit:
    """One sentence a tracker caught ("recent" of GET /v1/x/trackers/{id}/hits)."""

    conversation_id: str
    message_id: str
    text: str
    phrase: str
    offset: int
    score: float | None

    @property
    def exact(self) -> bool:
        return self.offset >= 0

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> TrackerHit:
        return cls(
            conversation_id=_text(data.get("conversationId")),
            message_id=_text(data.get("messageId")),
            text=_text(data.get("text")),
            phrase=_text(data.get("phrase")),
            offset=_offset(data.get("offset")),
            score=_score(data.get("score")),
        )


@dataclass(frozen=True)
class PhraseCount:
    """What one phrase caught across the account (0 hits: it caught nothing yet)."""

    phrase: str
    hits: int
    conversations: int
    in_tracker: bool = True  # False: a phrase since removed, its detections being re-scored

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> PhraseCount:
        return cls(
            phrase=_text(data.get("phrase")),
            hits=_whole(data.get("hits")),
            conversations=_whole(data.get("conversations")),
            in_tracker=data.get("inTracker") is not False,
        )


@dataclass(frozen=True)
class TrackerHits:
    """GET /v1/x/trackers/{id}/hits. `scored` and `phrases` are None from a server that does
    not give them (they came later): the page then leaves out "of M" and the phrase marks."""

    tracker_id: str
    hits: int
    conversations: int
    rescoring: bool
    recent: tuple[TrackerHit, ...]
    scored: int | None = None
    phrases: tuple[PhraseCount, ...] | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> TrackerHits:
        scored = data.get("scored")
        return cls(
            tracker_id=_text(data.get("trackerId")),
            hits=_whole(data.get("hits")),
            conversations=_whole(data.get("conversations")),
            rescoring=data.get("rescoring") is True,
            recent=tuple(TrackerHit.from_api(item) for item in _dicts(data.get("recent"))),
            scored=_whole(scored) if isinstance(scored, int) else None,
            phrases=(
                tuple(PhraseCount.from_api(item) for item in _dicts(data.get("phrases")))
                if isinstance(data.get("phrases"), list)
                else None
            ),
        )


@dataclass(frozen=True)
class TopTracker:
    id: str
    name: str
    hits: int
    conversations: int


@dataclass(frozen=True)
class TopTrackers:
    """GET /v1/x/trackers/top: the trackers that caught most messages in conversations that
    started in the last `days` days (`conversations` of them started in that window)."""

    days: int
    since: datetime | None
    conversations: int
    trackers: tuple[TopTracker, ...]

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> TopTrackers:
        return cls(
            days=_whole(data.get("days")),
            since=parse_time(data.get("since")),
            conversations=_whole(data.get("conversations")),
            trackers=tuple(
                TopTracker(
                    id=_text(item.get("id")),
                    name=_text(item.get("name")),
                    hits=_whole(item.get("hits")),
                    conversations=_whole(item.get("conversations")),
                )
                for item in _dicts(data.get("trackers"))
            ),
        )
