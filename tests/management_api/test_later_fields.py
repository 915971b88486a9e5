"""The later tracker fields in the client: parsed, sent, compared after a create that may have
landed; against our own server (embedded) and against a server that predates them."""

from __future__ import annotations

import pytest
from django.test import override_settings

from symbl_admin.management_api import (
    Tracker,
    Unavailable,
    ValidationFailed,
    get_client,
    reset_client,
)

from .fake_server import Drop, Reply

TRACKER = "/v1/manage/tracker"
TRACKERS = "/v1/manage/trackers"
LATER = {
    "description": "Mentions of a promotion",
    "categories": ["sales", "billing"],
    "languages": ["en-US", "fr-FR"],
    "excludeVocabulary": ["no deal"],
}
OLD = {"id": "11", "name": "Promo", "vocabulary": ["deal", "discount"]}  # predates them
NEW = {
    **OLD,
    **LATER,
    "type": "custom",
    "createdOn": "2026-01-02T03:04:05.678Z",
    "updatedOn": "2026-01-02T03:04:05.678Z",
}


# -- parsing ------------------------------------------------------------------------------------


def test_a_later_answer_is_parsed_into_the_fields():
    tracker = Tracker.from_api(NEW)
    assert (
        tracker.description,
        tracker.categories,
        tracker.languages,
        tracker.exclude_vocabulary,
        tracker.type,
    ) == (
        "Mentions of a promotion",
        ("sales", "billing"),
        ("en-US", "fr-FR"),
        ("no deal",),
        "custom",
    )
    assert tracker.absent == frozenset()


def test_the_server_stamps_are_kept_in_extra():
    assert dict(Tracker.from_api(NEW).extra) == {
        "createdOn": NEW["createdOn"],
        "updatedOn": NEW["updatedOn"],
    }


def test_an_answer_that_predates_them_reads_as_the_defaults():
    tracker = Tracker.from_api(OLD)
    assert tracker == Tracker(id="11", name="Promo", vocabulary=("deal", "discount"))
    assert tracker.absent == frozenset(LATER)


def test_unknown_keys_are_kept_and_null_fields_read_as_the_defaults():
    tracker = Tracker.from_api({**OLD, "categories": None, "description": None, "owner": "x"})
    assert (tracker.categories, tracker.description, tracker.extra["owner"]) == ((), "", "x")


def test_to_api_sends_every_editable_field_in_camel_case():
    assert Tracker.from_api(NEW).to_api() == {
        "name": "Promo",
        "vocabulary": ["deal", "discount"],
        **LATER,
    }


# -- writing to a server that predates them -----------------------------------------------------


def test_create_sends_the_later_fields_given(make_client, fake_api):
    fake_api.on("POST", TRACKER, Reply(201, {"tracker": OLD}))
    make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"], **LATER)
    assert fake_api.requests_to("POST", TRACKER)[0].body == {
        "name": "Promo",
        "vocabulary": ["deal", "discount"],
        **LATER,
    }


def test_create_answered_without_them_returns_the_defaults(make_client, fake_api):
    fake_api.on("POST", TRACKER, Reply(201, {"tracker": OLD}))
    created = make_client().trackers.create(name="Promo", vocabulary=["deal"], **LATER)
    assert (created.categories, created.absent) == ((), frozenset(LATER))


def test_update_sends_only_the_later_fields_given(make_client, fake_api):
    path = f"{TRACKER}/{OLD['id']}"
    fake_api.on("PUT", path, Reply(200, {"tracker": OLD}))
    make_client().trackers.update(OLD["id"], name="Promo", vocabulary=["deal"], languages=["es"])
    assert fake_api.requests_to("PUT", path)[0].body == {
        "id": "11",
        "name": "Promo",
        "vocabulary": ["deal"],
        "languages": ["es"],
    }


def test_bulk_create_sends_each_items_later_fields(make_client, fake_api):
    fake_api.on("POST", TRACKERS, Reply(201, {"trackers": [OLD, {**OLD, "id": "12", "name": "B"}]}))
    make_client().trackers.bulk_create(
        [
            {"name": "Promo", "vocabulary": ["deal"], "categories": ["sales"]},
            {"name": "B", "vocabulary": ["x"]},
        ]
    )
    assert fake_api.requests_to("POST", TRACKERS)[0].body == [
        {"name": "Promo", "vocabulary": ["deal"], "categories": ["sales"]},
        {"name": "B", "vocabulary": ["x"]},
    ]


def test_an_unknown_later_field_is_a_programming_error(make_client):
    with pytest.raises(TypeError):
        make_client().trackers.create(name="Promo", vocabulary=["deal"], colour="red")


# -- a create that may have landed ------------------------------------------------------------


@pytest.fixture
def create_drops(fake_api):
    fake_api.on("POST", TRACKER, Drop())


def test_landed_create_on_a_server_that_predates_them_is_found(make_client, fake_api, create_drops):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [OLD]}))
    created = make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"], **LATER)
    assert created.id == OLD["id"]


def test_landed_create_with_the_same_later_fields_is_found(make_client, fake_api, create_drops):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [NEW]}))
    created = make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"], **LATER)
    assert created == Tracker.from_api(NEW)


@pytest.mark.parametrize(
    ("key", "theirs"),
    [
        ("description", "Someone else's"),
        ("categories", ["other"]),
        ("languages", ["de-DE"]),
        ("excludeVocabulary", []),
    ],
)
def test_landed_create_with_other_later_fields_is_not_ours(
    make_client, fake_api, create_drops, key, theirs
):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [{**NEW, key: theirs}]}))
    with pytest.raises(Unavailable) as info:
        make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"], **LATER)
    assert info.value.may_have_landed is True


# -- a round trip through our own server (embedded) -------------------------------------------


@pytest.fixture
def local_client(tmp_path):
    reset_client()
    with override_settings(SYMBL_API_BASE_URL="", SYMBL_LOCAL_API_DATA=str(tmp_path / "a.sqlite3")):
        yield get_client()
    reset_client()


def test_round_trip_of_the_later_fields(local_client):
    created = local_client.trackers.create(name="Round trip", vocabulary=["deal"], **LATER)
    assert local_client.trackers.get(created.id) == created
    assert created.to_api() == {"name": "Round trip", "vocabulary": ["deal"], **LATER}
    assert created.absent == frozenset() and set(created.extra) == {"createdOn", "updatedOn"}


def test_update_round_trip_replaces_the_given_and_keeps_the_rest(local_client):
    created = local_client.trackers.create(name="Update", vocabulary=["deal"], **LATER)
    updated = local_client.trackers.update(
        created.id, name="Update", vocabulary=["deal"], categories=["new"]
    )
    assert (updated.categories, updated.languages) == (("new",), created.languages)


def test_bulk_create_round_trip(local_client):
    created = local_client.trackers.bulk_create(
        [{"name": "Bulk A", "vocabulary": ["a"], **LATER}, {"name": "Bulk B", "vocabulary": ["b"]}]
    )
    listed = {t.name: t for t in local_client.trackers.list()}
    assert [listed[t.name] for t in created] == created
    assert (created[0].languages, created[1].languages) == (("en-US", "fr-FR"), ())


def test_a_broken_rule_comes_back_as_validation_failed(local_client):
    with pytest.raises(ValidationFailed) as info:
        local_client.trackers.create(name="Bad", vocabulary=["deal"], languages=["english"])
    assert 'Language at index 0 of "languages" ("english")' in str(info.value)
