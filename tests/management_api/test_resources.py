"""Trackers and groups: paths, bodies, tolerant reading of answers into dataclasses."""

from __future__ import annotations

import pytest

from symbl_admin.management_api import Group, ManagementAPIError, NotFound, Tracker

from .fake_server import Reply

TRACKERS = "/v1/manage/trackers"
GROUPS = "/v1/manage/groups"
T1 = {"id": "4476908732794496", "name": "Promotion Mention", "vocabulary": ["promo", "deal"]}
G1 = {
    "id": "4931769134481408",
    "name": "Calls made by John",
    "description": "John's calls",
    "criteria": "conversation.metadata.agentId==johndoe",
}


# -- trackers: reading ----------------------------------------------------------------------


def test_tracker_list_reads_the_documented_shape(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}))
    assert make_client().trackers.list() == [Tracker.from_api(T1)]


def test_tracker_list_accepts_the_doc_error_singular_shape(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"tracker": T1}))
    assert make_client().trackers.list() == [Tracker.from_api(T1)]


def test_tracker_list_accepts_a_bare_list(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, [T1]))
    assert make_client().trackers.list() == [Tracker.from_api(T1)]


def test_tracker_list_of_an_empty_account(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": []}))
    assert make_client().trackers.list() == []


def test_tracker_extra_fields_are_kept(make_client, fake_api):
    later = {**T1, "owner": "someone", "createdOn": "2021-01-01"}
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [later], "nextToken": None}))
    tracker = make_client().trackers.list()[0]
    assert tracker.extra["owner"] == "someone"
    assert tracker.as_dict()["createdOn"] == "2021-01-01"


def test_tracker_numeric_id_becomes_a_string(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [{**T1, "id": 4476908732794496}]}))
    assert make_client().trackers.list()[0].id == "4476908732794496"


def test_tracker_get_reads_the_envelope(make_client, fake_api):
    fake_api.on("GET", f"/v1/manage/tracker/{T1['id']}", Reply(200, {"tracker": T1}))
    assert make_client().trackers.get(T1["id"]).name == "Promotion Mention"


def test_tracker_get_accepts_a_bare_object(make_client, fake_api):
    fake_api.on("GET", f"/v1/manage/tracker/{T1['id']}", Reply(200, T1))
    assert make_client().trackers.get(T1["id"]).vocabulary == ("promo", "deal")


def test_tracker_get_unknown_raises_not_found(make_client, fake_api):
    fake_api.on("GET", "/v1/manage/tracker/9", Reply(404, {"message": "Tracker not found."}))
    with pytest.raises(NotFound):
        make_client().trackers.get("9")


def test_tracker_id_cannot_change_the_path(make_client, fake_api):
    fake_api.on("GET", "/v1/manage/tracker/..%2Ftrackers", Reply(404, {"message": "no"}))
    with pytest.raises(NotFound):
        make_client().trackers.get("../trackers")
    assert fake_api.seen[-1].path == "/v1/manage/tracker/..%2Ftrackers"


def test_tracker_list_with_non_object_items_is_an_error(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": ["a", "b"]}))
    with pytest.raises(ManagementAPIError):
        make_client().trackers.list()


# -- trackers: find by name ----------------------------------------------------------------


def test_find_by_name_sends_the_name_filter(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": []}))
    make_client().trackers.find_by_name("Sales & Co")
    assert fake_api.requests_to("GET", TRACKERS)[0].query == {"name": ["Sales & Co"]}


def test_find_by_name_returns_the_exact_match(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}))
    assert make_client().trackers.find_by_name("Promotion Mention") == Tracker.from_api(T1)


def test_find_by_name_is_case_sensitive_even_on_a_lenient_server(make_client, fake_api):
    lower = {**T1, "id": "2", "name": "promotion mention"}
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [lower, T1]}))
    assert make_client().trackers.find_by_name("Promotion Mention").id == T1["id"]


def test_find_by_name_returns_none_when_absent(make_client, fake_api):
    lower = {**T1, "name": "promotion mention"}
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [lower]}))
    assert make_client().trackers.find_by_name("Promotion Mention") is None


# -- trackers: writing ----------------------------------------------------------------------


def test_tracker_create_posts_name_and_vocabulary(make_client, fake_api):
    fake_api.on("POST", "/v1/manage/tracker", Reply(201, {"tracker": T1}))
    make_client().trackers.create(name=T1["name"], vocabulary=("promo", "deal"))
    assert fake_api.requests_to("POST", "/v1/manage/tracker")[0].body == {
        "name": "Promotion Mention",
        "vocabulary": ["promo", "deal"],
    }


def test_tracker_create_returns_what_the_server_stored(make_client, fake_api):
    fake_api.on("POST", "/v1/manage/tracker", Reply(200, {"tracker": T1}))
    tracker = make_client().trackers.create(name=T1["name"], vocabulary=["promo", "deal"])
    assert tracker == Tracker.from_api(T1)


def test_tracker_bulk_create_posts_a_list(make_client, fake_api):
    t2 = {"id": "2", "name": "Other", "vocabulary": ["x"]}
    fake_api.on("POST", TRACKERS, Reply(201, {"trackers": [T1, t2]}))
    created = make_client().trackers.bulk_create(
        [
            {"name": T1["name"], "vocabulary": T1["vocabulary"]},
            {"name": "Other", "vocabulary": ["x"]},
        ]
    )
    assert [t.id for t in created] == [T1["id"], "2"]
    assert fake_api.requests_to("POST", TRACKERS)[0].body == [
        {"name": "Promotion Mention", "vocabulary": ["promo", "deal"]},
        {"name": "Other", "vocabulary": ["x"]},
    ]


def test_tracker_update_puts_id_name_and_vocabulary(make_client, fake_api):
    path = f"/v1/manage/tracker/{T1['id']}"
    fake_api.on("PUT", path, Reply(200, {"tracker": T1}))
    make_client().trackers.update(T1["id"], name=T1["name"], vocabulary=["promo", "deal"])
    assert fake_api.requests_to("PUT", path)[0].body == {
        "id": T1["id"],
        "name": "Promotion Mention",
        "vocabulary": ["promo", "deal"],
    }


def test_tracker_update_returns_the_server_answer_not_what_was_sent(make_client, fake_api):
    # The docs' sample answers an update with old and new phrases merged.
    merged = {**T1, "vocabulary": ["promo", "deal", "new"]}
    fake_api.on("PUT", f"/v1/manage/tracker/{T1['id']}", Reply(200, {"tracker": merged}))
    updated = make_client().trackers.update(T1["id"], name=T1["name"], vocabulary=["new"])
    assert updated.vocabulary == ("promo", "deal", "new")


def test_tracker_delete_sends_delete(make_client, fake_api):
    path = f"/v1/manage/tracker/{T1['id']}"
    fake_api.on("DELETE", path, Reply(200, {"id": T1["id"], "type": "tracker", "deleted": True}))
    assert make_client().trackers.delete(T1["id"]) is None
    assert len(fake_api.requests_to("DELETE", path)) == 1


# -- groups ---------------------------------------------------------------------------------


def test_group_list_reads_the_documented_shape(make_client, fake_api):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": [G1]}))
    assert make_client().groups.list() == [Group.from_api(G1)]


def test_group_list_accepts_a_bare_list(make_client, fake_api):
    fake_api.on("GET", GROUPS, Reply(200, [G1]))
    assert make_client().groups.list()[0].criteria == G1["criteria"]


def test_group_without_description_reads_as_empty(make_client, fake_api):
    bare = {k: v for k, v in G1.items() if k != "description"}
    fake_api.on("GET", f"/v1/manage/group/{G1['id']}", Reply(200, {"group": bare}))
    assert make_client().groups.get(G1["id"]).description == ""


def test_group_get_unknown_raises_not_found(make_client, fake_api):
    fake_api.on("GET", "/v1/manage/group/1", Reply(404, {"message": "Group not found."}))
    with pytest.raises(NotFound):
        make_client().groups.get("1")


def test_group_find_by_name_filters_the_list_exactly(make_client, fake_api):
    lower = {**G1, "id": "2", "name": "calls made by john"}
    fake_api.on("GET", GROUPS, Reply(200, {"groups": [lower, G1]}))
    assert make_client().groups.find_by_name("Calls made by John").id == G1["id"]


def test_group_find_by_name_returns_none_when_absent(make_client, fake_api):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": [G1]}))
    assert make_client().groups.find_by_name("Nobody") is None


def test_group_create_sends_an_empty_description_by_default(make_client, fake_api):
    fake_api.on("POST", "/v1/manage/group", Reply(201, {"group": G1}))
    make_client().groups.create(name="G", criteria="conversation.a==1")
    assert fake_api.requests_to("POST", "/v1/manage/group")[0].body == {
        "name": "G",
        "description": "",
        "criteria": "conversation.a==1",
    }


def test_group_bulk_create_posts_a_list(make_client, fake_api):
    fake_api.on("POST", GROUPS, Reply(201, {"groups": [G1]}))
    created = make_client().groups.bulk_create([{"name": G1["name"], "criteria": G1["criteria"]}])
    assert created == [Group.from_api(G1)]
    assert fake_api.requests_to("POST", GROUPS)[0].body == [
        {"name": G1["name"], "description": "", "criteria": G1["criteria"]}
    ]


def test_group_update_puts_every_field(make_client, fake_api):
    path = f"/v1/manage/group/{G1['id']}"
    fake_api.on("PUT", path, Reply(200, {"group": G1}))
    make_client().groups.update(
        G1["id"], name=G1["name"], criteria=G1["criteria"], description="John's calls"
    )
    assert fake_api.requests_to("PUT", path)[0].body == {**G1}


def test_group_delete_sends_delete(make_client, fake_api):
    path = f"/v1/manage/group/{G1['id']}"
    fake_api.on("DELETE", path, Reply(200, {"id": G1["id"], "type": "group", "deleted": True}))
    assert make_client().groups.delete(G1["id"]) is None
    assert len(fake_api.requests_to("DELETE", path)) == 1
