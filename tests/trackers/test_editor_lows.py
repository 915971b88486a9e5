"""Small editor defects new users met (issue 23, low): every error at once on save, the
phrases to ignore's count, languages typed by name."""

from __future__ import annotations

import json

import pytest

from tests.trackers.writes import PHRASES
from tests.trackers.writes import form as _form

pytestmark = pytest.mark.django_db


def test_save_shows_a_taken_name_beside_the_phrase_count_error(role_client, tracker):
    too_many = [f"phrase number {i}" for i in range(51)]
    response = role_client("analyst").post(
        "/trackers/new/", _form(name="Promotion Mention", phrases=too_many)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "A tracker holds at most 50 phrases" in body
    assert "A tracker named “Promotion Mention” already exists" in body


def test_edit_conflict_shows_categories_and_languages_as_people_read_them(
    role_client, tracker, api
):
    stale, base = tracker.fingerprint, json.dumps(tracker.to_api())
    api.trackers.update(
        tracker.id,
        name=tracker.name,
        vocabulary=PHRASES,
        categories=["retention"],
        languages=["fr-FR"],
    )
    response = role_client("analyst").post(
        f"/trackers/{tracker.id}/edit/",
        _form(
            name=tracker.name,
            phrases=PHRASES,
            categories="retention, billing",
            languages="en-US",
            fingerprint=stale,
            base=base,
        ),
    )
    body = response.content.decode()
    assert "changed after you opened it" in body
    assert "[&#x27;" not in body and "['" not in body
    assert "retention, billing" in body
    assert "French (France)" in body and "English (United States)" in body


def test_languages_typed_by_name_or_as_locales_are_saved_as_tags(role_client, api):
    response = role_client("analyst").post(
        "/trackers/new/", _form(languages="English, en_US, French (Canada)")
    )
    assert response.status_code == 302
    assert api.trackers.find_by_name("Leads Tracker").languages == ("en", "en-US", "fr-CA")


def test_a_language_that_is_none_says_what_to_type(role_client, api):
    response = role_client("analyst").post("/trackers/new/", _form(languages="Klingonish"))
    body = response.content.decode()
    assert "“Klingonish” is not a language tag or a language we know by name" in body
    assert "type a tag like en-US, fr-FR or es, or a name like English or French." in body
