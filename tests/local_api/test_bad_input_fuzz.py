"""No bad input makes the tracker endpoints answer 500: patches and bodies of every shape,
huge values, deep nesting, a patch that copies a list into itself again and again."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbl_admin.contract import MAX_BODY_BYTES

PATHS = st.sampled_from(
    [
        "",
        "/",
        "/name",
        "/vocabulary",
        "/vocabulary/0",
        "/vocabulary/-",
        "/vocabulary/99999999999999999999",
        "/categories",
        "/categories/0",
        "/languages",
        "/languages/-",
        "/excludeVocabulary",
        "/excludeVocabulary/0",
        "/description",
        "/description/0",
        "/id",
        "/type",
        "/createdOn",
        "/x~2",
        "vocabulary",
        "/vocabulary/-1",
    ]
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
OPERATION = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "remove", "replace", "move", "copy", "test", "bogus"]) | JSON},
    optional={
        "path": PATHS | JSON,
        "from": PATHS | JSON,
        "value": JSON | st.sampled_from(["hi", "en-US"]),
    },
)
PATCH = st.lists(OPERATION | JSON, max_size=5) | JSON


@pytest.fixture(scope="module")
def fuzz_tracker(embedded_api):
    name = "Fuzz target"
    found = embedded_api.get("/v1/manage/trackers", params={"name": name}).json()["trackers"]
    return found[0] if found else embedded_api.create_tracker(name, ["hello", "hi"])


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=PATCH)
def test_no_patch_answers_500(embedded_api, fuzz_tracker, body):
    response = embedded_api.patch(f"/v1/manage/trackers/{fuzz_tracker['id']}", json=body)
    assert response.status_code in {200, 400, 409}, response.text


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=JSON
    | st.fixed_dictionaries(
        {"name": JSON, "vocabulary": JSON},
        optional={
            "description": JSON,
            "categories": JSON,
            "languages": JSON,
            "excludeVocabulary": JSON,
            "type": JSON,
            "createdOn": JSON,
        },
    )
)
def test_no_create_body_answers_500(embedded_api, body):
    response = embedded_api.post("/v1/manage/trackers", json=body)
    assert response.status_code in {201, 400, 409}, response.text


def test_copying_a_list_into_itself_again_and_again_is_refused(api, unique):
    tracker = api.create_tracker(unique("Doubling"))
    doubling = [{"op": "copy", "from": "/vocabulary", "path": "/vocabulary/-"}] * 60
    response = api.patch(f"/v1/manage/tracker/{tracker['id']}", json=doubling)
    assert response.status_code == 400
    assert "copies of this patch add more than" in response.json()["message"]


def test_a_deeply_nested_value_is_refused(api, unique):
    tracker = api.create_tracker(unique("Nested"))
    value: list = []
    for _ in range(400):
        value = [value]
    operations = [
        {"op": "add", "path": "/categories/-", "value": value},
        {"op": "copy", "from": "/categories/0", "path": "/vocabulary/-"},
        {"op": "test", "path": "/categories/0", "value": value},
    ]
    response = api.patch(f"/v1/manage/tracker/{tracker['id']}", json=operations)
    assert response.status_code == 400


def test_a_huge_value_is_refused_by_the_rules(api, unique):
    tracker = api.create_tracker(unique("Huge"))
    huge = "d" * (MAX_BODY_BYTES - 200)
    response = api.patch(
        f"/v1/manage/tracker/{tracker['id']}",
        json=[{"op": "replace", "path": "/description", "value": huge}],
    )
    assert response.status_code == 400
    assert "at most 512 are allowed" in response.json()["message"]


def test_a_patch_of_many_operations_is_answered(api, unique):
    tracker = api.create_tracker(unique("Many"))
    operations = [{"op": "test", "path": "/name", "value": tracker["name"]}] * 10_000
    response = api.patch(f"/v1/manage/tracker/{tracker['id']}", json=operations, timeout=(5, 60))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "value", [None, True, 12, 1.5, {"a": 1}, [["nested"]], "x" * 100_000], ids=repr
)
@pytest.mark.parametrize(
    "field", ["name", "vocabulary", "description", "categories", "languages", "excludeVocabulary"]
)
def test_a_value_of_any_type_in_any_field_is_answered_without_500(api, unique, field, value):
    body = {"name": unique(), "vocabulary": ["x"], field: value}
    response = api.post("/v1/manage/tracker", json=body)
    assert response.status_code in {201, 400}, response.text
