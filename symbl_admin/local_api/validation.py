"""Local Management API server: the contract's rules for tracker and group bodies.

Each check raises `RuleBroken` with a message that names the field, the item index and the
offending value, so a person reading the 400 knows what to change. Unknown keys are ignored.
The limits and character rules are the contract's (symbl_admin.contract); this module only
words the answers.
"""

from __future__ import annotations

from typing import Any

from symbl_admin.contract import (
    GROUP_NAME_PUNCTUATION,
    MAX_GROUP_DESCRIPTION,
    MAX_GROUP_NAME,
    MAX_PHRASES,
    PHRASE_PUNCTUATION,
    disallowed,
    group_name_char_allowed,
    phrase_char_allowed,
    show_char,
)
from symbl_admin.rsql import RSQLError, validate_criteria


class RuleBroken(Exception):
    """A body breaks one of the contract's rules (answered 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
        raise RuleBroken(f'"{key}" is required.')
    value = body[key]
    if not isinstance(value, str):
        raise RuleBroken(f'"{key}" must be a string, not {json_type(value)}.')
    if not value.strip():
        raise RuleBroken(f'"{key}" must not be empty or only spaces.')
    return value


def _require_object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise RuleBroken(f"{what} must be a JSON object, not {json_type(body)}.")
    return body


def tracker_fields(body: Any) -> tuple[str, list[str]]:
    """The (name, vocabulary) of a valid tracker body.

    Raises:
        RuleBroken: which rule, which field, which phrase.
    """
    body = _require_object(body, 'A tracker (with "name" and "vocabulary")')
    name = _required_text(body, "name")
    if "vocabulary" not in body:
        raise RuleBroken(f'"vocabulary" is required: a list of 1 to {MAX_PHRASES} phrases.')
    vocabulary = body["vocabulary"]
    if not isinstance(vocabulary, list):
        raise RuleBroken(f'"vocabulary" must be a list of phrases, not {json_type(vocabulary)}.')
    if not vocabulary:
        raise RuleBroken('"vocabulary" must contain at least 1 phrase.')
    if len(vocabulary) > MAX_PHRASES:
        raise RuleBroken(
            f'"vocabulary" has {len(vocabulary)} phrases; at most {MAX_PHRASES} are allowed.'
        )
    seen: dict[str, int] = {}
    for index, phrase in enumerate(vocabulary):
        where = f'Phrase at index {index} of "vocabulary"'
        if not isinstance(phrase, str):
            raise RuleBroken(f"{where} must be a string, not {json_type(phrase)}.")
        if not phrase.strip():
            raise RuleBroken(f"{where} is empty or only spaces.")
        bad = disallowed(phrase, phrase_char_allowed)
        if bad:
            raise RuleBroken(
                f'{where} ("{phrase}") contains {show_char(bad[0])}: only letters, digits, spaces '
                f"and the punctuation {' '.join(PHRASE_PUNCTUATION)} are allowed."
            )
        if phrase in seen:
            raise RuleBroken(
                f'{where} ("{phrase}") repeats the phrase at index {seen[phrase]}; '
                "phrases must be unique."
            )
        seen[phrase] = index
    return name, list(vocabulary)


def group_fields(body: Any) -> tuple[str, str, str]:
    """The (name, description, criteria) of a valid group body; no description means "".

    Raises:
        RuleBroken: which rule, which field; for criteria, where in the text.
    """
    body = _require_object(body, 'A group (with "name" and "criteria")')
    name = _required_text(body, "name")
    if len(name) > MAX_GROUP_NAME:
        raise RuleBroken(
            f'"name" has {len(name)} characters; at most {MAX_GROUP_NAME} are allowed.'
        )
    bad = disallowed(name, group_name_char_allowed)
    if bad:
        raise RuleBroken(
            f'"name" ("{name}") contains {show_char(bad[0])}: only letters, digits, spaces and '
            f"{' '.join(GROUP_NAME_PUNCTUATION)} are allowed."
        )
    description = body.get("description")
    if description is None:
        description = ""
    if not isinstance(description, str):
        raise RuleBroken(f'"description" must be a string, not {json_type(description)}.')
    if len(description) > MAX_GROUP_DESCRIPTION:
        raise RuleBroken(
            f'"description" has {len(description)} characters; at most '
            f"{MAX_GROUP_DESCRIPTION} are allowed."
        )
    criteria = _required_text(body, "criteria")
    try:
        validate_criteria(criteria)
    except RSQLError as error:
        raise RuleBroken(f'"criteria" is not accepted: {error.message}') from None
    return name, description, criteria


def check_body_id(body: Any, path_id: str) -> None:
    """An update body may repeat the path id (as a string or number) but not contradict it.

    Raises:
        RuleBroken: the body's id differs from the id in the path.
    """
    if not isinstance(body, dict) or "id" not in body or body["id"] is None:
        return
    body_id = body["id"]
    if isinstance(body_id, bool) or not isinstance(body_id, str | int):
        raise RuleBroken(f'"id" must be a string, not {json_type(body_id)}.')
    if str(body_id) != path_id:
        raise RuleBroken(
            f'"id" in the body ({body_id}) differs from the id in the path ({path_id}); '
            "an update cannot change an id."
        )
