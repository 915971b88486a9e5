"""The group editor refuses criteria over the contract's limit with a message, the form back
with everything typed (issue 22, "Group criteria have no length limit")."""

from __future__ import annotations

import pytest

from symbl_admin.contract import MAX_CRITERIA

pytestmark = pytest.mark.django_db

SELECTOR = "conversation.metadata.agentId=="


def _criteria(length: int) -> str:
    return SELECTOR + "a" * (length - len(SELECTOR))


def _text(criteria: str) -> dict:
    return {
        "name": "Long calls",
        "description": "typed by hand",
        "mode": "text",
        "criteria_text": criteria,
        "reason": "keep me",
    }


@pytest.mark.parametrize("htmx", [False, True])
def test_criteria_over_the_limit_are_refused_with_everything_typed_kept(role_client, api, htmx):
    criteria = _criteria(MAX_CRITERIA + 1)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = role_client("analyst").post("/groups/new/", _text(criteria), **headers)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Criteria can be at most {MAX_CRITERIA} characters ({MAX_CRITERIA + 1} now)." in body
    assert 'value="Long calls"' in body and "typed by hand" in body and 'value="keep me"' in body
    assert criteria in body
    assert api.groups.find_by_name("Long calls") is None


def test_criteria_at_the_limit_are_saved(role_client, api):
    response = role_client("analyst").post("/groups/new/", _text(_criteria(MAX_CRITERIA)))
    assert response.status_code == 302
    assert len(api.groups.find_by_name("Long calls").criteria) == MAX_CRITERIA


def test_builder_values_adding_up_over_the_limit_are_refused_with_the_rows_kept(role_client, api):
    value = "b" * MAX_CRITERIA
    data = {
        "name": "Long calls",
        "description": "",
        "mode": "builder",
        "join": "and",
        "cond-count": "1",
        "cond-0-kind": "metadata",
        "cond-0-key": "agentId",
        "cond-0-op": "==",
        "cond-0-value": value,
    }
    response = role_client("analyst").post("/groups/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"criteria can be at most {MAX_CRITERIA}" in body
    assert f'value="{value}"' in body
    assert api.groups.find_by_name("Long calls") is None


def test_the_live_check_answers_a_megabyte_of_criteria_with_the_limit(role_client, api):
    response = role_client("analyst").post("/groups/check/", _text(_criteria(900_000)))
    assert response.status_code == 200
    assert f"Criteria can be at most {MAX_CRITERIA} characters" in response.content.decode()
