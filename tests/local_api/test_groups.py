"""The conversation-group endpoints of the contract, over HTTP and embedded."""

from __future__ import annotations

import re

import pytest

JOHN = "conversation.metadata.agentId==johndoe"
JOHN_ACME = "conversation.metadata.agentId==johndoe and conversation.metadata.customerId==88338833"


def test_create_answers_201_with_the_group(api, unique):
    name = unique("Calls made by John")
    body = {"name": name, "description": "All the calls of John Doe.", "criteria": JOHN}
    response = api.post("/v1/manage/group", json=body)
    assert response.status_code == 201
    group = response.json()["group"]
    assert {k: group[k] for k in body} == body and re.fullmatch(r"[1-9]\d{15}", group["id"])


def test_create_without_description_stores_an_empty_one(api, unique):
    assert api.create_group(unique())["description"] == ""


def test_create_with_the_docs_two_selector_criteria(api, unique):
    assert api.create_group(unique(), JOHN_ACME)["criteria"] == JOHN_ACME


def test_create_ignores_an_id_in_the_body(api, unique):
    group = api.create_group(unique(), id="4931769134481408")
    assert group["id"] != "4931769134481408"


def test_create_accepts_the_allowed_name_characters(api, unique):
    name = unique('Équipe ventes-2024_"A" ”B”')
    assert api.create_group(name)["name"] == name


def test_create_accepts_a_128_character_name(api, unique):
    name = unique("N").ljust(128, "x")
    assert api.create_group(name)["name"] == name


def test_create_with_a_taken_name_answers_409(api, unique):
    name = unique()
    existing = api.create_group(name)
    response = api.post("/v1/manage/group", json={"name": name, "criteria": JOHN})
    assert (response.status_code, response.json()["message"]) == (
        409,
        f'A group named "{name}" already exists (id {existing["id"]}). Names are case-sensitive.',
    )


def test_group_names_are_case_sensitive(api, unique):
    name = unique("group")
    api.create_group(name)
    assert api.create_group(name.upper())["name"] == name.upper()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"criteria": JOHN}, '"name" is required.'),
        ({"name": "", "criteria": JOHN}, '"name" must not be empty or only spaces.'),
        (
            {"name": "x" * 129, "criteria": JOHN},
            '"name" has 129 characters; at most 128 are allowed.',
        ),
        (
            {"name": "Sales!", "criteria": JOHN},
            '"name" ("Sales!") contains "!": only letters, digits, spaces and - _ " ” are allowed.',
        ),
        (
            {"name": "G", "criteria": JOHN, "description": 5},
            '"description" must be a string, not a number.',
        ),
        (
            {"name": "G", "criteria": JOHN, "description": "d" * 513},
            '"description" has 513 characters; at most 512 are allowed.',
        ),
        ({"name": "G"}, '"criteria" is required.'),
        ({"name": "G", "criteria": " "}, '"criteria" must not be empty or only spaces.'),
        (
            {"name": "G", "criteria": "agentId==johndoe"},
            "\"criteria\" is not accepted: Selector 'agentId' is not allowed: use "
            "conversation.<field> or conversation.metadata.<key>. (position 0)",
        ),
        (
            {"name": "G", "criteria": "conversation.metadata.agentId=="},
            '"criteria" is not accepted: The criteria ends too early at position 31: expected '
            'a value (in quotes if it has spaces or punctuation) or a list such as ("a","b").',
        ),
        (
            {
                "name": "G",
                "criteria": "conversation.metadata.a==1;conversation.metadata.b==2;"
                "conversation.metadata.c==3",
            },
            '"criteria" is not accepted: Criteria may use at most 2 different selectors; '
            "'conversation.metadata.c' at position 54 would be a third (already used: "
            "conversation.metadata.a, conversation.metadata.b).",
        ),
    ],
)
def test_create_breaking_a_rule_answers_400_naming_it(api, body, expected):
    response = api.post("/v1/manage/group", json=body)
    assert (response.status_code, response.json()) == (400, {"message": expected})


def test_create_accepts_a_512_character_description(api, unique):
    assert len(api.create_group(unique(), description="d" * 512)["description"]) == 512


def test_a_selector_used_twice_counts_once(api, unique):
    criteria = (
        "conversation.metadata.a==1,conversation.metadata.a==2;conversation.metadata.b=in=(x,y)"
    )
    assert api.create_group(unique(), criteria)["criteria"] == criteria


def test_get_by_id_answers_the_group(api, unique):
    created = api.create_group(unique())
    assert api.get(f"/v1/manage/group/{created['id']}").json() == {"group": created}


def test_get_unknown_group_answers_404(api):
    response = api.get("/v1/manage/group/77")
    assert (response.status_code, response.json()) == (404, {"message": 'No group with id "77".'})


def test_list_contains_groups_in_creation_order(api, unique):
    names = [unique("Ordered") for _ in range(3)]
    for name in names:
        api.create_group(name)
    listed = [g["name"] for g in api.get("/v1/manage/groups").json()["groups"]]
    assert [n for n in listed if n in names] == names


def test_update_replaces_every_field(api, unique):
    created = api.create_group(unique(), description="old")
    body = {"name": unique("New"), "description": "new", "criteria": JOHN_ACME}
    response = api.put(f"/v1/manage/group/{created['id']}", json={"id": created["id"], **body})
    group = response.json()["group"]
    assert response.status_code == 200 and {k: group[k] for k in body} == body


def test_update_without_description_clears_it(api, unique):
    created = api.create_group(unique(), description="something")
    response = api.put(
        f"/v1/manage/group/{created['id']}", json={"name": created["name"], "criteria": JOHN}
    )
    assert response.json()["group"]["description"] == ""


def test_update_with_a_different_body_id_answers_400(api, unique):
    created = api.create_group(unique())
    response = api.put(
        f"/v1/manage/group/{created['id']}",
        json={"id": "1", "name": created["name"], "criteria": JOHN},
    )
    assert response.status_code == 400 and '"id" in the body (1)' in response.json()["message"]


def test_update_to_another_groups_name_answers_409(api, unique):
    first, second = api.create_group(unique()), api.create_group(unique())
    response = api.put(
        f"/v1/manage/group/{second['id']}", json={"name": first["name"], "criteria": JOHN}
    )
    assert response.status_code == 409


def test_update_unknown_group_answers_404(api):
    response = api.put("/v1/manage/group/5", json={"name": "G", "criteria": JOHN})
    assert response.status_code == 404


def test_update_with_bad_criteria_answers_400_and_changes_nothing(api, unique):
    created = api.create_group(unique())
    response = api.put(
        f"/v1/manage/group/{created['id']}", json={"name": created["name"], "criteria": "x=="}
    )
    assert response.status_code == 400
    assert api.get(f"/v1/manage/group/{created['id']}").json() == {"group": created}


def test_delete_answers_the_documented_shape(api, unique):
    created = api.create_group(unique())
    response = api.delete(f"/v1/manage/group/{created['id']}")
    assert response.json() == {"id": created["id"], "type": "group", "deleted": True}


def test_deleted_group_is_gone(api, unique):
    created = api.create_group(unique())
    api.delete(f"/v1/manage/group/{created['id']}")
    assert api.get(f"/v1/manage/group/{created['id']}").status_code == 404


def test_delete_unknown_group_answers_404(api):
    assert api.delete("/v1/manage/group/5").status_code == 404


def test_bulk_create_answers_all_groups(api, unique):
    names = [unique("Internal calls"), unique("Acme calls")]
    response = api.post(
        "/v1/manage/groups",
        json=[{"name": n, "criteria": "conversation.metadata.label==Internal"} for n in names],
    )
    assert response.status_code == 201
    assert [g["name"] for g in response.json()["groups"]] == names


def test_bulk_create_groups_is_all_or_nothing(api, unique):
    good = unique()
    response = api.post(
        "/v1/manage/groups",
        json=[{"name": good, "criteria": JOHN}, {"name": unique(), "criteria": "bad"}],
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("Item at index 1 (")
    assert good not in [g["name"] for g in api.get("/v1/manage/groups").json()["groups"]]


def test_bulk_create_groups_empty_list_answers_400(api):
    response = api.post("/v1/manage/groups", json=[])
    assert (response.status_code, response.json()) == (
        400,
        {"message": "The list of groups is empty; send at least one."},
    )


def test_bulk_create_groups_same_name_twice_answers_409(api, unique):
    name = unique()
    response = api.post("/v1/manage/groups", json=[{"name": name, "criteria": JOHN}] * 2)
    assert response.status_code == 409


def test_group_and_tracker_may_share_a_name(api, unique):
    name = unique()
    api.create_tracker(name)
    assert api.create_group(name)["name"] == name
