"""Every free-text value has a length limit, enforced by our server with a 400 that names
the field (issue 22, "Group criteria have no length limit"; the limits are the contract's,
symbl_admin/contract.py). Over real HTTP and through the embedded adapter (`api`)."""

from __future__ import annotations

import pytest

from symbl_admin.contract import (
    MAX_CRITERIA,
    MAX_LANGUAGE_TAG,
    MAX_LANGUAGES,
    MAX_PHRASE_LENGTH,
    TRACKER_NAME_MAX,
)

SELECTOR = "conversation.metadata.agentId=="
LONG_TAG = "en-x-" + "-".join(["abcdefgh"] * 7)  # a valid tag of 67 characters
EDGE_TAG = "en-x-" + "-".join(["abcdefgh"] * 6) + "-abcde"  # a valid tag of 64


def _criteria(length: int) -> str:
    return SELECTOR + "a" * (length - len(SELECTOR))


def _phrase(length: int) -> str:
    return "a" * length


# (resource path, field, a body over the limit, the message's words)
OVER = [
    (
        "tracker",
        "name",
        lambda u: {"name": u + "n" * TRACKER_NAME_MAX, "vocabulary": ["x"]},
        f"characters; at most {TRACKER_NAME_MAX} are allowed.",
    ),
    (
        "tracker",
        "vocabulary",
        lambda u: {"name": u, "vocabulary": [_phrase(MAX_PHRASE_LENGTH + 1)]},
        f'Phrase at index 0 of "vocabulary" ("{"a" * 40}…") has {MAX_PHRASE_LENGTH + 1} '
        f"characters; at most {MAX_PHRASE_LENGTH} are allowed.",
    ),
    (
        "tracker",
        "excludeVocabulary",
        lambda u: {
            "name": u,
            "vocabulary": ["x"],
            "excludeVocabulary": ["y", _phrase(MAX_PHRASE_LENGTH + 1)],
        },
        f'Phrase at index 1 of "excludeVocabulary" ("{"a" * 40}…") has {MAX_PHRASE_LENGTH + 1} '
        "characters",
    ),
    (
        "tracker",
        "languages",
        lambda u: {"name": u, "vocabulary": ["x"], "languages": ["en"] * (MAX_LANGUAGES + 1)},
        f'"languages" has {MAX_LANGUAGES + 1} languages; at most {MAX_LANGUAGES} are allowed.',
    ),
    (
        "tracker",
        "languages",
        lambda u: {"name": u, "vocabulary": ["x"], "languages": ["fr", LONG_TAG]},
        f'Language at index 1 of "languages" ("{LONG_TAG}") has {len(LONG_TAG)} characters; '
        f"at most {MAX_LANGUAGE_TAG} are allowed.",
    ),
    (
        "group",
        "criteria",
        lambda u: {"name": u, "criteria": _criteria(MAX_CRITERIA + 1)},
        f'"criteria" has {MAX_CRITERIA + 1} characters; at most {MAX_CRITERIA} are allowed.',
    ),
    (
        "group",
        "criteria",  # 900 KB, under the 1 MB body limit: refused by its length, never parsed
        lambda u: {"name": u, "criteria": _criteria(900_000)},
        f'"criteria" has 900000 characters; at most {MAX_CRITERIA} are allowed.',
    ),
]


@pytest.mark.parametrize(("resource", "field", "body", "words"), OVER)
def test_a_value_over_its_limit_is_a_400_naming_the_field(
    api, unique, resource, field, body, words
):
    response = api.post(f"/v1/manage/{resource}", json=body(unique("Long")))
    assert response.status_code == 400, response.text
    assert words in response.json()["message"]


@pytest.mark.parametrize(("resource", "field", "body", "words"), OVER)
def test_an_update_over_the_limit_is_a_400_and_changes_nothing(
    api, unique, resource, field, body, words
):
    name = unique("Kept")
    made = api.create_tracker(name) if resource == "tracker" else api.create_group(name)
    path = f"/v1/manage/{resource}/{made['id']}"
    response = api.put(path, json={**body(name), "name": name} if field != "name" else body(name))
    assert response.status_code == 400, response.text
    assert words in response.json()["message"]
    assert api.get(path).json()[resource] == made


def test_a_patch_adding_an_over_long_phrase_is_a_400(api, unique):
    tracker = api.create_tracker(unique("Patched"))
    response = api.patch(
        f"/v1/manage/tracker/{tracker['id']}",
        json=[{"op": "add", "path": "/vocabulary/-", "value": _phrase(MAX_PHRASE_LENGTH + 1)}],
    )
    assert response.status_code == 400
    assert f"at most {MAX_PHRASE_LENGTH} are allowed" in response.json()["message"]


def test_values_at_their_limits_are_accepted(api, unique):
    assert len(EDGE_TAG) == MAX_LANGUAGE_TAG
    name = unique("Edge")
    tracker = {
        "name": name + "n" * (TRACKER_NAME_MAX - len(name)),
        "vocabulary": [_phrase(MAX_PHRASE_LENGTH)],
        "excludeVocabulary": ["b" * MAX_PHRASE_LENGTH],
        "languages": [EDGE_TAG, "en"],
    }
    assert api.post("/v1/manage/tracker", json=tracker).status_code == 201
    group = {"name": unique("Edge"), "criteria": _criteria(MAX_CRITERIA)}
    assert api.post("/v1/manage/group", json=group).status_code in {200, 201}
