"""No bad input makes the conversation endpoints answer 500: bodies and query strings of every
shape against POST/PUT /v1/process/text, PUT /v1/conversations/{id} and the lists."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.local_api.conversation_support import body, processed

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
MESSAGE = st.fixed_dictionaries(
    {},
    optional={
        "payload": st.fixed_dictionaries(
            {}, optional={"content": JSON | st.text(), "contentType": JSON}
        )
        | JSON,
        "from": st.fixed_dictionaries({}, optional={"name": JSON, "userId": JSON}) | JSON,
        "duration": st.fixed_dictionaries(
            {},
            optional={
                "startTime": JSON | st.sampled_from(["2024-02-30T00:00:00Z", "2024-01-01"]),
                "endTime": JSON,
            },
        )
        | JSON,
    },
)
BODY = (
    st.fixed_dictionaries(
        {},
        optional={
            "messages": st.lists(MESSAGE, max_size=3) | JSON,
            "metadata": st.dictionaries(
                st.text(max_size=4), JSON | st.text(max_size=200), max_size=4
            )
            | JSON,
            "trackers": st.lists(JSON, max_size=2) | JSON,
            "name": JSON,
            "detectPhrases": JSON,
            "enableAllTrackers": JSON,
            "confidenceThreshold": JSON | st.sampled_from(["0.7", "NaN", "1e999"]),
        },
    )
    | JSON
)
QUERY = st.dictionaries(
    st.sampled_from(
        [
            "limit",
            "offset",
            "order",
            "startTime",
            "endTime",
            "sort",
            "filter",
            "criteria",
            "q",
            "key",
        ]
    ),
    st.text(max_size=30)
    | st.sampled_from(["conversation.metadata.a=gt=1", "9" * 30, "-1", "2024-02-30"]),
    max_size=4,
)
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def conversation(embedded_api):
    return processed(embedded_api, metadata={"fuzz": "yes"})


@FUZZ
@given(data=BODY)
def test_process_text_never_answers_500(embedded_api, data):
    assert embedded_api.post("/v1/process/text", json=data).status_code in (201, 400)


@FUZZ
@given(data=BODY)
def test_append_and_metadata_never_answer_500(embedded_api, conversation, data):
    assert embedded_api.put(f"/v1/process/text/{conversation}", json=data).status_code in (200, 400)
    assert embedded_api.put(f"/v1/conversations/{conversation}", json=data).status_code in (
        200,
        400,
    )


@FUZZ
@given(query=QUERY)
def test_list_queries_never_answer_500(embedded_api, query):
    group = embedded_api.post(
        "/v1/manage/group",
        json={"name": "Fuzz group", "criteria": "conversation.metadata.fuzz==yes"},
    )
    group_id = (
        group.json()["group"]["id"]
        if group.status_code == 201
        else embedded_api.get("/v1/manage/groups").json()["groups"][0]["id"]
    )
    for path in (
        "/v1/conversations",
        f"/v1/groups/{group_id}/conversations",
        "/v1/x/conversations/count",
        "/v1/x/conversations/search",
        "/v1/x/conversations/ids",
    ):
        assert embedded_api.get(path, params=query).status_code in (200, 400), path


def test_a_valid_body_still_passes(embedded_api):
    assert embedded_api.post("/v1/process/text", json=body()).status_code == 201


@FUZZ
@given(
    tracker_id=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"),
        min_size=1,
        max_size=20,
    ),
    limit=st.lists(st.text(max_size=6), max_size=3),
)
def test_a_trackers_hits_and_rescores_never_answer_500(embedded_api, tracker_id, limit):
    for path in (f"/v1/x/trackers/{tracker_id}/hits", f"/v1/x/trackers/{tracker_id}/rescores"):
        response = embedded_api.get(path, params={"limit": limit})
        assert response.status_code in (200, 400, 404), (path, response.text)
