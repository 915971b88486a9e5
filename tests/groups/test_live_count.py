"""The criteria editor's live count ("selects 2 of 3 conversations"), over the embedded
server's count extension: all time, in a range of days, and none for invalid criteria."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from .conversation_support import processed

pytestmark = pytest.mark.django_db

JOHN = "conversation.metadata.agentId==john"


@pytest.fixture
def calls(api):
    processed(api, "John today", days_ago=1, agentId="john")
    processed(api, "John last year", days_ago=400, agentId="john")
    processed(api, "Mary", days_ago=1, agentId="mary")


def _check(client, criteria=JOHN, **extra):
    data = {"name": "x", "description": "", "mode": "text", "criteria_text": criteria, **extra}
    return client.post("/groups/check/", data, HTTP_HX_REQUEST="true").content.decode()


def _day(days_ago: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days_ago)).date().isoformat()


def test_the_live_check_counts_over_all_time(role_client, calls):
    body = _check(role_client("analyst"))
    assert 'id="live-count" hx-swap-oob="innerHTML"' in body
    assert "Selects 2 of 3 conversations over all time." in body


def test_the_count_follows_the_criteria(role_client, calls):
    body = _check(role_client("analyst"), "conversation.metadata.agentId=in=(john,mary)")
    assert "Selects 3 of 3 conversations" in body


def test_a_range_of_days_counts_only_those(role_client, calls):
    body = _check(role_client("analyst"), count_from=_day(30), count_to=_day(0))
    assert f"Selects 1 of 2 conversations from {_day(30)} to {_day(0)}." in body


def test_an_open_ended_range(role_client, calls):
    assert f"Selects 1 of 1 conversation until {_day(200)}." in _check(
        role_client("analyst"), count_to=_day(200)
    )


def test_a_range_that_does_not_read_says_so_and_counts_nothing(role_client, calls):
    body = _check(role_client("analyst"), count_from="31/12/2026")
    assert "“From” is not a date" in body and "Selects" not in body
    body = _check(role_client("analyst"), count_from=_day(1), count_to=_day(5))
    assert "“From” is after “To”" in body and "Selects" not in body


def test_invalid_criteria_show_the_error_and_no_count(role_client, calls):
    body = _check(role_client("analyst"), "conversation.metadata.agentId===john")
    assert "Not valid yet" in body
    assert "Selects" not in body


def test_the_edit_page_opens_with_the_count(role_client, api, calls):
    group = api.groups.create(name="John", criteria=JOHN)
    body = role_client("analyst").get(f"/groups/{group.id}/edit/").content.decode()
    assert 'id="live-count"' in body and "Selects 2 of 3 conversations over all time." in body
    assert 'name="count_from"' in body and 'type="date"' in body


def test_a_builder_button_keeps_the_range(role_client, calls):
    data = {
        "name": "x",
        "mode": "builder",
        "join": "and",
        "cond-count": "1",
        "cond-0-kind": "metadata",
        "cond-0-key": "agentId",
        "cond-0-op": "==",
        "cond-0-value": "john",
        "count_from": _day(30),
        "action": "add",
    }
    body = role_client("analyst").post("/groups/new/", data).content.decode()
    assert f'value="{_day(30)}"' in body


def test_hidden_with_a_note_against_a_server_without_the_extension(role_client, no_extension):
    body = _check(role_client("analyst"))
    assert "Conversation counts are not shown" in body and "Selects" not in body


def test_the_range_is_whole_days_in_the_dashboards_zone():
    from datetime import date

    from django.utils import timezone

    from symbl_admin.days import day_bounds

    with timezone.override("Europe/Paris"):
        found = day_bounds(date(2026, 1, 1), date(2026, 1, 2))
    assert found == ("2025-12-31T23:00:00+00:00", "2026-01-02T23:00:00+00:00")
    assert day_bounds(None, None) == (None, None)
