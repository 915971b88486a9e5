"""POST /v1/manage/trackers, the all-or-nothing bulk create, over HTTP and embedded."""

from __future__ import annotations


def test_bulk_create_answers_all_trackers_in_order(api, unique):
    names = [unique("Bulk") for _ in range(3)]
    response = api.post(
        "/v1/manage/trackers", json=[{"name": n, "vocabulary": ["x"]} for n in names]
    )
    assert response.status_code == 201
    assert [t["name"] for t in response.json()["trackers"]] == names


def test_bulk_create_gives_distinct_ids(api, unique):
    response = api.post(
        "/v1/manage/trackers", json=[{"name": unique(), "vocabulary": ["x"]} for _ in range(5)]
    )
    assert len({t["id"] for t in response.json()["trackers"]}) == 5


def test_bulk_create_empty_list_answers_400(api):
    response = api.post("/v1/manage/trackers", json=[])
    assert (response.status_code, response.json()) == (
        400,
        {"message": "The list of trackers is empty; send at least one."},
    )


def test_bulk_create_of_neither_a_list_nor_an_object_answers_400(api):
    # One object is the SDK's single create (tests/local_api/test_sdk_dialect.py).
    response = api.post("/v1/manage/trackers", json="a tracker")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "The body must be one tracker (a JSON object) or a JSON list of trackers, not a string."
    )


def test_bulk_create_names_the_first_invalid_item(api, unique):
    good, bad, worse = unique("Good"), unique("Bad"), unique("Worse")
    response = api.post(
        "/v1/manage/trackers",
        json=[
            {"name": good, "vocabulary": ["fine"]},
            {"name": bad, "vocabulary": ["no!"]},
            {"name": worse, "vocabulary": []},
        ],
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith(f'Item at index 1 ("{bad}"): Phrase at index 0')


def test_bulk_create_is_all_or_nothing(api, unique):
    good = unique("Good")
    api.post(
        "/v1/manage/trackers",
        json=[{"name": good, "vocabulary": ["fine"]}, {"name": unique(), "vocabulary": ["no!"]}],
    )
    assert api.get("/v1/manage/trackers", params={"name": good}).json() == {"trackers": []}


def test_bulk_create_same_name_twice_answers_409(api, unique):
    name = unique()
    response = api.post(
        "/v1/manage/trackers",
        json=[{"name": unique(), "vocabulary": ["x"]}] + [{"name": name, "vocabulary": ["x"]}] * 2,
    )
    assert response.status_code == 409
    assert response.json()["message"] == (
        f'Item at index 2 ("{name}"): the item at index 1 has the same name; '
        "names must be unique. Nothing was created."
    )


def test_bulk_create_with_an_existing_name_answers_409_and_creates_nothing(api, unique):
    existing = api.create_tracker(unique())
    fresh = unique()
    response = api.post(
        "/v1/manage/trackers",
        json=[
            {"name": fresh, "vocabulary": ["x"]},
            {"name": existing["name"], "vocabulary": ["x"]},
        ],
    )
    assert response.status_code == 409
    assert response.json()["message"].startswith(f'Item at index 1 ("{existing["name"]}")')
    assert api.get("/v1/manage/trackers", params={"name": fresh}).json() == {"trackers": []}


def test_bulk_item_without_a_name_is_labelled(api):
    response = api.post("/v1/manage/trackers", json=[{"vocabulary": ["x"]}])
    assert response.json()["message"] == (
        'Item at index 0 (no valid name): "name" is required. Nothing was created.'
    )
