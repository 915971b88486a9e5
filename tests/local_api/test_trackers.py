"""The tracker endpoints of the contract, over HTTP and embedded (see conftest `api`)."""

from __future__ import annotations

import re

import pytest

from symbl_admin.contract import MAX_BODY_BYTES

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
DOCS_PHRASES = [
    "We have a special promotion going on if you book this before",
    "I can offer you a discount of 10 20 percent you being a new customer for us",
    "We have our month special this month",
    "We have a sale right now on",
]


# -- create ---------------------------------------------------------------------------------


def test_create_answers_201_with_the_tracker(api, unique):
    name = unique("Promotion Mention")
    response = api.post("/v1/manage/tracker", json={"name": name, "vocabulary": DOCS_PHRASES})
    assert response.status_code == 201
    tracker = response.json()["tracker"]
    assert (tracker["name"], tracker["vocabulary"]) == (name, DOCS_PHRASES)


def test_create_assigns_a_16_digit_string_id(api, unique):
    tracker = api.create_tracker(unique())
    assert re.fullmatch(r"[1-9]\d{15}", tracker["id"])


def test_create_returns_iso_timestamps(api, unique):
    tracker = api.create_tracker(unique())
    assert ISO.fullmatch(tracker["createdOn"]) and tracker["updatedOn"] == tracker["createdOn"]


def test_create_keeps_vocabulary_order(api, unique):
    phrases = ["zeta", "alpha", "Mid word", "beta"]
    assert api.create_tracker(unique(), phrases)["vocabulary"] == phrases


def test_create_ignores_unknown_keys(api, unique):
    response = api.post(
        "/v1/manage/tracker",
        json={"name": unique(), "vocabulary": ["x"], "colour": "red", "nextToken": None},
    )
    assert response.status_code == 201
    assert not {"colour", "nextToken"} & set(response.json()["tracker"])


def test_create_accepts_any_script_digits_and_allowed_punctuation(api, unique):
    phrases = ["Señor García", "注文したい", "नमस्ते दुनिया", "I can’t pay", "it's 10.5 - ok"]
    assert api.create_tracker(unique(), phrases)["vocabulary"] == phrases


def test_names_are_case_sensitive(api, unique):
    name = unique("sales")
    api.create_tracker(name)
    assert api.create_tracker(name.upper())["name"] == name.upper()


def test_create_with_a_taken_name_answers_409(api, unique):
    name = unique()
    existing = api.create_tracker(name)
    response = api.post("/v1/manage/tracker", json={"name": name, "vocabulary": ["x"]})
    assert (response.status_code, response.json()["message"]) == (
        409,
        f'A tracker named "{name}" already exists (id {existing["id"]}). Names are case-sensitive.',
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"vocabulary": ["x"]}, '"name" is required.'),
        ({"name": 5, "vocabulary": ["x"]}, '"name" must be a string, not a number.'),
        ({"name": "", "vocabulary": ["x"]}, '"name" must not be empty or only spaces.'),
        ({"name": "   ", "vocabulary": ["x"]}, '"name" must not be empty or only spaces.'),
        ({"name": "N"}, '"vocabulary" is required: a list of 1 to 50 phrases.'),
        ({"name": "N", "vocabulary": "x"}, '"vocabulary" must be a list of phrases, not a string.'),
        ({"name": "N", "vocabulary": []}, '"vocabulary" must contain at least 1 phrase.'),
        (
            {"name": "N", "vocabulary": [f"p{i}" for i in range(51)]},
            '"vocabulary" has 51 phrases; at most 50 are allowed.',
        ),
        (
            {"name": "N", "vocabulary": ["ok", 3]},
            'Phrase at index 1 of "vocabulary" must be a string, not a number.',
        ),
        (
            {"name": "N", "vocabulary": ["ok", " "]},
            'Phrase at index 1 of "vocabulary" is empty or only spaces.',
        ),
        (
            {"name": "N", "vocabulary": ["a", "b", "a"]},
            'Phrase at index 2 of "vocabulary" ("a") repeats the phrase at index 0; '
            "phrases must be unique.",
        ),
        (
            ["not", "an", "object"],
            'A tracker (with "name" and "vocabulary") must be a JSON object, not a list.',
        ),
    ],
)
def test_create_breaking_a_rule_answers_400_naming_it(api, body, expected):
    response = api.post("/v1/manage/tracker", json=body)
    assert (response.status_code, response.json()) == (400, {"message": expected})


@pytest.mark.parametrize("char", list('?,!:;"()') + ["\t", "@", "%", "😀"])
def test_create_rejects_other_punctuation(api, unique, char):
    response = api.post(
        "/v1/manage/tracker", json={"name": unique(), "vocabulary": ["fine", f"bad{char}phrase"]}
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith('Phrase at index 1 of "vocabulary" ("bad')


def test_create_accepts_exactly_50_phrases(api, unique):
    phrases = [f"phrase {i}" for i in range(50)]
    assert len(api.create_tracker(unique(), phrases)["vocabulary"]) == 50


def test_create_accepts_a_single_phrase(api, unique):
    assert api.create_tracker(unique(), ["only one"])["vocabulary"] == ["only one"]


def test_a_rejected_create_creates_nothing(api, unique):
    name = unique()
    api.post("/v1/manage/tracker", json={"name": name, "vocabulary": ["bad?"]})
    assert api.get("/v1/manage/trackers", params={"name": name}).json() == {"trackers": []}


# -- read -----------------------------------------------------------------------------------


def test_get_by_id_answers_the_tracker(api, unique):
    created = api.create_tracker(unique())
    response = api.get(f"/v1/manage/tracker/{created['id']}")
    assert (response.status_code, response.json()) == (200, {"tracker": created})


def test_get_unknown_id_answers_404(api):
    response = api.get("/v1/manage/tracker/1234567890123456")
    assert (response.status_code, response.json()) == (
        404,
        {"message": 'No tracker with id "1234567890123456".'},
    )


def test_list_contains_created_trackers_in_creation_order(api, unique):
    names = [unique("Order") for _ in range(3)]
    for name in names:
        api.create_tracker(name)
    listed = [t["name"] for t in api.get("/v1/manage/trackers").json()["trackers"]]
    assert [n for n in listed if n in names] == names


def test_list_by_name_is_an_exact_case_sensitive_match(api, unique):
    name = unique("Exact")
    created = api.create_tracker(name)
    api.create_tracker(name.lower())
    api.create_tracker(name + " more")
    response = api.get("/v1/manage/trackers", params={"name": name})
    assert response.json() == {"trackers": [created]}


def test_list_by_unknown_name_answers_an_empty_list(api, unique):
    response = api.get("/v1/manage/trackers", params={"name": unique("Nobody")})
    assert (response.status_code, response.json()) == (200, {"trackers": []})


def test_list_by_non_ascii_name(api, unique):
    created = api.create_tracker(unique("Café Ünïcödé"))
    response = api.get("/v1/manage/trackers", params={"name": created["name"]})
    assert response.json() == {"trackers": [created]}


def test_list_by_name_with_the_docs_leading_ampersand(api, unique):
    created = api.create_tracker(unique())
    response = api.get(f"/v1/manage/trackers?&name={created['name'].replace(' ', '%20')}")
    assert response.json() == {"trackers": [created]}


# -- update ---------------------------------------------------------------------------------


def test_update_replaces_name_and_vocabulary(api, unique):
    created = api.create_tracker(unique(), ["old one", "old two"])
    new_name = unique("Renamed")
    response = api.put(
        f"/v1/manage/tracker/{created['id']}", json={"name": new_name, "vocabulary": ["new"]}
    )
    assert response.status_code == 200
    tracker = response.json()["tracker"]
    assert (tracker["id"], tracker["name"], tracker["vocabulary"]) == (
        created["id"],
        new_name,
        ["new"],
    )


def test_update_is_visible_on_read(api, unique):
    created = api.create_tracker(unique())
    updated = api.put(
        f"/v1/manage/tracker/{created['id']}", json={"name": created["name"], "vocabulary": ["b"]}
    ).json()["tracker"]
    assert api.get(f"/v1/manage/tracker/{created['id']}").json() == {"tracker": updated}


def test_update_keeps_created_on_and_moves_updated_on(api, unique):
    created = api.create_tracker(unique())
    updated = api.put(
        f"/v1/manage/tracker/{created['id']}", json={"name": created["name"], "vocabulary": ["b"]}
    ).json()["tracker"]
    assert updated["createdOn"] == created["createdOn"]
    assert updated["updatedOn"] >= created["updatedOn"]


@pytest.mark.parametrize("same_id", [str, int])
def test_update_accepts_the_same_id_in_the_body(api, unique, same_id):
    created = api.create_tracker(unique())
    response = api.put(
        f"/v1/manage/tracker/{created['id']}",
        json={"id": same_id(created["id"]), "name": created["name"], "vocabulary": ["c"]},
    )
    assert response.status_code == 200


def test_update_with_a_different_body_id_answers_400(api, unique):
    created = api.create_tracker(unique())
    response = api.put(
        f"/v1/manage/tracker/{created['id']}",
        json={"id": "1111111111111111", "name": created["name"], "vocabulary": ["c"]},
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        f'"id" in the body (1111111111111111) differs from the id in the path ({created["id"]}); '
        "an update cannot change an id."
    )


def test_update_to_its_own_name_is_not_a_conflict(api, unique):
    created = api.create_tracker(unique())
    response = api.put(
        f"/v1/manage/tracker/{created['id']}", json={"name": created["name"], "vocabulary": ["z"]}
    )
    assert response.status_code == 200


def test_update_to_another_trackers_name_answers_409(api, unique):
    first, second = api.create_tracker(unique()), api.create_tracker(unique())
    response = api.put(
        f"/v1/manage/tracker/{second['id']}", json={"name": first["name"], "vocabulary": ["z"]}
    )
    assert (response.status_code, response.json()["message"]) == (
        409,
        f'Another tracker is already named "{first["name"]}" (id {first["id"]}). '
        "Names are case-sensitive.",
    )


def test_update_unknown_id_answers_404(api):
    response = api.put("/v1/manage/tracker/999", json={"name": "x", "vocabulary": ["y"]})
    assert (response.status_code, response.json()) == (
        404,
        {"message": 'No tracker with id "999".'},
    )


def test_update_breaking_a_rule_answers_400_and_changes_nothing(api, unique):
    created = api.create_tracker(unique())
    response = api.put(
        f"/v1/manage/tracker/{created['id']}", json={"name": created["name"], "vocabulary": []}
    )
    assert response.status_code == 400
    assert api.get(f"/v1/manage/tracker/{created['id']}").json() == {"tracker": created}


# -- delete ---------------------------------------------------------------------------------


def test_delete_answers_the_documented_shape(api, unique):
    created = api.create_tracker(unique())
    response = api.delete(f"/v1/manage/tracker/{created['id']}")
    assert (response.status_code, response.json()) == (
        200,
        {"id": created["id"], "type": "tracker", "deleted": True},
    )


def test_deleted_tracker_is_gone(api, unique):
    created = api.create_tracker(unique())
    api.delete(f"/v1/manage/tracker/{created['id']}")
    assert api.get(f"/v1/manage/tracker/{created['id']}").status_code == 404


def test_delete_unknown_id_answers_404(api):
    response = api.delete("/v1/manage/tracker/42")
    assert (response.status_code, response.json()) == (404, {"message": 'No tracker with id "42".'})


def test_a_deleted_name_can_be_reused(api, unique):
    created = api.create_tracker(unique())
    api.delete(f"/v1/manage/tracker/{created['id']}")
    assert api.create_tracker(created["name"])["id"] != created["id"]


# -- body size ------------------------------------------------------------------------------


def _padded_tracker_body(name: str, size: int) -> bytes:
    body = f'{{"name": "{name}", "vocabulary": ["padded"]}}'.encode()
    return body + b" " * (size - len(body))  # trailing whitespace is valid JSON


def test_body_of_exactly_1_mb_is_accepted(api, unique):
    response = api.post(
        "/v1/manage/tracker",
        data=_padded_tracker_body(unique(), MAX_BODY_BYTES),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201


def test_body_of_1_mb_minus_1_byte_is_accepted(api, unique):
    response = api.post(
        "/v1/manage/tracker",
        data=_padded_tracker_body(unique(), MAX_BODY_BYTES - 1),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201


def test_body_of_1_mb_plus_1_byte_answers_413(api, unique):
    name = unique()
    response = api.post(
        "/v1/manage/tracker",
        data=_padded_tracker_body(name, MAX_BODY_BYTES + 1),
        headers={"Content-Type": "application/json"},
    )
    assert (response.status_code, response.json()) == (
        413,
        {"message": "The request body is 1,048,577 bytes; the limit is 1,048,576 bytes (1 MB)."},
    )


def test_chunked_body_over_1_mb_answers_413(api, unique):
    body = _padded_tracker_body(unique(), MAX_BODY_BYTES + 10)
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
    response = api.post(
        "/v1/manage/tracker", data=chunks, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_chunked_body_under_1_mb_is_accepted(api, unique):
    body = _padded_tracker_body(unique(), 200_000)
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
    response = api.post(
        "/v1/manage/tracker", data=chunks, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201
