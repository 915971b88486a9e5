"""Conversation lists, a group's conversations and the /v1/x extensions, over HTTP and
embedded: every query parameter, its limits, and the contract's typed comparisons."""

from __future__ import annotations

import uuid

import pytest

from tests.local_api.conversation_support import body, ids, iso_ago, message, processed

WIDE = {"startTime": "2000-01-01T00:00:00Z", "endTime": "2100-01-01T00:00:00Z"}


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex[:12]


def at(api, tag: str, days: float, name: str = "", **metadata: str) -> str:
    """A processed conversation `days` ago, tagged."""
    msg = message("Hello there.", start=iso_ago(days=days), end=iso_ago(days=days, minutes=-5))
    extra = {"name": name} if name else {}
    return processed(api, metadata={"tag": tag, **metadata}, messages=[msg], **extra)


def listed(api, tag: str, path: str = "/v1/conversations", **params: str) -> list[str]:
    params = {**WIDE, **params}
    own = f"conversation.metadata.tag=={tag}"
    params["filter"] = f"{own};{params['filter']}" if "filter" in params else own
    return ids(api.get(path, params=params))


def test_lists_order_by_start_time_ascending_by_default_and_desc_on_request(api, tag):
    old, new = at(api, tag, 3), at(api, tag, 1)
    assert listed(api, tag) == [old, new]
    assert listed(api, tag, order="desc") == [new, old]


def test_limit_and_offset_page_the_list(api, tag):
    made = [at(api, tag, days) for days in (4, 3, 2, 1)]
    assert listed(api, tag, limit="2", offset="1") == made[1:3]
    assert listed(api, tag, limit="0") == []


def test_the_default_window_is_the_seven_days_ending_now(api, tag):
    recent, old = at(api, tag, 2), at(api, tag, 10)
    found = ids(
        api.get(
            "/v1/conversations",
            params={"filter": f"conversation.metadata.tag=={tag}", "limit": "100"},
        )
    )
    assert recent in found and old not in found


def test_start_and_end_time_bound_the_list(api, tag):
    at(api, tag, 5)
    middle = at(api, tag, 3)
    at(api, tag, 1)
    window = {"startTime": iso_ago(days=4), "endTime": iso_ago(days=2)}
    assert ids(
        api.get(
            "/v1/conversations", params={**window, "filter": f"conversation.metadata.tag=={tag}"}
        )
    ) == [middle]


def test_sort_by_name(api, tag):
    b, a = at(api, tag, 2, name="B call"), at(api, tag, 1, name="A call")
    assert listed(api, tag, sort="conversation.name") == [a, b]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"limit": "65537"}, '"limit"'),
        ({"limit": "-1"}, '"limit"'),
        ({"limit": "ten"}, '"limit"'),
        ({"offset": "-3"}, '"offset"'),
        ({"order": "sideways"}, '"order"'),
        ({"startTime": "last week"}, '"startTime"'),
        ({"endTime": "2020-13-45"}, '"endTime"'),
        (
            {"startTime": "2021-01-02T00:00:00Z", "endTime": "2021-01-01T00:00:00Z"},
            '"startTime" must be before',
        ),
        ({"sort": "conversation.colour"}, '"sort"'),
        ({"filter": "conversation.metadata.a==1,conversation.metadata.b==2"}, "OR"),
        ({"filter": "conversation.metadata.a==1 or conversation.metadata.b==2"}, "OR"),
        (
            {
                "filter": "conversation.metadata.a==1;conversation.metadata.b==2;conversation.metadata.c==3"
            },
            "third",
        ),
        ({"filter": "conversation.metadata.a=="}, '"filter"'),
    ],
)
@pytest.mark.parametrize("path", ["/v1/conversations", "group"])
def test_a_bad_query_parameter_is_a_400_naming_it(api, params, named, path):
    if path == "group":
        group = api.create_group(f"Q {uuid.uuid4().hex[:8]}")
        path = f"/v1/groups/{group['id']}/conversations"
    response = api.get(path, params=params)
    assert response.status_code == 400
    assert named in response.json()["message"]


def test_the_largest_limit_is_accepted(api):
    assert api.get("/v1/conversations", params={"limit": "65536"}).status_code == 200


def test_a_group_selects_by_its_criteria(api, tag):
    john = at(api, tag, 2, agentId="johndoe")
    at(api, tag, 1, agentId="mary")
    group = api.create_group(
        f"John {tag}", f"conversation.metadata.agentId==johndoe;conversation.metadata.tag=={tag}"
    )
    assert ids(api.get(f"/v1/groups/{group['id']}/conversations", params=WIDE)) == [john]


def test_numbers_compare_as_numbers(api, tag):
    nine, twelve = at(api, tag, 2, score="9"), at(api, tag, 1, score="12")
    group = api.create_group(
        f"Score {tag}", f"conversation.metadata.score=gt=10;conversation.metadata.tag=={tag}"
    )
    assert ids(api.get(f"/v1/groups/{group['id']}/conversations", params=WIDE)) == [twelve]
    assert nine not in listed(api, tag, filter="conversation.metadata.score>=10.0")


def test_iso_dates_compare_as_instants(api, tag):
    # As strings "2024-03-01T10:00:00+02:00" > "2024-03-01T09:00:00Z"; as instants it is earlier.
    early = at(api, tag, 2, due="2024-03-01T10:00:00+02:00")
    late = at(api, tag, 1, due="2024-03-01T09:30:00Z")
    assert listed(api, tag, filter="conversation.metadata.due=lt=2024-03-01T09:00:00Z") == [early]
    assert listed(api, tag, filter="conversation.metadata.due=ge=2024-03-01T09:00:00Z") == [late]


def test_other_values_compare_as_strings(api, tag):
    apple, pear = at(api, tag, 2, fruit="apple"), at(api, tag, 1, fruit="pear")
    assert listed(api, tag, filter="conversation.metadata.fruit=lt=banana") == [apple]
    assert listed(api, tag, filter="conversation.metadata.fruit=out=(apple,plum)") == [pear]


def test_a_missing_key_is_selected_by_no_comparison(api, tag):
    at(api, tag, 1)
    assert listed(api, tag, filter="conversation.metadata.agentId!=johndoe") == []


def test_the_filter_applies_after_the_groups_criteria(api, tag):
    at(api, tag, 2, agentId="johndoe", callType="sales")
    support = at(api, tag, 1, agentId="johndoe", callType="support")
    group = api.create_group(
        f"Both {tag}", f"conversation.metadata.agentId==johndoe;conversation.metadata.tag=={tag}"
    )
    params = {**WIDE, "filter": "conversation.metadata.callType==support"}
    assert ids(api.get(f"/v1/groups/{group['id']}/conversations", params=params)) == [support]


def test_metadata_update_moves_a_conversation_into_a_group(api, tag):
    conversation = at(api, tag, 1, agentId="mary")
    group = api.create_group(
        f"Move {tag}", f"conversation.metadata.agentId==johndoe;conversation.metadata.tag=={tag}"
    )
    path = f"/v1/groups/{group['id']}/conversations"
    assert ids(api.get(path, params=WIDE)) == []
    api.put(
        f"/v1/conversations/{conversation}", json={"metadata": {"tag": tag, "agentId": "johndoe"}}
    )
    assert ids(api.get(path, params=WIDE)) == [conversation]


def test_an_unknown_group_is_a_404(api):
    response = api.get("/v1/groups/404404/conversations")
    assert (response.status_code, response.json()) == (
        404,
        {"message": 'No group with id "404404".'},
    )


def test_x_count_totals_what_draft_criteria_select_over_all_time(api, tag):
    at(api, tag, 30, agentId="johndoe")
    at(api, tag, 1, agentId="johndoe")
    at(api, tag, 1, agentId="mary")
    criteria = f"conversation.metadata.tag=={tag};conversation.metadata.agentId==johndoe"
    response = api.get("/v1/x/conversations/count", params={"criteria": criteria})
    assert response.json() == {"total": 2}
    ranged = api.get(
        "/v1/x/conversations/count", params={"criteria": criteria, "startTime": iso_ago(days=7)}
    )
    assert ranged.json() == {"total": 1}


def test_x_count_refuses_bad_criteria_naming_them(api):
    response = api.get(
        "/v1/x/conversations/count", params={"criteria": "conversation.metadata.a=="}
    )
    assert response.status_code == 400 and '"criteria"' in response.json()["message"]


def test_x_search_finds_names_and_metadata_values(api, tag):
    named = at(api, tag, 2, name=f"Renewal {tag} call")
    valued = at(api, tag, 1, customer=f"ACME-{tag}")
    found = api.get("/v1/x/conversations/search", params={"q": tag.upper()}).json()
    assert {c["id"] for c in found["conversations"]} >= {named, valued}
    by_value = api.get("/v1/x/conversations/search", params={"q": f"acme-{tag}"}).json()
    assert ([c["id"] for c in by_value["conversations"]], by_value["total"]) == ([valued], 1)


def test_x_search_by_key_and_a_literal_percent(api, tag):
    keyed = at(api, tag, 1, **{f"k{tag}": "1"})
    found = api.get("/v1/x/conversations/search", params={"key": f"k{tag}"}).json()
    assert [c["id"] for c in found["conversations"]] == [keyed]
    assert api.get("/v1/x/conversations/search", params={"q": f"%{tag}"}).json()["total"] == 0


def test_lists_without_a_token_are_a_401(api):
    for path in ("/v1/conversations", "/v1/x/conversations/count", "/v1/job/x"):
        assert api.get(path, auth=False).status_code == 401


def test_conversations_of_a_body_are_listed_before_processing_completes(api, tag):
    # A conversation exists from its POST; only its messages wait for the job.
    answer = api.post("/v1/process/text", json=body({"tag": tag})).json()
    assert api.get(f"/v1/conversations/{answer['conversationId']}").status_code == 200
