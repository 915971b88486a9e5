"""The Management API contract's resources, in one place: fields, limits, character rules.

Both sides read this module: our server's validation (local_api), the dashboard's rules and
forms (trackers/, groups/), the audit log's diffs and reconciliation, and the JavaScript
(through data attributes the templates fill from here). It imports nothing of the project,
so any layer may import it. A new field or limit is written here once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 1_048_576  # request bodies over 1 MB are answered 413
SERVER_STAMPS = ("createdOn", "updatedOn")  # set by the server; nobody edits them

LIST_KINDS = frozenset({"phrases", "labels", "languages"})

PHRASE_PUNCTUATION = ".'’-"
GROUP_NAME_PUNCTUATION = '-_"”'


@dataclass(frozen=True)
class Field:
    """One field a person edits. `kind` says how it is shown, compared and cleaned:
    "text" (a string), "criteria" (RSQL text), or a list of strings: "phrases" (ordered,
    under the phrase rules), "labels" (short distinct labels) or "languages" (BCP 47 tags)."""

    name: str  # the API's key
    label: str  # plain words for screens
    kind: str = "text"
    required: bool = True
    max_length: int | None = None  # characters, for text; for each item, for lists
    max_items: int | None = None  # entries, for lists

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    def clean(self, value: Any) -> Any:
        """The value as the API takes it (a string, or a list of strings)."""
        if self.is_list:
            return [str(item) for item in value or []]
        return "" if value is None else str(value)

    def accepts(self, value: Any) -> bool:
        """Whether a logged value has this field's shape (None for an optional field)."""
        if value is None:
            return not self.required
        if self.is_list:
            return isinstance(value, list | tuple)
        return isinstance(value, str)


@dataclass(frozen=True)
class ResourceSpec:
    """A resource of the contract: its audit object type, its fields, its account limit."""

    object_type: str  # "tracker"
    plural: str  # "trackers" (also the API path and the client attribute)
    fields: tuple[Field, ...]
    max_objects: int | None = None  # per account

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        """Raises: KeyError for a field the resource does not have."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def label(self, key: str) -> str:
        """Plain words for any key of an object of this resource, known or not."""
        for f in self.fields:
            if f.name == key:
                return f.label
        return _LABELS.get(key) or _words(key)

    def editable(self, state: Any) -> dict[str, Any] | None:
        """The editable fields of a logged or fetched state, cleaned, or None when the state
        lacks a required field or has one of the wrong shape (it cannot be written back)."""
        if not isinstance(state, dict):
            return None
        if not all(f.accepts(state.get(f.name)) for f in self.fields):
            return None
        return {f.name: f.clean(state.get(f.name)) for f in self.fields}


_LABELS = {"id": "ID", "createdOn": "Created", "updatedOn": "Last updated"}


def _words(key: str) -> str:
    """camelCase or snake_case → "Sentence case words"."""
    out = []
    for ch in key.replace("_", " "):
        if ch.isupper() and out and out[-1] != " ":
            out.append(" ")
        out.append(ch.lower())
    text = "".join(out).strip()
    return text[:1].upper() + text[1:]


# Every free-text value has a length limit (issue 22: a 972 KB criteria string made the group
# list 1.4 MB). Where the contract documents none, ours: generous beside real use (phrases are
# a few words, criteria a few hundred characters, a language tag a dozen).
MAX_PHRASE_LENGTH = 255  # each phrase, tracked or ignored
MAX_LANGUAGE_TAG = 64  # BCP 47 asks implementations to take at least 35
MAX_CRITERIA_LENGTH = 4096

TRACKER = ResourceSpec(
    object_type="tracker",
    plural="trackers",
    fields=(
        Field("name", "Name", max_length=255),
        Field("vocabulary", "Phrases", kind="phrases", max_length=MAX_PHRASE_LENGTH, max_items=50),
        # The later hosted API's fields (the contract's "later tracker fields"): optional.
        Field("description", "Description", required=False, max_length=512),
        Field(
            "categories", "Categories", kind="labels", required=False, max_length=64, max_items=20
        ),
        Field(
            "languages",
            "Languages",
            kind="languages",
            required=False,
            max_length=MAX_LANGUAGE_TAG,
            max_items=50,
        ),
        Field(
            "excludeVocabulary",
            "Phrases to ignore",
            kind="phrases",
            required=False,
            max_length=MAX_PHRASE_LENGTH,
            max_items=50,
        ),
    ),
    max_objects=500,
)
TRACKER_TYPE = "custom"  # the only tracker type; the server sets it when it is omitted

GROUP = ResourceSpec(
    object_type="group",
    plural="groups",
    fields=(
        Field("name", "Name", max_length=128),
        Field("description", "Description", required=False, max_length=512),
        Field("criteria", "Criteria", kind="criteria", max_length=MAX_CRITERIA_LENGTH),
    ),
)

RESOURCES = {spec.object_type: spec for spec in (TRACKER, GROUP)}

RECOMMENDED_MIN_PHRASES = 5  # the docs' advice; fewer is allowed (the dashboard warns)
MAX_PHRASES = TRACKER.field("vocabulary").max_items
MAX_EXCLUDED_PHRASES = TRACKER.field("excludeVocabulary").max_items
MAX_TRACKER_DESCRIPTION = TRACKER.field("description").max_length
MAX_CATEGORIES = TRACKER.field("categories").max_items
MAX_CATEGORY_LENGTH = TRACKER.field("categories").max_length
MAX_TRACKERS = TRACKER.max_objects
TRACKER_NAME_MAX = TRACKER.field("name").max_length
MAX_GROUP_NAME = GROUP.field("name").max_length
MAX_GROUP_DESCRIPTION = GROUP.field("description").max_length
MAX_LANGUAGES = TRACKER.field("languages").max_items
MAX_CRITERIA = GROUP.field("criteria").max_length


def spec_for(object_type: str) -> ResourceSpec | None:
    """The resource behind an audit object type, or None (sign-ins have none)."""
    return RESOURCES.get(object_type)


def _is_letter_digit_or_space(char: str) -> bool:
    # Letters of any script need their combining marks (M*) too, e.g. Devanagari vowel signs.
    return unicodedata.category(char)[0] in "LMN" or unicodedata.category(char) == "Zs"


def phrase_char_allowed(char: str) -> bool:
    """Whether a tracker phrase may contain `char`."""
    return _is_letter_digit_or_space(char) or char in PHRASE_PUNCTUATION


def group_name_char_allowed(char: str) -> bool:
    """Whether a group name may contain `char`."""
    return _is_letter_digit_or_space(char) or char in GROUP_NAME_PUNCTUATION


def disallowed(text: str, allowed) -> list[str]:
    """The characters of `text` that `allowed(char)` refuses, each once, in order."""
    bad: list[str] = []
    for ch in text:
        if not allowed(ch) and ch not in bad:
            bad.append(ch)
    return bad


def show_char(char: str) -> str:
    """A character as a message names it: itself, or its code point when it is invisible."""
    if char.isprintable() and not char.isspace():
        return f'"{char}"'
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'control character').lower()})"


# Conversations: the Async text path and the Conversation API subset (MANAGEMENT-API.md).
MAX_METADATA_KEYS = 50  # per conversation
MAX_METADATA_VALUE = 128  # characters per value
MAX_METADATA_KEY = 128  # characters per key (the contract is silent; our server's bound)
CONVERSATION_LIMIT_DEFAULT = 20  # `limit` of the conversation lists
CONVERSATION_LIMIT_MAX = 65_536
CONVERSATION_WINDOW_DAYS = 7  # the documented default time window of the lists
JOB_STATUSES = ("scheduled", "in_progress", "completed", "failed")
JOB_MAX_ATTEMPTS = 3  # then a job ends `failed` with its reason
