"""The later tracker fields (description, categories, languages, excludeVocabulary, type) on
every tracker endpoint, over HTTP and embedded (see conftest `api`)."""

from __future__ import annotations

import re

import pytest

from symbl_admin.contract import (
    MAX_CATEGORIES,
    MAX_CATEGORY_LENGTH,
    MAX_EXCLUDED_PHRASES,
    MAX_TRACKER_DESCRIPTION,
)

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
LATER = {
    "description": "Mentions of a promotion",
    "categories": ["sales", "billing"],
    "languages": ["en-US", "fr-FR", "es"],
    "excludeVocabulary": ["no promotion", "not a sale"],
}
DEFAULTS = {
    "description": "",
    "categories": [],
    "languages": [],
    "excludeVocabulary": [],
    "type": "custom",
}


def _create(api, name, **fields):
    return api.post(
        "/v1/manage/tracker", json={"name": name, "vocabulary": ["promotion"], **fields}
    )


def _rejected(api, name, **fields) -> str:
    response = _create(api, name, **fields)
    assert response.status_code == 400, response.text
    return response.json()["message"]


# -- what is stored and returned ------------------------------------------------------------


def test_a_tracker_created_without_the_later_fields_has_the_defaults(api, unique):
    tracker = api.create_tracker(unique())
    assert {key: tracker[key] for key in DEFAULTS} == DEFAULTS


def test_create_stores_and_returns_the_later_fields(api, unique):
    tracker = _create(api, unique(), **LATER).json()["tracker"]
    assert {key: tracker[key] for key in LATER} == LATER and tracker["type"] == "custom"


def test_the_later_fields_come_back_from_get_by_id_and_the_list(api, unique):
    created = _create(api, unique(), **LATER).json()["tracker"]
    by_id = api.get(f"/v1/manage/tracker/{created['id']}").json()["tracker"]
    listed = api.get("/v1/manage/trackers", params={"name": created["name"]}).json()["trackers"]
    assert by_id == created and listed == [created]


def test_null_later_fields_mean_the_defaults(api, unique):
    nulls = dict.fromkeys([*LATER, "type"])
    tracker = _create(api, unique(), **nulls).json()["tracker"]
    assert {key: tracker[key] for key in DEFAULTS} == DEFAULTS


def test_server_stamps_in_the_body_are_ignored(api, unique):
    stamps = {"createdOn": "1999-01-01T00:00:00.000Z", "updatedOn": "nonsense"}
    tracker = _create(api, unique(), **stamps).json()["tracker"]
    assert ISO.fullmatch(tracker["createdOn"]) and tracker["createdOn"] != stamps["createdOn"]
    assert tracker["updatedOn"] == tracker["createdOn"]


def test_type_custom_is_accepted(api, unique):
    assert _create(api, unique(), type="custom").json()["tracker"]["type"] == "custom"


@pytest.mark.parametrize(
    ("value", "shown"), [("prebuilt", '"prebuilt"'), ("Custom", '"Custom"'), (1, "a number")]
)
def test_any_other_type_answers_400(api, unique, value, shown):
    assert _rejected(api, unique(), type=value) == (
        f'"type" must be "custom" (the only tracker type) or left out, not {shown}.'
    )


# -- the rules, one message each -------------------------------------------------------------


def test_description_at_the_limit_is_accepted(api, unique):
    text = "d" * MAX_TRACKER_DESCRIPTION
    assert _create(api, unique(), description=text).json()["tracker"]["description"] == text


def test_description_over_the_limit_answers_400(api, unique):
    assert _rejected(api, unique(), description="d" * (MAX_TRACKER_DESCRIPTION + 1)) == (
        f'"description" has {MAX_TRACKER_DESCRIPTION + 1} characters; at most '
        f"{MAX_TRACKER_DESCRIPTION} are allowed."
    )


def test_description_that_is_not_a_string_answers_400(api, unique):
    assert _rejected(api, unique(), description=["x"]) == (
        '"description" must be a string, not a list.'
    )


def test_categories_at_the_limits_are_accepted(api, unique):
    labels = [f"{i:02d}" + "c" * (MAX_CATEGORY_LENGTH - 2) for i in range(MAX_CATEGORIES)]
    assert _create(api, unique(), categories=labels).json()["tracker"]["categories"] == labels


def test_too_many_categories_answer_400(api, unique):
    labels = [f"c{i}" for i in range(MAX_CATEGORIES + 1)]
    assert _rejected(api, unique(), categories=labels) == (
        f'"categories" has {MAX_CATEGORIES + 1} categories; at most {MAX_CATEGORIES} are allowed.'
    )


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["ok", "  "], 'Category at index 1 of "categories" is empty or only spaces.'),
        (["ok", 7], 'Category at index 1 of "categories" must be a string, not a number.'),
        (
            ["sales", "billing", "sales"],
            'Category at index 2 of "categories" ("sales") repeats the category at index 0; '
            "categories must be distinct.",
        ),
        ("sales", '"categories" must be a list of labels, not a string.'),
    ],
)
def test_broken_categories_answer_400_naming_index_and_value(api, unique, labels, message):
    assert _rejected(api, unique(), categories=labels) == message


def test_a_category_over_the_length_limit_answers_400(api, unique):
    label = "c" * (MAX_CATEGORY_LENGTH + 1)
    assert _rejected(api, unique(), categories=["ok", label]) == (
        f'Category at index 1 of "categories" ("{label}") has {MAX_CATEGORY_LENGTH + 1} '
        f"characters; at most {MAX_CATEGORY_LENGTH} are allowed."
    )


@pytest.mark.parametrize("tag", ["en-US", "fr-FR", "es", "zh-Hant-TW", "de-419", "en-us"])
def test_valid_language_tags_are_accepted_as_given(api, unique, tag):
    assert _create(api, unique(), languages=[tag]).json()["tracker"]["languages"] == [tag]


@pytest.mark.parametrize("tag", ["english", "xx-YY", "en-US-US", "", " en-US", "en--US", "123"])
def test_an_invalid_language_tag_answers_400(api, unique, tag):
    assert _rejected(api, unique(), languages=["en-US", tag]) == (
        f'Language at index 1 of "languages" ("{tag}") is not a valid BCP 47 language tag; '
        'use tags such as "en-US", "fr-FR" or "es".'
    )


def test_an_underscore_tag_answers_400_with_the_separator_hint(api, unique):
    assert _rejected(api, unique(), languages=["en_US"]) == (
        'Language at index 0 of "languages" ("en_US") is not a valid BCP 47 language tag '
        '(subtags are separated by "-"); use tags such as "en-US", "fr-FR" or "es".'
    )


def test_the_same_language_twice_in_any_case_answers_400(api, unique):
    assert _rejected(api, unique(), languages=["en-US", "fr", "EN-us"]) == (
        'Language at index 2 of "languages" ("EN-us") repeats the language at index 0; '
        "languages must be distinct."
    )


def test_a_language_that_is_not_a_string_answers_400(api, unique):
    assert _rejected(api, unique(), languages=[{"tag": "en"}]) == (
        'Language at index 0 of "languages" must be a string, not an object.'
    )


def test_excluded_phrases_at_the_limit_are_accepted(api, unique):
    phrases = [f"not {i}" for i in range(MAX_EXCLUDED_PHRASES)]
    tracker = _create(api, unique(), excludeVocabulary=phrases).json()["tracker"]
    assert tracker["excludeVocabulary"] == phrases


def test_too_many_excluded_phrases_answer_400(api, unique):
    phrases = [f"not {i}" for i in range(MAX_EXCLUDED_PHRASES + 1)]
    assert _rejected(api, unique(), excludeVocabulary=phrases) == (
        f'"excludeVocabulary" has {MAX_EXCLUDED_PHRASES + 1} phrases; at most '
        f"{MAX_EXCLUDED_PHRASES} are allowed."
    )


@pytest.mark.parametrize(
    ("phrases", "message"),
    [
        (
            ["fine", "why?"],
            'Phrase at index 1 of "excludeVocabulary" ("why?") contains "?": only letters, '
            "digits, spaces and the punctuation . ' ’ - are allowed.",
        ),
        (
            ["again", "again"],
            'Phrase at index 1 of "excludeVocabulary" ("again") repeats the phrase at index 0; '
            "phrases must be unique.",
        ),
        ([""], 'Phrase at index 0 of "excludeVocabulary" is empty or only spaces.'),
    ],
)
def test_excluded_phrases_follow_the_vocabulary_rules(api, unique, phrases, message):
    assert _rejected(api, unique(), excludeVocabulary=phrases) == message


def test_a_phrase_in_both_lists_answers_400(api, unique):
    assert _rejected(api, unique(), excludeVocabulary=["fine", "promotion"]) == (
        'Phrase at index 1 of "excludeVocabulary" ("promotion") is also at index 0 of '
        '"vocabulary"; a phrase cannot be both tracked and ignored.'
    )


def test_bulk_create_takes_the_later_fields_and_names_a_broken_item(api, unique):
    good, bad = unique("Good"), unique("Bad")
    items = [
        {"name": good, "vocabulary": ["x"], **LATER},
        {"name": bad, "vocabulary": ["x"], "languages": ["nope"]},
    ]
    response = api.post("/v1/manage/trackers", json=items)
    assert response.status_code == 400
    assert response.json()["message"].startswith(f'Item at index 1 ("{bad}"): Language at index 0')
    created = api.post("/v1/manage/trackers", json=items[:1]).json()["trackers"][0]
    assert {key: created[key] for key in LATER} == LATER


# -- update (PUT) -----------------------------------------------------------------------------


def test_update_replaces_the_later_fields_it_carries(api, unique):
    created = _create(api, unique(), **LATER).json()["tracker"]
    body = {"name": created["name"], "vocabulary": ["x"], "categories": ["new"], "languages": []}
    tracker = api.put(f"/v1/manage/tracker/{created['id']}", json=body).json()["tracker"]
    assert (tracker["categories"], tracker["languages"]) == (["new"], [])


def test_update_of_the_documented_reading_keeps_the_later_fields(api, unique):
    created = _create(api, unique(), **LATER).json()["tracker"]
    body = {"id": created["id"], "name": created["name"], "vocabulary": ["other"]}
    tracker = api.put(f"/v1/manage/tracker/{created['id']}", json=body).json()["tracker"]
    assert {key: tracker[key] for key in LATER} == LATER and tracker["vocabulary"] == ["other"]


def test_update_checks_both_lists_against_the_kept_ones(api, unique):
    created = _create(api, unique(), excludeVocabulary=["not this"]).json()["tracker"]
    body = {"name": created["name"], "vocabulary": ["not this"]}
    response = api.put(f"/v1/manage/tracker/{created['id']}", json=body)
    assert response.status_code == 400 and "both tracked and ignored" in response.json()["message"]


def test_update_moves_updated_on_and_keeps_created_on(api, unique):
    created = _create(api, unique()).json()["tracker"]
    body = {"name": created["name"], "vocabulary": ["x"], "description": "now", "createdOn": "x"}
    tracker = api.put(f"/v1/manage/tracker/{created['id']}", json=body).json()["tracker"]
    assert tracker["createdOn"] == created["createdOn"] and ISO.fullmatch(tracker["updatedOn"])
    assert tracker["updatedOn"] >= created["updatedOn"]
