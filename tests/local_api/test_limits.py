"""The 500-trackers-per-account limit, on a fresh account per mode (filled once, by bulk)."""

from __future__ import annotations

import pytest

from tests.support.standalone import standalone_server

from .conftest import make_embedded_api, make_http_api


@pytest.fixture(scope="module", params=["http", "embedded"])
def full_api(request, tmp_path_factory):
    """An account holding exactly 500 trackers."""
    data_path = tmp_path_factory.mktemp(f"full-{request.param}") / "api.sqlite3"
    if request.param == "embedded":
        api = make_embedded_api(data_path)
        _fill(api)
        yield api
        return
    with standalone_server(data_path) as url:
        api = make_http_api(url, data_path)
        _fill(api)
        yield api
        api.close()


def _fill(api):
    for start in (0, 250):
        batch = [
            {"name": f"Tracker {i:03}", "vocabulary": ["x"]} for i in range(start, start + 250)
        ]
        assert api.post("/v1/manage/trackers", json=batch).status_code == 201
    assert len(api.get("/v1/manage/trackers").json()["trackers"]) == 500


def test_creating_the_501st_answers_400_saying_so(full_api):
    response = full_api.post(
        "/v1/manage/tracker", json={"name": "One too many", "vocabulary": ["x"]}
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "message": "This account already has 500 trackers, the most allowed (500 per "
            "account). Delete one before creating another."
        },
    )


def test_a_batch_crossing_the_limit_answers_400_and_creates_nothing(full_api):
    response = full_api.post(
        "/v1/manage/trackers",
        json=[{"name": "Extra A", "vocabulary": ["x"]}, {"name": "Extra B", "vocabulary": ["x"]}],
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "message": "Creating these 2 trackers would exceed the limit of 500 trackers per "
            "account (500 exist, room for 0). Nothing was created."
        },
    )


def test_409_beats_the_account_limit(full_api):
    response = full_api.post(
        "/v1/manage/tracker", json={"name": "Tracker 007", "vocabulary": ["x"]}
    )
    assert response.status_code == 409


def test_400_rules_beat_the_account_limit(full_api):
    response = full_api.post("/v1/manage/tracker", json={"name": "New", "vocabulary": []})
    assert response.json()["message"] == '"vocabulary" must contain at least 1 phrase.'


def test_updates_still_work_at_the_limit(full_api):
    tracker = full_api.get("/v1/manage/trackers", params={"name": "Tracker 100"}).json()[
        "trackers"
    ][0]
    response = full_api.put(
        f"/v1/manage/tracker/{tracker['id']}", json={"name": "Tracker 100", "vocabulary": ["y"]}
    )
    assert response.status_code == 200


def test_after_a_delete_one_more_fits(full_api):
    tracker = full_api.get("/v1/manage/trackers", params={"name": "Tracker 499"}).json()[
        "trackers"
    ][0]
    full_api.delete(f"/v1/manage/tracker/{tracker['id']}")
    response = full_api.post(
        "/v1/manage/tracker", json={"name": "Tracker 499", "vocabulary": ["x"]}
    )
    assert response.status_code == 201
