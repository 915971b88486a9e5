"""Local Management API server: the contract's rules for tracker and group bodies.

Each check raises `RuleBroken` with a message that names the field, the item index and the
offending value, so a person reading the 400 knows what to change, and with the fields the
rule is about (a patch names the operation that touched them). Unknown keys are ignored.
The limits and character rules are the contract's (symbl_admin.contract); this module only
words the answers. The validators return the stored fields by API name, in the contract's
order, with the defaults filled in.
"""

from __future__ import annotations

from typing import Any

import langcodes

from symbl_admin.contract import (
    GROUP_NAME_PUNCTUATION,
    MAX_CATEGORIES,
    MAX_CATEGORY_LENGTH,
    MAX_CRITERIA,
    MAX_EXCLUDED_PHRASES,
    MAX_GROUP_DESCRIPTION,
    MAX_GROUP_NAME,
    MAX_LANGUAGE_TAG,
    MAX_LANGUAGES,
    MAX_PHRASE_LENGTH,
    MAX_PHRASES,
    MAX_TRACKER_DESCRIPTION,
    PHRASE_PUNCTUATION,
    TRACKER_NAME_MAX,
    TRACKER_TYPE,
    disallowed,
    group_name_char_allowed,
    phrase_char_allowed,
    show_char,
)
from symbl_admin.rsql import RSQLError, validate_criteria

#: What an omitted (or null) later tracker field is on create: the contract's defaults.
TRACKER_DEFAULTS: dict[str, Any] = {
    "description": "",
    "categories": [],
    "languages": [],
    "excludeVocabulary": [],
}


class RuleBroken(Exception):
    """A body breaks one of the contract's rules (answered 400). `fields` are the keys the
    rule is about."""

    def __init__(self, message: str, *fields: str) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


def json_type(value: Any) -> str:
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _required_text(body: dict[str, Any], key: str) -> str:
    if key not in body:
        raise RuleBroken(f'"{key}" is required.', key)
    value = body[key]
    if not isinstance(value, str):
        raise RuleBroken(f'"{key}" must be a string, not {json_type(value)}.', key)
    if not value.strip():
        raise RuleBroken(f'"{key}" must not be empty or only spaces.', key)
    return value


def _within(key: str, value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise RuleBroken(
            f'"{key}" has {len(value)} characters; at most {max_length} are allowed.', key
        )
    return value


def _optional_text(body: dict[str, Any], key: str, default: str, max_length: int) -> str:
    value = body.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise RuleBroken(f'"{key}" must be a string, not {json_type(value)}.', key)
    return _within(key, value, max_length)


def _item_within(where: str, item: str, max_length: int, key: str) -> None:
    if len(item) > max_length:
        shown = item if len(item) <= 100 else item[:40] + "…"  # never echo a megabyte
        raise RuleBroken(
            f'{where} ("{shown}") has {len(item)} characters; at most {max_length} are allowed.',
            key,
        )


def _require_object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise RuleBroken(f"{what} must be a JSON object, not {json_type(body)}.")
    return body


def _optional_list(body: dict[str, Any], key: str, default: list[str], what: str) -> list[Any]:
    value = body.get(key)
    if value is None:
        return list(default)
    if not isinstance(value, list):
        raise RuleBroken(f'"{key}" must be a list of {what}, not {json_type(value)}.', key)
    return value


def _phrases(key: str, phrases: list[Any], max_items: int) -> list[str]:
    """A phrase list under the vocabulary rules (count, type, characters, no repeats)."""
    if len(phrases) > max_items:
        raise RuleBroken(
            f'"{key}" has {len(phrases)} phrases; at most {max_items} are allowed.', key
        )
    seen: dict[str, int] = {}
    for index, phrase in enumerate(phrases):
        where = f'Phrase at index {index} of "{key}"'
        if not isinstance(phrase, str):
            raise RuleBroken(f"{where} must be a string, not {json_type(phrase)}.", key)
        if not phrase.strip():
            raise RuleBroken(f"{where} is empty or only spaces.", key)
        _item_within(where, phrase, MAX_PHRASE_LENGTH, key)
        bad = disallowed(phrase, phrase_char_allowed)
        if bad:
            raise RuleBroken(
                f'{where} ("{phrase}") contains {show_char(bad[0])}: only letters, digits, spaces '
                f"and the punctuation {' '.join(PHRASE_PUNCTUATION)} are allowed.",
                key,
            )
        if phrase in seen:
            raise RuleBroken(
                f'{where} ("{phrase}") repeats the phrase at index {seen[phrase]}; '
                "phrases must be unique.",
                key,
            )
        seen[phrase] = index
    return list(phrases)


def _vocabulary(body: dict[str, Any]) -> list[str]:
    if "vocabulary" not in body:
        raise RuleBroken(
            f'"vocabulary" is required: a list of 1 to {MAX_PHRASES} phrases.', "vocabulary"
        )
    vocabulary = body["vocabulary"]
    if not isinstance(vocabulary, list):
        raise RuleBroken(
            f'"vocabulary" must be a list of phrases, not {json_type(vocabulary)}.', "vocabulary"
        )
    if not vocabulary:
        raise RuleBroken('"vocabulary" must contain at least 1 phrase.', "vocabulary")
    return _phrases("vocabulary", vocabulary, MAX_PHRASES)


def _categories(labels: list[Any]) -> list[str]:
    key = "categories"
    if len(labels) > MAX_CATEGORIES:
        raise RuleBroken(
            f'"{key}" has {len(labels)} categories; at most {MAX_CATEGORIES} are allowed.', key
        )
    seen: dict[str, int] = {}
    for index, label in enumerate(labels):
        where = f'Category at index {index} of "{key}"'
        if not isinstance(label, str):
            raise RuleBroken(f"{where} must be a string, not {json_type(label)}.", key)
        if not label.strip():
            raise RuleBroken(f"{where} is empty or only spaces.", key)
        _item_within(where, label, MAX_CATEGORY_LENGTH, key)
        if label in seen:
            raise RuleBroken(
                f'{where} ("{label}") repeats the category at index {seen[label]}; '
                "categories must be distinct.",
                key,
            )
        seen[label] = index
    return list(labels)


def _languages(tags: list[Any]) -> list[str]:
    """Distinct valid BCP 47 tags, kept as given. Validity is langcodes' (the IANA registry);
    langcodes also reads "en_US" as "en-US", but BCP 47's only separator is "-". Tags are
    case-insensitive, so "en-US" and "en-us" are the same language twice."""
    key = "languages"
    if len(tags) > MAX_LANGUAGES:
        raise RuleBroken(
            f'"{key}" has {len(tags)} languages; at most {MAX_LANGUAGES} are allowed.', key
        )
    seen: dict[str, int] = {}
    for index, tag in enumerate(tags):
        where = f'Language at index {index} of "{key}"'
        if not isinstance(tag, str):
            raise RuleBroken(f"{where} must be a string, not {json_type(tag)}.", key)
        _item_within(where, tag, MAX_LANGUAGE_TAG, key)
        if "_" in tag or not langcodes.tag_is_valid(tag):
            hint = ' (subtags are separated by "-")' if "_" in tag else ""
            raise RuleBroken(
                f'{where} ("{tag}") is not a valid BCP 47 language tag{hint}; use tags such '
                'as "en-US", "fr-FR" or "es".',
                key,
            )
        folded = tag.lower()
        if folded in seen:
            raise RuleBroken(
                f'{where} ("{tag}") repeats the language at index {seen[folded]}; '
                "languages must be distinct.",
                key,
            )
        seen[folded] = index
    return list(tags)


def _check_type(body: dict[str, Any]) -> None:
    value = body.get("type")
    if value is None or value == TRACKER_TYPE:
        return
    shown = f'"{value}"' if isinstance(value, str) else json_type(value)
    raise RuleBroken(
        f'"type" must be "{TRACKER_TYPE}" (the only tracker type) or left out, not {shown}.',
        "type",
    )


def _not_in_both(vocabulary: list[str], excluded: list[str]) -> None:
    tracked = {phrase: index for index, phrase in enumerate(vocabulary)}
    for index, phrase in enumerate(excluded):
        if phrase in tracked:
            raise RuleBroken(
                f'Phrase at index {index} of "excludeVocabulary" ("{phrase}") is also at index '
                f'{tracked[phrase]} of "vocabulary"; a phrase cannot be both tracked and '
                "ignored.",
                "vocabulary",
                "excludeVocabulary",
            )


def tracker_fields(body: Any, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored fields of a valid tracker body: name, vocabulary, the later fields, type.

    A later field that is omitted or null takes its value from `current` (the stored tracker,
    on update: an update that predates the field leaves it as it is), else the default.
    `createdOn`/`updatedOn` and unknown keys are ignored.

    Raises:
        RuleBroken: which rule, which field, which item.
    """
    body = _require_object(body, 'A tracker (with "name" and "vocabulary")')
    base = {key: (current or {}).get(key, default) for key, default in TRACKER_DEFAULTS.items()}
    name = _within("name", _required_text(body, "name"), TRACKER_NAME_MAX)
    vocabulary = _vocabulary(body)
    description = _optional_text(body, "description", base["description"], MAX_TRACKER_DESCRIPTION)
    categories = _categories(_optional_list(body, "categories", base["categories"], "labels"))
    languages = _languages(
        _optional_list(body, "languages", base["languages"], "BCP 47 language tags")
    )
    excluded = _phrases(
        "excludeVocabulary",
        _optional_list(body, "excludeVocabulary", base["excludeVocabulary"], "phrases"),
        MAX_EXCLUDED_PHRASES,
    )
    _not_in_both(vocabulary, excluded)
    _check_type(body)
    return {
        "name": name,
        "vocabulary": vocabulary,
        "description": description,
        "categories": categories,
        "languages": languages,
        "excludeVocabulary": excluded,
        "type": TRACKER_TYPE,
    }


def group_fields(body: Any, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The name, description and criteria of a valid group body; no description means ""
    (on update too: a group update is a full replacement, so `current` is not used).

    Raises:
        RuleBroken: which rule, which field; for criteria, where in the text.
    """
    body = _require_object(body, 'A group (with "name" and "criteria")')
    name = _within("name", _required_text(body, "name"), MAX_GROUP_NAME)
    bad = disallowed(name, group_name_char_allowed)
    if bad:
        raise RuleBroken(
            f'"name" ("{name}") contains {show_char(bad[0])}: only letters, digits, spaces and '
            f"{' '.join(GROUP_NAME_PUNCTUATION)} are allowed.",
            "name",
        )
    description = _optional_text(body, "description", "", MAX_GROUP_DESCRIPTION)
    criteria = _within("criteria", _required_text(body, "criteria"), MAX_CRITERIA)
    try:
        validate_criteria(criteria)
    except RSQLError as error:
        raise RuleBroken(f'"criteria" is not accepted: {error.message}', "criteria") from None
    return {"name": name, "description": description, "criteria": criteria}


def check_body_id(body: Any, path_id: str) -> None:
    """An update body may repeat the path id (as a string or number) but not contradict it.

    Raises:
        RuleBroken: the body's id differs from the id in the path.
    """
    if not isinstance(body, dict) or "id" not in body or body["id"] is None:
        return
    body_id = body["id"]
    if isinstance(body_id, bool) or not isinstance(body_id, str | int):
        raise RuleBroken(f'"id" must be a string, not {json_type(body_id)}.', "id")
    if str(body_id) != path_id:
        raise RuleBroken(
            f'"id" in the body ({body_id}) differs from the id in the path ({path_id}); '
            "an update cannot change an id.",
            "id",
        )
