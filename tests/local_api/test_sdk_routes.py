"""The SDK's routes beside the documented ones, over HTTP and embedded (see conftest `api`):
POST /v1/manage/trackers with one object, /v1/manage/trackers/{id} as the twin of
/v1/manage/tracker/{id}, and the custom entities this contract does not offer."""

from __future__ import annotations

import pytest

ENTITIES_MESSAGE = (
    "Custom entities (/v1/manage/entities) are not supported by this server; it serves "
    "trackers (/v1/manage/tracker(s)) and conversation groups (/v1/manage/group(s))."
)


def test_post_of_one_object_to_the_plural_creates_one(api, unique):
    name = unique("SDK")
    response = api.post("/v1/manage/trackers", json={"name": name, "vocabulary": ["hello"]})
    assert response.status_code == 201 and set(response.json()) == {"tracker"}
    assert response.json()["tracker"]["name"] == name


def test_post_of_a_list_to_the_plural_is_still_a_bulk_create(api, unique):
    response = api.post("/v1/manage/trackers", json=[{"name": unique(), "vocabulary": ["x"]}])
    assert response.status_code == 201 and set(response.json()) == {"trackers"}


def test_one_object_to_the_plural_follows_the_create_rules(api, unique):
    response = api.post("/v1/manage/trackers", json={"name": unique(), "vocabulary": []})
    assert response.json() == {"message": '"vocabulary" must contain at least 1 phrase.'}


def test_one_object_to_the_plural_with_a_taken_name_answers_409(api, unique):
    name = api.create_tracker(unique())["name"]
    response = api.post("/v1/manage/trackers", json={"name": name, "vocabulary": ["x"]})
    assert response.status_code == 409


def test_one_object_to_the_plural_answers_429_while_a_write_is_in_flight(
    api, unique, hold_write_lock
):
    name = unique()
    hold_write_lock(api.data_path)
    response = api.post("/v1/manage/trackers", json={"name": name, "vocabulary": ["x"]})
    assert response.status_code == 429


def test_get_by_id_on_the_plural_is_the_singular_twin(api, unique):
    tracker = api.create_tracker(unique())
    plural = api.get(f"/v1/manage/trackers/{tracker['id']}")
    singular = api.get(f"/v1/manage/tracker/{tracker['id']}")
    assert (plural.status_code, plural.json()) == (200, singular.json())


def test_put_on_the_plural_updates_like_the_singular(api, unique):
    tracker = api.create_tracker(unique())
    body = {"name": tracker["name"], "vocabulary": ["new"], "description": "via SDK path"}
    response = api.put(f"/v1/manage/trackers/{tracker['id']}", json=body)
    assert response.status_code == 200
    assert (
        response.json()["tracker"]["vocabulary"],
        response.json()["tracker"]["description"],
    ) == (
        ["new"],
        "via SDK path",
    )


def test_delete_on_the_plural_answers_200_like_the_singular(api, unique):
    tracker = api.create_tracker(unique())
    response = api.delete(f"/v1/manage/trackers/{tracker['id']}")
    assert (response.status_code, response.json()) == (
        200,
        {"id": tracker["id"], "type": "tracker", "deleted": True},
    )
    assert api.get(f"/v1/manage/tracker/{tracker['id']}").status_code == 404


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_unknown_id_on_the_plural_answers_404(api, method):
    body = {"GET": None, "DELETE": None, "PUT": {"name": "x", "vocabulary": ["x"]}, "PATCH": []}
    kwargs = {} if body[method] is None else {"json": body[method]}
    response = api.call(method, "/v1/manage/trackers/1", **kwargs)
    assert (response.status_code, response.json()) == (404, {"message": 'No tracker with id "1".'})


@pytest.mark.parametrize("path", ["/v1/manage/tracker/123", "/v1/manage/trackers/123"])
def test_by_id_paths_allow_patch(api, path):
    response = api.post(path)
    assert (response.status_code, response.headers["Allow"]) == (405, "GET, PUT, DELETE, PATCH")


def test_groups_have_no_sdk_routes(api):
    assert api.get("/v1/manage/groups/123").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/manage/entities"),
        ("POST", "/v1/manage/entities"),
        ("POST", "/v1/manage/entities/bulk"),
        ("GET", "/v1/manage/entities/4476908732794496"),
        ("PUT", "/v1/manage/entities/4476908732794496"),
        ("DELETE", "/v1/manage/entities/4476908732794496"),
    ],
)
def test_entities_answer_404_saying_they_are_not_supported(api, method, path):
    response = api.call(method, path, params={"subType": "x"} if method == "GET" else None)
    assert (response.status_code, response.json()) == (404, {"message": ENTITIES_MESSAGE})


def test_entities_still_need_a_token(api):
    assert api.get("/v1/manage/entities", auth=False).status_code == 401
