"""A create whose POST may have landed looks itself up by exact name before giving up."""

from __future__ import annotations

import pytest

from symbl_admin.management_api import NameTaken, Tracker, Unavailable

from .fake_server import Drop, Reply

TRACKER = "/v1/manage/tracker"
TRACKERS = "/v1/manage/trackers"
GROUP = "/v1/manage/group"
GROUPS = "/v1/manage/groups"
T1 = {"id": "11", "name": "Promo", "vocabulary": ["deal", "discount"]}
G1 = {"id": "21", "name": "John", "description": "", "criteria": "conversation.a==1"}


@pytest.fixture
def tracker_post_drops(fake_api):
    fake_api.on("POST", TRACKER, Drop())


def test_landed_tracker_create_returns_the_stored_tracker(
    make_client, fake_api, tracker_post_drops
):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}))
    created = make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])
    assert created == Tracker.from_api(T1)


def test_landed_tracker_create_is_looked_up_by_exact_name(
    make_client, fake_api, tracker_post_drops
):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}))
    make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])
    assert fake_api.requests_to("GET", TRACKERS)[0].query == {"name": ["Promo"]}


def test_landed_tracker_create_is_not_resent(make_client, fake_api, tracker_post_drops):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}))
    make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])
    assert len(fake_api.requests_to("POST", TRACKER)) == 1


def test_tracker_create_not_found_after_timeout_may_still_land(
    make_client, fake_api, tracker_post_drops
):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": []}))
    with pytest.raises(Unavailable) as info:
        make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])
    assert info.value.may_have_landed is True


def test_tracker_found_with_other_vocabulary_is_not_ours(make_client, fake_api, tracker_post_drops):
    theirs = {**T1, "vocabulary": ["something", "else"]}
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [theirs]}))
    with pytest.raises(Unavailable) as info:
        make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])
    assert info.value.may_have_landed is True


def test_tracker_found_with_other_case_is_not_ours(make_client, fake_api, tracker_post_drops):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [{**T1, "name": "promo"}]}))
    with pytest.raises(Unavailable):
        make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])


def test_failed_lookup_keeps_the_original_error(make_client, fake_api, tracker_post_drops):
    fake_api.on("GET", TRACKERS, Reply(500, {"message": "db down"}))
    with pytest.raises(Unavailable) as info:
        make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])
    assert info.value.may_have_landed is True
    assert info.value.status is None  # the POST's error, not the lookup's 500


def test_read_timeout_create_that_landed_is_found(make_client, fake_api):
    fake_api.on("POST", TRACKER, Reply(201, {"tracker": T1}, delay=0.5))
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}))
    created = make_client(read_timeout=0.1).trackers.create(
        name="Promo", vocabulary=["deal", "discount"]
    )
    assert created.id == "11"


def test_gateway_timeout_on_create_is_looked_up(make_client, fake_api):
    fake_api.on("POST", TRACKER, Reply(504, {"message": "upstream timed out"}))
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}))
    assert make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"]).id == "11"


def test_create_refused_with_409_is_not_looked_up(make_client, fake_api):
    fake_api.on("POST", TRACKER, Reply(409, {"message": "taken"}))
    with pytest.raises(NameTaken):
        make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])
    assert fake_api.requests_to("GET", TRACKERS) == []


def test_landed_group_create_returns_the_stored_group(make_client, fake_api):
    fake_api.on("POST", GROUP, Drop())
    fake_api.on("GET", GROUPS, Reply(200, {"groups": [{**G1, "id": "20", "name": "john"}, G1]}))
    group = make_client().groups.create(name="John", criteria="conversation.a==1")
    assert group.id == "21"


def test_group_found_with_other_criteria_is_not_ours(make_client, fake_api):
    fake_api.on("POST", GROUP, Drop())
    fake_api.on("GET", GROUPS, Reply(200, {"groups": [{**G1, "criteria": "conversation.b==2"}]}))
    with pytest.raises(Unavailable) as info:
        make_client().groups.create(name="John", criteria="conversation.a==1")
    assert info.value.may_have_landed is True


def test_landed_bulk_create_returns_every_item(make_client, fake_api):
    t2 = {"id": "12", "name": "Other", "vocabulary": ["x"]}
    fake_api.on("POST", TRACKERS, Drop())
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [t2, T1]}))
    created = make_client().trackers.bulk_create(
        [
            {"name": "Promo", "vocabulary": ["deal", "discount"]},
            {"name": "Other", "vocabulary": ["x"]},
        ]
    )
    assert [t.id for t in created] == ["11", "12"]


def test_bulk_create_partly_found_is_not_ours(make_client, fake_api):
    fake_api.on("POST", TRACKERS, Drop())
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}))
    with pytest.raises(Unavailable) as info:
        make_client().trackers.bulk_create(
            [
                {"name": "Promo", "vocabulary": ["deal", "discount"]},
                {"name": "Other", "vocabulary": ["x"]},
            ]
        )
    assert info.value.may_have_landed is True


def test_update_that_may_have_landed_is_not_looked_up(make_client, fake_api):
    fake_api.on("PUT", f"{TRACKER}/11", Drop())
    with pytest.raises(Unavailable) as info:
        make_client().trackers.update("11", name="Promo", vocabulary=["deal"])
    assert info.value.may_have_landed is True
    assert fake_api.requests_to("GET", TRACKERS) == []


def test_create_whose_sign_in_failed_has_not_landed(make_client, fake_api):
    fake_api.on("POST", "/oauth2/token:generate", Drop())
    with pytest.raises(Unavailable) as info:
        make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])
    assert info.value.may_have_landed is False
    assert fake_api.requests_to("POST", TRACKER) == []


def test_create_whose_sign_in_answered_504_is_not_looked_up(make_client, fake_api):
    fake_api.on("POST", "/oauth2/token:generate", Reply(504, {"message": "gateway"}))
    with pytest.raises(Unavailable):
        make_client().trackers.create(name="Promo", vocabulary=["deal", "discount"])
    assert fake_api.requests_to("GET", TRACKERS) == []
