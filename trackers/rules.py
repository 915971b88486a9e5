"""Trackers domain rules: the contract's validation, mirrored before sending, and the
best-practice hints from the vendor's guidance (warnings, never errors).

Kept free of Django forms so the live checker, the form and the import preview share it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from symbl_admin.contract import (
    MAX_BODY_BYTES,
    MAX_PHRASES,
    RECOMMENDED_MIN_PHRASES,
    disallowed,
    phrase_char_allowed,
)
from symbl_admin.contract import MAX_TRACKERS as MAX_TRACKERS  # re-exported for importers
from symbl_admin.contract import TRACKER_NAME_MAX as NAME_MAX_LENGTH

LONG_PHRASE_WORDS = 12

FILLER_OPENINGS = (
    "i think",
    "i feel",
    "i was wondering",
    "i am thinking",
    "i'm thinking",
    "i believe",
    "could you please",
    "can you please",
    "would you please",
    "i would like to know",
)


def disallowed_characters(phrase: str) -> list[str]:
    """Characters the API refuses in a phrase (the contract's rule), each listed once."""
    return disallowed(phrase, phrase_char_allowed)


def _describe(ch: str) -> str:
    return "a tab" if ch == "\t" else f"“{ch}”"


@dataclass
class TrackerCheck:
    """Result of checking a name and phrases: errors block saving, hints only advise."""

    name_errors: list[str] = field(default_factory=list)
    phrases_errors: list[str] = field(default_factory=list)  # about the list as a whole
    phrase_errors: dict[int, list[str]] = field(default_factory=dict)  # 0-based index → messages
    phrase_hints: dict[int, list[str]] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)  # about the tracker as a whole

    @property
    def ok(self) -> bool:
        return not (self.name_errors or self.phrases_errors or self.phrase_errors)

    def phrase_error_messages(self, phrases: list[str]) -> list[str]:
        """Per-phrase errors as sentences naming the phrase, for a field's error list."""
        return [
            f"Phrase {i + 1} (“{_short(phrases[i])}”): {message}"
            for i, messages in sorted(self.phrase_errors.items())
            for message in messages
        ]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_phrases(text: str) -> list[str]:
    """One phrase per line; surrounding spaces trimmed, blank lines dropped."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def body_size(name: str, phrases: list[str]) -> int:
    """Bytes of the JSON body the client will send (compact, UTF-8), for the 1 MB limit."""
    body = {"name": name, "vocabulary": phrases}
    return len(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())


def check_tracker(name: str, phrases: list[str]) -> TrackerCheck:
    """Check a tracker against the contract's rules and the best-practice hints."""
    result = TrackerCheck()
    if not name.strip():
        result.name_errors.append("Give the tracker a name.")
    elif len(name) > NAME_MAX_LENGTH:
        result.name_errors.append(f"Use at most {NAME_MAX_LENGTH} characters ({len(name)} now).")

    if not phrases:
        result.phrases_errors.append("Add at least one phrase (one per line).")
    elif len(phrases) > MAX_PHRASES:
        result.phrases_errors.append(
            f"A tracker holds at most {MAX_PHRASES} phrases; this one has {len(phrases)}. "
            "Split it into two trackers."
        )
    elif len(phrases) < RECOMMENDED_MIN_PHRASES:
        result.hints.append(
            f"Trackers work best with at least {RECOMMENDED_MIN_PHRASES} phrases "
            f"({len(phrases)} now): add a few more ways of saying the same thing."
        )

    seen: dict[str, int] = {}
    for index, phrase in enumerate(phrases):
        errors: list[str] = []
        bad = disallowed_characters(phrase)
        if bad:
            errors.append(
                f"remove {', '.join(_describe(c) for c in bad)} — only letters, digits, "
                "spaces and . ' - are allowed."
            )
        if phrase in seen:
            errors.append(f"the same as phrase {seen[phrase] + 1}; each phrase must be different.")
        else:
            seen[phrase] = index
        if errors:
            result.phrase_errors[index] = errors
        hints = phrase_hints(phrase)
        if hints:
            result.phrase_hints[index] = hints

    if body_size(name, phrases) > MAX_BODY_BYTES:
        result.phrases_errors.append(
            "Together the name and phrases are over the 1 MB the API accepts. Shorten or "
            "remove phrases."
        )
    return result


def phrase_hints(phrase: str) -> list[str]:
    """Best-practice advice for one phrase (from the vendor's tracker guidance)."""
    hints = []
    lowered = phrase.casefold().replace("’", "'")
    for opening in FILLER_OPENINGS:
        if lowered == opening or lowered.startswith(opening + " "):
            hints.append(
                f"Starts with “{phrase[: len(opening)]}”, which adds no meaning: keep the "
                "words that carry it."
            )
            break
    if len(phrase.split()) > LONG_PHRASE_WORDS:
        hints.append("Long phrase: short, simple phrases track better. Keep the key words.")
    if re.search(r"\bbut\b", lowered):
        hints.append("Joins two thoughts with “but”: give each meaning its own phrase.")
    return hints
