"""The tracker editor refuses each free-text value over the contract's limit with a message,
the form back with everything typed (issue 22: every free-text field has a limit)."""

from __future__ import annotations

import pytest

from symbl_admin.contract import MAX_LANGUAGE_TAG, MAX_LANGUAGES, MAX_PHRASE_LENGTH

pytestmark = pytest.mark.django_db

PHRASES = "special promotion\ndiscount for new customers\nlimited offer"
LONG_PHRASE = "a" * (MAX_PHRASE_LENGTH + 1)
LONG_TAG = "en-x-" + "-".join(["abcdefgh"] * 7)

CASES = [
    ("phrases", {"phrases": PHRASES + "\n" + LONG_PHRASE}, "Phrase 4 (", LONG_PHRASE),
    ("excluded", {"excluded": "never mind\n" + LONG_PHRASE}, "Phrase to ignore 2 (", LONG_PHRASE),
    (
        "languages",
        {"languages": ", ".join(["en"] * (MAX_LANGUAGES + 1))},
        f"At most {MAX_LANGUAGES} languages; there are {MAX_LANGUAGES + 1}.",
        "en, en, en",
    ),
    (
        "languages",
        {"languages": f"fr-FR, {LONG_TAG}"},
        f"is longer than {MAX_LANGUAGE_TAG} characters.",
        LONG_TAG,
    ),
]


@pytest.mark.parametrize(("field", "typed", "message", "kept"), CASES)
def test_a_value_over_its_limit_is_refused_with_everything_typed_kept(
    role_client, api, field, typed, message, kept
):
    data = {"name": "Long one", "phrases": PHRASES, "reason": "keep me", **typed}
    response = role_client("analyst").post("/trackers/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    if field in ("phrases", "excluded"):
        assert f"use at most {MAX_PHRASE_LENGTH} characters ({MAX_PHRASE_LENGTH + 1} now)." in body
    assert 'value="Long one"' in body and 'value="keep me"' in body
    assert kept in body and "discount for new customers" in body
    assert api.trackers.find_by_name("Long one") is None


def test_phrases_at_the_limit_are_saved(role_client, api):
    data = {"name": "Long one", "phrases": PHRASES + "\n" + "a" * MAX_PHRASE_LENGTH}
    assert role_client("analyst").post("/trackers/new/", data).status_code == 302
    assert api.trackers.find_by_name("Long one").vocabulary[-1] == "a" * MAX_PHRASE_LENGTH
