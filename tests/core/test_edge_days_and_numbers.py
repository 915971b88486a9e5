"""Inputs at the edges of what Python can hold answer a clear message, never a 500: days at
the ends of the calendar (moved to UTC or given a day more, they overflow datetime), digits
that are not ASCII ("²".isdigit() is true, int("²") fails), ids past the database's integers.
Found by reading the merged screens; each failed with a 500 before."""

from __future__ import annotations

import pytest

from tests.support.conversations import processed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "date_to=9999-12-31&tz=America/New_York",
        "date_from=0001-01-01&tz=Asia/Tokyo",
    ],
)
def test_audit_days_at_the_ends_of_the_calendar_are_refused_clearly(role_client, query):
    response = role_client("auditor").get(f"/audit/?{query}")
    assert response.status_code == 200
    assert "Pick a day between 1900-01-01 and 9000-12-31." in response.content.decode()


@pytest.mark.parametrize(
    "query", ["page=²", "page=" + "9" * 5000, "to=9999-12-31", "from=0001-01-01"]
)
def test_the_conversation_list_reads_what_it_can(role_client, api, query):
    processed(api, "Edge call", {"agentId": "johndoe"})
    response = role_client("analyst").get(f"/conversations/?{query}")
    assert response.status_code == 200
    assert "Edge call" in response.content.decode() or "left out" in response.content.decode()


def test_removing_a_row_named_by_a_digit_that_is_not_ascii_is_ignored(role_client, api):
    cid = processed(api, "Edge call", {"agentId": "johndoe"})
    response = role_client("analyst").post(
        f"/conversations/{cid}/metadata/",
        {"key": ["agentId"], "value": ["johndoe"], "action": "remove-²"},
    )
    # Not a row, and no version of the metadata named: shown again, nothing saved.
    assert response.status_code == 200


def test_the_live_count_refuses_a_day_at_the_end_of_the_calendar(role_client, api):
    processed(api, "Edge call", {"agentId": "johndoe"})
    data = {
        "name": "Edge",
        "description": "",
        "mode": "text",
        "criteria_text": "conversation.metadata.agentId==johndoe",
        "count_to": "9999-12-31",
    }
    body = role_client("analyst").post("/groups/check/", data, HTTP_HX_REQUEST="true")
    assert body.status_code == 200
    assert "Pick a day between" in body.content.decode()


def test_a_review_impact_past_the_databases_integers_is_not_found(role_client):
    response = role_client("lead").get(f"/review/impact/1/{2**63}/")
    assert response.status_code == 404
