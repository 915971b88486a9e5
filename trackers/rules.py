"""Trackers domain rules: the contract's validation, mirrored before sending, and the
best-practice hints from the vendor's guidance (warnings, never errors).

Kept free of Django forms so the live checker, the form and the import preview share it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

import langcodes

from symbl_admin.contract import (
    MAX_BODY_BYTES,
    MAX_CATEGORIES,
    MAX_CATEGORY_LENGTH,
    MAX_EXCLUDED_PHRASES,
    MAX_LANGUAGE_TAG,
    MAX_LANGUAGES,
    MAX_PHRASE_LENGTH,
    MAX_PHRASES,
    MAX_TRACKER_DESCRIPTION,
    RECOMMENDED_MIN_PHRASES,
    disallowed,
    phrase_char_allowed,
)
from symbl_admin.contract import MAX_TRACKERS as MAX_TRACKERS  # re-exported for importers
from symbl_admin.contract import TRACKER_NAME_MAX as NAME_MAX_LENGTH

LONG_PHRASE_WORDS = 12
CHECKED_LANGUAGES = 200

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
    """Result of checking a tracker: errors block saving, hints only advise."""

    name_errors: list[str] = field(default_factory=list)
    phrases_errors: list[str] = field(default_factory=list)  # about the list as a whole
    phrase_errors: dict[int, list[str]] = field(default_factory=dict)  # 0-based index → messages
    phrase_hints: dict[int, list[str]] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)  # about the tracker as a whole
    # The later fields (see the contract): description, categories, languages, and the
    # phrases to ignore, checked by the same phrase rules as the vocabulary.
    description_errors: list[str] = field(default_factory=list)
    categories_errors: list[str] = field(default_factory=list)
    languages_errors: list[str] = field(default_factory=list)
    excluded_errors: list[str] = field(default_factory=list)
    excluded_phrase_errors: dict[int, list[str]] = field(default_factory=dict)
    invalid_languages: list[str] = field(default_factory=list)  # to mark their chips

    @property
    def ok(self) -> bool:
        return not (
            self.name_errors
            or self.phrases_errors
            or self.phrase_errors
            or self.description_errors
            or self.categories_errors
            or self.languages_errors
            or self.excluded_errors
            or self.excluded_phrase_errors
        )

    def excluded_error_messages(self, excluded: list[str]) -> list[str]:
        """Per-phrase errors of the phrases to ignore, as sentences naming the phrase."""
        return [
            f"Phrase to ignore {i + 1} (“{_short(excluded[i])}”): {message}"
            for i, messages in sorted(self.excluded_phrase_errors.items())
            for message in messages
        ]

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


def split_labels(text: str) -> list[str]:
    """Comma-separated labels or tags; surrounding spaces trimmed, empty ones dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


def body_size(name: str, phrases: list[str], **later: object) -> int:
    """Bytes of the JSON body the client will send (compact, UTF-8), for the 1 MB limit:
    the name, the phrases and any later fields (description, categories, ...)."""
    body = {"name": name, "vocabulary": phrases, **later}
    return len(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())


def check_tracker(
    name: str,
    phrases: list[str],
    *,
    description: str = "",
    categories: list[str] = (),
    languages: list[str] = (),
    excluded: list[str] = (),
) -> TrackerCheck:
    """Check a tracker against the contract's rules and the best-practice hints."""
    result = TrackerCheck()
    _check_later_fields(result, description, list(categories), list(languages))
    _check_excluded(result, list(phrases), list(excluded))
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

    # Over the limit the count's error blocks saving; phrase by phrase, only those that fit
    # are judged, so a megabyte of one-letter lines is answered at once, not line by line.
    phrases = phrases[:MAX_PHRASES]
    result.phrase_errors.update(_phrase_list_errors(phrases, "phrase"))
    for index, phrase in enumerate(phrases):
        hints = phrase_hints(phrase)
        if hints:
            result.phrase_hints[index] = hints

    later = {
        "description": description,
        "categories": list(categories),
        "languages": list(languages),
        "excludeVocabulary": list(excluded),
    }
    if body_size(name, phrases, **later) > MAX_BODY_BYTES:
        result.phrases_errors.append(
            "Together the name, phrases and other fields are over the 1 MB the API accepts. "
            "Shorten or remove phrases."
        )
    return result


def _phrase_list_errors(phrases: list[str], noun: str) -> dict[int, list[str]]:
    """The phrase rules, per phrase (0-based index → messages): characters, repeats."""
    found: dict[int, list[str]] = {}
    seen: dict[str, int] = {}
    for index, phrase in enumerate(phrases):
        errors: list[str] = []
        if len(phrase) > MAX_PHRASE_LENGTH:
            errors.append(f"use at most {MAX_PHRASE_LENGTH} characters ({len(phrase)} now).")
        bad = disallowed_characters(phrase)
        if bad:
            errors.append(
                f"remove {', '.join(_describe(c) for c in bad)} — only letters, digits, "
                "spaces and . ' - are allowed."
            )
        if phrase in seen:
            errors.append(f"the same as {noun} {seen[phrase] + 1}; each {noun} must be different.")
        else:
            seen[phrase] = index
        if errors:
            found[index] = errors
    return found


def _check_excluded(result: TrackerCheck, phrases: list[str], excluded: list[str]) -> None:
    if len(excluded) > MAX_EXCLUDED_PHRASES:
        result.excluded_errors.append(
            f"At most {MAX_EXCLUDED_PHRASES} phrases to ignore; there are {len(excluded)}."
        )
    excluded = excluded[:MAX_EXCLUDED_PHRASES]  # as the vocabulary: those that fit the count
    result.excluded_phrase_errors.update(_phrase_list_errors(excluded, "phrase to ignore"))
    listening = set(phrases)
    for index, phrase in enumerate(excluded):
        if phrase in listening:
            result.excluded_phrase_errors.setdefault(index, []).append(
                "it is also a phrase to listen for; a phrase cannot be in both lists."
            )


def _check_later_fields(
    result: TrackerCheck, description: str, categories: list[str], languages: list[str]
) -> None:
    if len(description) > MAX_TRACKER_DESCRIPTION:
        result.description_errors.append(
            f"Use at most {MAX_TRACKER_DESCRIPTION} characters ({len(description)} now)."
        )
    if len(categories) > MAX_CATEGORIES:
        result.categories_errors.append(
            f"At most {MAX_CATEGORIES} categories; there are {len(categories)}."
        )
    messages = (
        "A category cannot be empty."
        if not label.strip()
        else f"“{_short(label)}” is longer than {MAX_CATEGORY_LENGTH} characters."
        for label in categories
        if not label.strip() or len(label) > MAX_CATEGORY_LENGTH
    )
    result.categories_errors.extend(_first(messages))
    repeated = sorted(label for label, n in Counter(categories).items() if n > 1)
    if repeated:
        result.categories_errors.append(f"Listed twice: {', '.join(_first(repeated))}.")
    if len(languages) > MAX_LANGUAGES:
        result.languages_errors.append(
            f"At most {MAX_LANGUAGES} languages; there are {len(languages)}."
        )
    # Each distinct tag once, and no more than a person types: a pasted megabyte of tags is
    # answered at once.
    distinct = list(dict.fromkeys(languages))[:CHECKED_LANGUAGES]
    result.invalid_languages = [
        tag for tag in distinct if len(tag) > MAX_LANGUAGE_TAG or not is_language_tag(tag)
    ]
    messages = (
        (
            f"“{_short(tag)}” is longer than {MAX_LANGUAGE_TAG} characters."
            if len(tag) > MAX_LANGUAGE_TAG
            else f"“{_short(tag)}” is not a language tag or a language we know by name; "
            "type a tag like en-US, fr-FR or es, or a name like English or French."
        )
        for tag in result.invalid_languages
    )
    result.languages_errors.extend(_first(messages))
    if len({tag.casefold() for tag in languages}) < len(languages):  # en-US = en-us
        result.languages_errors.append("A language is listed twice.")


def _first(items, limit: int = 10) -> list[str]:
    """At most `limit` messages, then how many more: a pasted megabyte stays readable."""
    items = list(items)
    more = len(items) - limit
    return items[:limit] + ([f"… and {more} more."] if more > 0 else [])


# Offered in the editor's language box (any valid tag may be typed), with their names as
# langcodes gives them (tests/trackers/test_language_names.py keeps them equal): naming them
# from here spares every worker langcodes' name data (18 MB) for the tags most accounts use.
COMMON_LANGUAGES = {
    "en-US": "English (United States)",
    "en-GB": "English (United Kingdom)",
    "en-AU": "English (Australia)",
    "en-IN": "English (India)",
    "es-ES": "Spanish (Spain)",
    "es-US": "Spanish (United States)",
    "fr-FR": "French (France)",
    "fr-CA": "French (Canada)",
    "de-DE": "German (Germany)",
    "it-IT": "Italian (Italy)",
    "pt-BR": "Portuguese (Brazil)",
    "pt-PT": "Portuguese (Portugal)",
    "nl-NL": "Dutch (Netherlands)",
    "sv-SE": "Swedish (Sweden)",
    "ja-JP": "Japanese (Japan)",
    "ko-KR": "Korean (South Korea)",
    "zh-CN": "Chinese (China)",
    "hi-IN": "Hindi (India)",
    "ar-SA": "Arabic (Saudi Arabia)",
    "ru-RU": "Russian (Russia)",
}


def is_language_tag(tag: str) -> bool:
    """A well-formed BCP 47 tag (en-US, fr-FR, es), as the server checks it (langcodes)."""
    return bool(re.fullmatch(r"[A-Za-z0-9-]+", tag)) and langcodes.tag_is_valid(tag)


def language_name(tag: str) -> str:
    """The tag in plain words ("French (France)"), or the tag itself when it has none."""
    if tag in COMMON_LANGUAGES:
        return COMMON_LANGUAGES[tag]
    try:
        return langcodes.Language.get(tag).display_name()
    except (ValueError, LookupError, ModuleNotFoundError):
        return tag


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
