"""Error shape, 404/405 and the documented error precedence, over HTTP and embedded.

401 → 413 → 405 → 429 → 400 not JSON → 404 → 400 rules → 409 → 400 account limit
(each test breaks two neighbouring rules and expects the earlier one to answer).
"""

from __future__ import annotations

import pytest

from symbl_admin.contract import MAX_BODY_BYTES

TOO_BIG = b" " * (MAX_BODY_BYTES + 1)


def test_unknown_endpoint_answers_404_with_a_message(api):
    response = api.get("/v1/manage/nothing-here")
    assert (response.status_code, response.json()) == (
        404,
        {
            "message": "There is no endpoint at /v1/manage/nothing-here. Trackers live under "
            "/v1/manage/tracker(s), groups under /v1/manage/group(s)."
        },
    )


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/v1/manage/tracker", "POST"),
        ("DELETE", "/v1/manage/trackers", "GET, POST"),
        ("POST", "/v1/manage/tracker/123", "GET, PUT, DELETE, PATCH"),
        ("PATCH", "/v1/manage/group/123", "GET, PUT, DELETE"),
        ("PUT", "/v1/manage/groups", "GET, POST"),
        ("GET", "/v1/manage/group", "POST"),
    ],
)
def test_wrong_method_answers_405_with_allow(api, method, path, allowed):
    response = api.call(method, path)
    assert (response.status_code, response.headers["Allow"], response.json()) == (
        405,
        allowed,
        {"message": f"Method {method} is not allowed on {path}; allowed: {allowed}."},
    )


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe", b"NaN", b"[" * 100_000])
def test_body_that_is_not_json_answers_400(api, body):
    response = api.post(
        "/v1/manage/tracker", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["message"]


def test_errors_are_json_objects_with_only_a_message(api):
    response = api.get("/v1/manage/tracker/1")
    assert response.headers["Content-Type"].startswith("application/json")
    assert list(response.json()) == ["message"]


# -- precedence -----------------------------------------------------------------------------


def test_401_beats_413(api):
    response = api.post("/v1/manage/tracker", auth=False, data=TOO_BIG)
    assert response.status_code == 401


def test_413_beats_405(api):
    response = api.call("PATCH", "/v1/manage/tracker", data=TOO_BIG)
    assert response.status_code == 413


def test_405_beats_429(api, hold_write_lock):
    hold_write_lock(api.data_path)
    assert api.call("PATCH", "/v1/manage/tracker", data=b"{bad").status_code == 405


def test_429_beats_400_not_json(api, hold_write_lock):
    hold_write_lock(api.data_path)
    response = api.post("/v1/manage/tracker", data=b"{bad")
    assert (response.status_code, response.json()) == (
        429,
        {
            "message": "Another tracker create or update is in progress for this account; "
            "only one runs at a time. Nothing was done; try again."
        },
    )


def test_400_not_json_beats_404(api):
    assert api.put("/v1/manage/tracker/404404", data=b"{bad").status_code == 400


def test_404_beats_400_rules(api):
    response = api.put("/v1/manage/tracker/404404", json={"name": "", "vocabulary": []})
    assert response.status_code == 404


def test_404_beats_a_mismatched_body_id(api):
    response = api.put("/v1/manage/group/404404", json={"id": "1", "name": "G", "criteria": "x"})
    assert response.status_code == 404


def test_400_rules_beat_409(api, unique):
    existing = api.create_tracker(unique())
    response = api.post("/v1/manage/tracker", json={"name": existing["name"], "vocabulary": []})
    assert response.status_code == 400


def test_400_rules_beat_409_for_groups(api, unique):
    existing = api.create_group(unique())
    response = api.post("/v1/manage/group", json={"name": existing["name"], "criteria": "x"})
    assert response.status_code == 400


def test_bulk_rules_on_a_later_item_beat_409_on_an_earlier_one(api, unique):
    existing = api.create_tracker(unique())
    response = api.post(
        "/v1/manage/trackers",
        json=[
            {"name": existing["name"], "vocabulary": ["x"]},
            {"name": unique(), "vocabulary": []},
        ],
    )
    assert response.status_code == 400


# -- the write lock -------------------------------------------------------------------------


def test_create_while_a_tracker_write_is_in_flight_answers_429(api, unique, hold_write_lock):
    hold_write_lock(api.data_path)
    assert (
        api.post("/v1/manage/tracker", json={"name": unique(), "vocabulary": ["x"]}).status_code
        == 429
    )


def test_429_does_nothing(api, unique, hold_write_lock):
    name = unique()
    hold_write_lock(api.data_path)
    api.post("/v1/manage/tracker", json={"name": name, "vocabulary": ["x"]})
    assert api.get("/v1/manage/trackers", params={"name": name}).json() == {"trackers": []}


def test_update_while_a_tracker_write_is_in_flight_answers_429(api, unique, hold_write_lock):
    created = api.create_tracker(unique())
    hold_write_lock(api.data_path)
    response = api.put(
        f"/v1/manage/tracker/{created['id']}", json={"name": created["name"], "vocabulary": ["y"]}
    )
    assert response.status_code == 429


def test_bulk_create_while_a_tracker_write_is_in_flight_answers_429(api, unique, hold_write_lock):
    hold_write_lock(api.data_path)
    response = api.post("/v1/manage/trackers", json=[{"name": unique(), "vocabulary": ["x"]}])
    assert response.status_code == 429


def test_reads_deletes_and_groups_ignore_the_tracker_write_lock(api, unique, hold_write_lock):
    created = api.create_tracker(unique())
    hold_write_lock(api.data_path)
    statuses = [
        api.get("/v1/manage/trackers").status_code,
        api.delete(f"/v1/manage/tracker/{created['id']}").status_code,
        api.post(
            "/v1/manage/group", json={"name": unique(), "criteria": "conversation.x==1"}
        ).status_code,
    ]
    assert statuses == [200, 200, 201]
