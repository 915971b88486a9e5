"""Conversation import, the rules layer: a Draft per conversation read from the upload, the
checks that name each problem where it is (row, item or file), the import's bounds, and the
preview's counts. The formats themselves are read in import_formats.py.

A draft with any problem is skipped as a whole (never half a conversation); nothing is sent
until the user has seen the preview and confirmed the good ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from symbl_admin.contract import (
    MAX_BODY_BYTES,
    MAX_METADATA_KEY,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE,
)

MAX_CONVERSATIONS = 1000  # per import
MAX_IMPORT_BYTES = 5 * 1024 * 1024  # all uploaded files of one import together
MAX_FILES = MAX_CONVERSATIONS + 1  # .txt transcripts, plus one metadata CSV
MAX_NAME = 1024  # a conversation's name, a speaker's name or id (the server's bound)
PREVIEW_CONVERSATIONS = 5  # conversations whose first messages the preview shows
PREVIEW_MESSAGES = 3


class ImportRefused(ValueError):
    """The upload as a whole cannot be imported (format, size, count); the message says why."""


class Said(NamedTuple):
    """One message as read, kept small: an import holds up to 1,000 conversations' messages
    from the preview until each is sent (as Async API dicts they took about five times the
    memory). `as_message` gives its Async API shape when a body is built."""

    text: str
    speaker: str = ""
    user_id: str = ""
    start: str = ""
    end: str = ""

    def as_message(self) -> dict[str, Any]:
        message: dict[str, Any] = {"payload": {"content": self.text, "contentType": "text/plain"}}
        speaker = {k: v for k, v in (("name", self.speaker), ("userId", self.user_id)) if v}
        if speaker:
            message["from"] = speaker
        duration = {k: v for k, v in (("startTime", self.start), ("endTime", self.end)) if v}
        if duration:
            message["duration"] = duration
        return message


@dataclass
class Draft:
    """One conversation as read: `where` names it in the file ("item 2", "rows 2–9",
    "call-4.txt"); `messages` are in the Async API's own shape."""

    where: str
    name: str
    messages: list[Said] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def speakers(self) -> set[str]:
        return {m.speaker for m in self.messages} - {""}

    def body(self) -> dict[str, Any]:
        """What POST /v1/process/text gets (without the name, sent beside it)."""
        return {
            "name": self.name,
            "messages": [m.as_message() for m in self.messages],
            "metadata": self.metadata,
        }

    def first_messages(self) -> list[dict[str, str]]:
        return [{"speaker": m.speaker, "text": m.text} for m in self.messages[:PREVIEW_MESSAGES]]


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 date-time (a bare one is UTC), or None."""
    if not isinstance(value, str) or "T" not in value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def metadata_problems(metadata: Any, where: str = "metadata") -> list[str]:
    """The contract's metadata rules: a flat object of string keys to string values, each
    at most MAX_METADATA_VALUE characters, at most MAX_METADATA_KEYS keys."""
    if not isinstance(metadata, dict):
        return [f"{where} must be an object of keys to text values."]
    problems = []
    if len(metadata) > MAX_METADATA_KEYS:
        problems.append(f"{where} has {len(metadata)} keys; the most is {MAX_METADATA_KEYS}.")
    for key, value in metadata.items():
        if not str(key).strip() or len(str(key)) > MAX_METADATA_KEY:
            problems.append(
                f"{where} key “{str(key)[:40]}” must be 1 to {MAX_METADATA_KEY} characters."
            )
        if not isinstance(value, str):
            problems.append(
                f"{where} “{key}” must be text, not {type(value).__name__} (metadata is flat: "
                "keys to text values)."
            )
        elif len(value) > MAX_METADATA_VALUE:
            problems.append(
                f"{where} “{key}” is {len(value)} characters; the most is {MAX_METADATA_VALUE}."
            )
    return problems


def check(drafts: list[Draft]) -> None:
    """Add the problems every format shares: no messages, a name too long or repeated, the
    metadata rules, a body over the server's limit."""
    seen: dict[str, str] = {}
    for draft in drafts:
        if not draft.messages and not draft.problems:
            draft.problems.append("It has no messages.")
        if not draft.name.strip():
            draft.problems.append("It has no name.")
        elif len(draft.name) > MAX_NAME:
            draft.problems.append(
                f"Its name is {len(draft.name)} characters; the most is {MAX_NAME}."
            )
        elif draft.name in seen:
            draft.problems.append(
                f"The name “{draft.name}” is used earlier, in {seen[draft.name]}."
            )
        else:
            seen[draft.name] = draft.where
        draft.problems.extend(metadata_problems(draft.metadata))
        size = len(json.dumps(draft.body(), ensure_ascii=False).encode())
        if size > MAX_BODY_BYTES:
            draft.problems.append(
                f"It is {size / 1_048_576:.1f} MB as a request; the server takes at most 1 MB "
                "per conversation. Split it."
            )


def check_bounds(drafts: list[Draft]) -> None:
    """Raises: ImportRefused when the upload holds more conversations than one import takes."""
    if len(drafts) > MAX_CONVERSATIONS:
        raise ImportRefused(
            f"This upload holds {len(drafts):,} conversations; one import takes at most "
            f"{MAX_CONVERSATIONS:,}. Split it into several imports."
        )
    if not drafts:
        raise ImportRefused("There is no conversation in what was uploaded.")


def summary(drafts: list[Draft]) -> dict[str, Any]:
    """The preview's counts and samples."""
    good = [d for d in drafts if d.valid]
    return {
        "conversations": len(drafts),
        "good": len(good),
        "bad": len(drafts) - len(good),
        "messages": sum(len(d.messages) for d in good),
        "speakers": len(set().union(*(d.speakers for d in good))) if good else 0,
        "samples": [
            {"name": d.name, "where": d.where, "messages": d.first_messages()}
            for d in good[:PREVIEW_CONVERSATIONS]
        ],
        "problems": [
            {"name": d.name or "(no name)", "where": d.where, "problems": d.problems}
            for d in drafts
            if not d.valid
        ],
    }
