"""PATCH of a tracker: JSON Patch (RFC 6902) plus the SDK's shorthand, over HTTP and embedded
(see conftest `api`), on both /v1/manage/tracker/{id} and /v1/manage/trackers/{id}."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from symbl_admin.contract import MAX_CATEGORIES

START = {
    "vocabulary": ["hello", "hi"],
    "description": "Greetings",
    "categories": ["cat1"],
    "languages": ["en-US"],
    "excludeVocabulary": ["bye"],
}


@pytest.fixture
def tracker(api, unique):
    response = api.post("/v1/manage/tracker", json={"name": unique("Patch"), **START})
    assert response.status_code == 201, response.text
    return response.json()["tracker"]


@pytest.fixture(params=["tracker", "trackers"])
def patch(request, api, tracker):
    """patch(ops) -> the response of a PATCH of `tracker`, on the singular or plural path."""

    def send(operations, tracker_id=None):
        return api.patch(
            f"/v1/manage/{request.param}/{tracker_id or tracker['id']}", json=operations
        )

    return send


def _patched(patch, *operations):
    response = patch(list(operations))
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"tracker"}
    return response.json()["tracker"]


def _refused(patch, *operations) -> str:
    response = patch(list(operations))
    assert response.status_code == 400, response.text
    return response.json()["message"]


# -- the RFC 6902 operations ------------------------------------------------------------------


def test_replace_of_the_description_is_the_sdks_update(patch, tracker):
    after = _patched(patch, {"op": "replace", "path": "/description", "value": "Updated"})
    assert after == {**tracker, "description": "Updated", "updatedOn": after["updatedOn"]}


def test_replace_of_the_name(patch, unique):
    name = unique("Renamed")
    assert _patched(patch, {"op": "replace", "path": "/name", "value": name})["name"] == name


@pytest.mark.parametrize("field", ["vocabulary", "categories", "languages", "excludeVocabulary"])
def test_replace_of_a_whole_list(patch, field):
    value = {"languages": ["fr-FR", "es"]}.get(field, ["one", "two"])
    assert _patched(patch, {"op": "replace", "path": f"/{field}", "value": value})[field] == value


ITEMS = [
    ("vocabulary", "hey"),
    ("categories", "cat2"),
    ("languages", "fr-FR"),
    ("excludeVocabulary", "ciao"),
]


@pytest.mark.parametrize(("field", "value"), ITEMS)
def test_add_at_index_0_inserts_first(patch, field, value):
    after = _patched(patch, {"op": "add", "path": f"/{field}/0", "value": value})
    assert after[field] == [value, *START[field]]


@pytest.mark.parametrize(("field", "value"), ITEMS)
def test_add_at_dash_appends(patch, field, value):
    after = _patched(patch, {"op": "add", "path": f"/{field}/-", "value": value})
    assert after[field] == [*START[field], value]


def test_add_in_the_middle_of_the_vocabulary(patch):
    after = _patched(patch, {"op": "add", "path": "/vocabulary/1", "value": "hey"})
    assert after["vocabulary"] == ["hello", "hey", "hi"]


def test_remove_by_index(patch):
    assert _patched(patch, {"op": "remove", "path": "/vocabulary/0"})["vocabulary"] == ["hi"]


def test_replace_by_index(patch):
    after = _patched(patch, {"op": "replace", "path": "/vocabulary/1", "value": "hiya"})
    assert after["vocabulary"] == ["hello", "hiya"]


@pytest.mark.parametrize(
    ("field", "default"),
    [("description", ""), ("categories", []), ("languages", []), ("excludeVocabulary", [])],
)
def test_remove_of_an_optional_field_leaves_the_default(patch, field, default):
    assert _patched(patch, {"op": "remove", "path": f"/{field}"})[field] == default


def test_remove_of_the_vocabulary_breaks_a_rule(patch):
    assert _refused(patch, {"op": "remove", "path": "/vocabulary"}) == (
        'Operation 0 (remove /vocabulary): "vocabulary" is required: a list of 1 to 50 phrases.'
    )


def test_move_from_one_list_to_the_other(patch):
    after = _patched(patch, {"op": "move", "from": "/vocabulary/1", "path": "/excludeVocabulary/-"})
    assert (after["vocabulary"], after["excludeVocabulary"]) == (["hello"], ["bye", "hi"])


def test_copy_between_lists(patch):
    after = _patched(patch, {"op": "copy", "from": "/excludeVocabulary/0", "path": "/categories/-"})
    assert after["categories"] == ["cat1", "bye"]


def test_a_passing_test_lets_the_patch_through(patch):
    after = _patched(
        patch,
        {"op": "test", "path": "/vocabulary/0", "value": "hello"},
        {"op": "replace", "path": "/vocabulary/0", "value": "howdy"},
    )
    assert after["vocabulary"] == ["howdy", "hi"]


def test_a_failed_test_answers_400_and_changes_nothing(api, patch, tracker):
    message = _refused(
        patch,
        {"op": "replace", "path": "/description", "value": "changed"},
        {"op": "test", "path": "/description", "value": "Greetings"},
    )
    assert message == (
        'Operation 1 (test /description): the test failed: the value is "changed", not "Greetings".'
    )
    assert api.get(f"/v1/manage/tracker/{tracker['id']}").json()["tracker"] == tracker


def test_an_invalid_state_on_the_way_is_fine_when_the_result_is_valid(patch):
    after = _patched(
        patch,
        {"op": "replace", "path": "/vocabulary", "value": []},
        {"op": "add", "path": "/vocabulary", "value": "fresh"},
    )
    assert after["vocabulary"] == ["fresh"]


# -- the SDK's shorthand ------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), ITEMS)
def test_add_of_a_string_to_a_whole_list_appends_it(patch, field, value):
    after = _patched(patch, {"op": "add", "path": f"/{field}", "value": value})
    assert after[field] == [*START[field], value]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vocabulary", "hi"),
        ("categories", "cat1"),
        ("languages", "en-US"),
        ("excludeVocabulary", "bye"),
    ],
)
def test_remove_of_a_whole_list_with_a_value_removes_that_item(patch, field, value):
    after = _patched(patch, {"op": "remove", "path": f"/{field}", "value": value})
    assert after[field] == [item for item in START[field] if item != value]


def test_remove_of_an_item_that_is_not_there_answers_400(patch):
    assert _refused(patch, {"op": "remove", "path": "/categories", "value": "nope"}) == (
        'Operation 0 (remove /categories): "nope" is not in "categories".'
    )


def test_remove_with_a_value_that_is_not_a_string_answers_400(patch):
    assert _refused(patch, {"op": "remove", "path": "/categories", "value": ["cat1"]}) == (
        "Operation 0 (remove /categories): the value to remove must be a string, not a list."
    )


# -- rules of the patched tracker ---------------------------------------------------------------


def test_a_phrase_in_both_lists_names_the_operation(patch):
    message = _refused(
        patch,
        {"op": "replace", "path": "/description", "value": "fine"},
        {"op": "add", "path": "/excludeVocabulary", "value": "hello"},
    )
    assert message == (
        'Operation 1 (add /excludeVocabulary): Phrase at index 1 of "excludeVocabulary" '
        '("hello") is also at index 0 of "vocabulary"; a phrase cannot be both tracked and '
        "ignored."
    )


def test_too_many_categories_name_the_operation(patch):
    labels = [f"c{i}" for i in range(MAX_CATEGORIES + 1)]
    assert _refused(patch, {"op": "replace", "path": "/categories", "value": labels}) == (
        f'Operation 0 (replace /categories): "categories" has {MAX_CATEGORIES + 1} categories; '
        f"at most {MAX_CATEGORIES} are allowed."
    )


def test_a_bad_language_tag_names_the_operation(patch):
    message = _refused(
        patch,
        {"op": "add", "path": "/languages", "value": "english"},
        {"op": "replace", "path": "/name", "value": "unrelated"},
    )
    assert message.startswith(
        'Operation 0 (add /languages): Language at index 1 of "languages" ("english") is not a '
        "valid BCP 47 language tag"
    )


def test_a_copy_that_repeats_a_phrase_names_the_copy(patch):
    assert _refused(patch, {"op": "copy", "from": "/vocabulary/0", "path": "/vocabulary/-"}) == (
        'Operation 0 (copy /vocabulary/-): Phrase at index 2 of "vocabulary" ("hello") repeats '
        "the phrase at index 0; phrases must be unique."
    )


def test_a_move_is_blamed_for_emptying_its_source(patch):
    message = _refused(
        patch,
        {"op": "remove", "path": "/vocabulary/0"},
        {"op": "move", "from": "/vocabulary/0", "path": "/categories/-"},
    )
    assert message == (
        'Operation 1 (move /categories/-): "vocabulary" must contain at least 1 phrase.'
    )


def test_a_name_another_tracker_has_answers_409(api, patch, unique):
    other = api.create_tracker(unique("Other"))
    response = patch([{"op": "replace", "path": "/name", "value": other["name"]}])
    assert response.status_code == 409


# -- what a patch cannot do -----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["id", "createdOn", "updatedOn", "type"])
def test_server_keys_cannot_be_patched(patch, key):
    assert _refused(patch, {"op": "replace", "path": f"/{key}", "value": "x"}) == (
        f'Operation 0 (replace /{key}): "{key}" is set by the server and cannot be patched.'
    )


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (
            {"op": "delete", "path": "/name"},
            'Operation 0: "op" is "delete"; it must be one of add, remove, replace, move, copy, '
            "test.",
        ),
        (
            {"path": "/name"},
            'Operation 0: "op" is none; it must be one of add, remove, replace, move, copy, test.',
        ),
        ({"op": "add", "value": 1}, 'Operation 0 (add): "path" is required.'),
        ({"op": "add", "path": "/name"}, 'Operation 0 (add /name): "value" is required.'),
        ({"op": "move", "path": "/name"}, 'Operation 0 (move /name): "from" is required.'),
        (
            {"op": "add", "path": "/owner", "value": "me"},
            'Operation 0 (add /owner): "owner" is not a field of the document; the fields are '
            "name, vocabulary, description, categories, languages, excludeVocabulary.",
        ),
        (
            {"op": "replace", "path": "", "value": {}},
            "Operation 0 (replace ): the whole document cannot be patched; name a field.",
        ),
        (
            {"op": "add", "path": 3, "value": 1},
            'Operation 0: "path" must be a string, not a number.',
        ),
        ("replace", 'Operation 0 must be a JSON object with "op" and "path", not a string.'),
    ],
)
def test_a_malformed_operation_answers_400(patch, operation, message):
    assert _refused(patch, operation) == message


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "add", "path": "name", "value": "x"},
        {"op": "add", "path": "/vocabulary/9", "value": "x"},
        {"op": "add", "path": "/vocabulary/x", "value": "x"},
        {"op": "remove", "path": "/vocabulary/-"},
        {"op": "replace", "path": "/name/0", "value": "x"},
        {"op": "move", "from": "/nowhere", "path": "/name"},
        {"op": "copy", "from": "/vocabulary/7", "path": "/categories/-"},
        {"op": "test", "path": "/vocabulary/5", "value": "x"},
    ],
)
def test_a_path_that_does_not_resolve_answers_400_naming_the_operation(patch, operation):
    assert _refused(patch, operation).startswith("Operation 0")


@pytest.mark.parametrize("body", [{"op": "replace", "path": "/name", "value": "x"}, "x", 1])
def test_a_body_that_is_not_a_list_answers_400(patch, body):
    response = patch(body)
    assert response.status_code == 400
    assert response.json()["message"].startswith("The body must be a JSON Patch (RFC 6902)")


def test_an_empty_patch_changes_nothing(patch, tracker):
    after = _patched(patch)
    assert {k: v for k, v in after.items() if k != "updatedOn"} == {
        k: v for k, v in tracker.items() if k != "updatedOn"
    }


def test_an_unknown_id_answers_404_before_the_body_is_looked_at(patch):
    response = patch({"not": "a patch"}, tracker_id="1")
    assert (response.status_code, response.json()) == (404, {"message": 'No tracker with id "1".'})


def test_a_body_that_is_not_json_answers_400_before_the_id_is_looked_up(api):
    response = api.patch(
        "/v1/manage/tracker/1", data=b"[{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


def test_groups_cannot_be_patched(api):
    assert api.patch("/v1/manage/group/1", json=[]).status_code == 405


# -- one write at a time --------------------------------------------------------------------------


def test_a_patch_while_a_write_is_in_flight_answers_429_and_does_nothing(
    api, patch, tracker, hold_write_lock
):
    hold_write_lock(api.data_path)
    response = patch([{"op": "replace", "path": "/description", "value": "late"}])
    assert response.status_code == 429
    assert api.get(f"/v1/manage/tracker/{tracker['id']}").json()["tracker"] == tracker


def test_a_busy_account_answers_429_before_the_body_is_read(api, patch, hold_write_lock):
    hold_write_lock(api.data_path)
    assert patch("not a patch").status_code == 429


def test_parallel_patches_answer_200_or_429_and_the_200_ones_landed(api, tracker):
    writers = 8
    barrier = threading.Barrier(writers)

    def append(index):
        client = api.new_session()
        barrier.wait()
        try:
            operation = {"op": "add", "path": "/categories", "value": f"w{index}"}
            return index, client.patch(f"/v1/manage/trackers/{tracker['id']}", json=[operation])
        finally:
            client.close()

    with ThreadPoolExecutor(writers) as pool:
        results = list(pool.map(append, range(writers)))
    landed = {f"w{i}" for i, response in results if response.status_code == 200}
    assert {response.status_code for _, response in results} <= {200, 429} and landed
    final = api.get(f"/v1/manage/tracker/{tracker['id']}").json()["tracker"]["categories"]
    assert set(final) == {"cat1", *landed}
