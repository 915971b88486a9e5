"""Management API client layer: conversations, messages and jobs as frozen dataclasses.

Parsed at the boundary like trackers and groups (types.py): ids are strings, times are aware
datetimes (None when a server sent none or something unreadable, the text kept beside it),
metadata is a read-only mapping, and fields we do not model are kept in `extra`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .types import Extra

_NO_EXTRA = Extra()


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time from a server as an aware datetime (UTC when it names no zone)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _rest(data: dict[str, Any], known: tuple[str, ...]) -> Extra:
    rest = {k: v for k, v in data.items() if k not in known}
    return Extra(rest) if rest else _NO_EXTRA


@dataclass(frozen=True)
class Member:
    name: str
    email: str = ""

    @classmethod
    def from_api(cls, data: Any) -> Member:
        data = data if isinstance(data, dict) else {}
        return cls(
            name=_text(data.get("name")), email=_text(data.get("email") or data.get("userId"))
        )


@dataclass(frozen=True)
class Conversation:
    """A conversation: GET /v1/conversations/{id} and the lists."""

    id: str
    name: str
    type: str = "text"
    start_time: datetime | None = None
    end_time: datetime | None = None
    members: tuple[Member, ...] = ()
    metadata: Extra = _NO_EXTRA  # string keys to string values
    start_time_text: str = ""
    extra: Extra = field(default=_NO_EXTRA, compare=False)

    KNOWN = ("id", "name", "type", "startTime", "endTime", "members", "metadata")

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Conversation:
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        members = data.get("members") if isinstance(data.get("members"), list) else []
        return cls(
            id=_text(data.get("id")),
            name=_text(data.get("name")),
            type=_text(data.get("type") or "text"),
            start_time=parse_time(data.get("startTime")),
            end_time=parse_time(data.get("endTime")),
            members=tuple(Member.from_api(m) for m in members),
            metadata=Extra({str(k): _text(v) for k, v in metadata.items()}),
            start_time_text=_text(data.get("startTime")),
            extra=_rest(data, cls.KNOWN),
        )


@dataclass(frozen=True)
class Message:
    """One sentence of a conversation: GET /v1/conversations/{id}/messages."""

    id: str
    text: str
    speaker: str = ""  # from.name
    speaker_id: str = ""  # from.userId (or email)
    start_time: datetime | None = None
    end_time: datetime | None = None
    conversation_id: str = ""
    extra: Extra = field(default=_NO_EXTRA, compare=False)

    KNOWN = ("id", "text", "from", "startTime", "endTime", "conversationId")

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Message:
        speaker = data.get("from") if isinstance(data.get("from"), dict) else {}
        return cls(
            id=_text(data.get("id")),
            text=_text(data.get("text")),
            speaker=_text(speaker.get("name")),
            speaker_id=_text(speaker.get("userId") or speaker.get("email")),
            start_time=parse_time(data.get("startTime")),
            end_time=parse_time(data.get("endTime")),
            conversation_id=_text(data.get("conversationId")),
            extra=_rest(data, cls.KNOWN),
        )


@dataclass(frozen=True)
class Job:
    """GET /v1/job/{jobId}: scheduled, in_progress, completed or failed (with a reason)."""

    id: str
    status: str
    reason: str = ""

    @property
    def done(self) -> bool:
        return self.status in ("completed", "failed")

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Job:
        return cls(
            id=_text(data.get("id")),
            status=_text(data.get("status")),
            reason=_text(data.get("reason")),
        )


@dataclass(frozen=True)
class Submitted:
    """The answer to POST/PUT /v1/process/text."""

    conversation_id: str
    job_id: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Submitted:
        return cls(
            conversation_id=_text(data.get("conversationId")), job_id=_text(data.get("jobId"))
        )


@dataclass(frozen=True)
class GroupRef:
    """A group that selects a conversation: GET /v1/x/conversations/{id}/groups."""

    id: str
    name: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> GroupRef:
        return cls(id=_text(data.get("id")), name=_text(data.get("name")))


@dataclass(frozen=True)
class ConversationPage:
    """A page of conversations and, where the server counts them (our search), the total."""

    conversations: tuple[Conversation, ...]
    total: int | None = None


@dataclass(frozen=True)
class SelectedIds:
    """The ids of what criteria select (up to the limit asked) and how many they select."""

    ids: tuple[str, ...]
    total: int

    @property
    def complete(self) -> bool:
        return len(self.ids) == self.total


def text_message(
    text: str,
    *,
    speaker: str = "",
    speaker_id: str = "",
    start_time: datetime | str | None = None,
    end_time: datetime | str | None = None,
) -> dict[str, Any]:
    """One message of a POST /v1/process/text body, in the Async API's own shape."""
    message: dict[str, Any] = {"payload": {"content": text, "contentType": "text/plain"}}
    speaker_fields = {k: v for k, v in (("name", speaker), ("userId", speaker_id)) if v}
    if speaker_fields:
        message["from"] = speaker_fields
    duration = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in (("startTime", start_time), ("endTime", end_time))
        if value
    }
    if duration:
        message["duration"] = duration
    return message
