"""The conversations list against the embedded local Management API (the real client path):
all time by default, search, key, group, range, order, paging, partial, empty states."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.conversations import processed

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    html = re.sub(r"<[^>]+>", "", response.content.decode())  # a search marks its hits
    return [n for n in ("Renewal call", "Old support call", "Billing question") if n in html]


def test_the_list_shows_all_time_by_default_newest_first(role_client, calls):
    response = role_client("analyst").get("/conversations/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>3</strong> conversations" in html  # the 30-day-old one too (not 7 days)
    assert html.index("Renewal call") < html.index("Old support call")
    assert '<span class="chip-key">agentId</span> johndoe' in html
    assert "<time datetime=" in html  # the start time through local_time
    assert 'aria-current="page">Conversations' in html  # the navigation entry


def test_the_table_alone_for_htmx(role_client, calls):
    response = role_client("analyst").get("/conversations/?q=mary", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="conversation-table">')
    assert "<html" not in html
    assert _names(response) == ["Billing question"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=johndoe", ["Renewal call", "Old support call"]),
        ("q=RENEWAL", ["Renewal call"]),
        ("key=callType", ["Renewal call", "Billing question"]),
        ("q=johndoe&key=callType", ["Renewal call"]),
    ],
)
def test_search_by_name_or_metadata_value_and_key(role_client, calls, query, expected):
    response = role_client("auditor").get(f"/conversations/?{query}")
    assert _names(response) == expected


def test_a_search_that_finds_nothing_says_so(role_client, calls):
    html = role_client("analyst").get("/conversations/?q=nobody-at-all").content.decode()
    assert "No conversation matches" in html
    assert "Clear the search" in html


def test_no_conversations_yet(role_client, api):
    html = role_client("analyst").get("/conversations/").content.decode()
    assert "No conversations yet" in html


def test_a_time_range_narrows_the_list(role_client, calls):
    today = datetime.now(UTC).date()
    since = (today - timedelta(days=7)).isoformat()
    response = role_client("analyst").get(f"/conversations/?from={since}")
    assert _names(response) == ["Renewal call", "Billing question"]
    old = (today - timedelta(days=30)).isoformat()
    response = role_client("analyst").get(f"/conversations/?from={old}&to={old}")
    assert _names(response) == ["Old support call"]


def test_a_bad_date_is_named_not_a_500(role_client, calls):
    response = role_client("analyst").get("/conversations/?from=yesterday&page=x")
    assert response.status_code == 200
    assert "is not a date (YYYY-MM-DD)" in response.content.decode()
    assert len(_names(response)) == 3


def test_oldest_first(role_client, calls):
    html = role_client("analyst").get("/conversations/?order=asc").content.decode()
    assert html.index("Old support call") < html.index("Renewal call")
    assert 'aria-sort="ascending"' in html


def test_a_groups_conversations(role_client, api, calls):
    group = api.groups.create(
        name="Johns calls", description="", criteria="conversation.metadata.agentId==johndoe"
    )
    response = role_client("analyst").get(f"/conversations/?group={group.id}")
    html = response.content.decode()
    assert _names(response) == ["Renewal call", "Old support call"]  # over all time
    assert "Johns calls" in html and f'href="/groups/{group.id}/"' in html


def test_an_unknown_group_is_named(role_client, calls):
    html = role_client("analyst").get("/conversations/?group=404404").content.decode()
    assert "No such group" in html


def test_pages_of_the_list_with_the_total(role_client, api):
    start = 2
    for n in range(27):
        processed(api, f"Call {n:02d}", {"n": str(n)}, days_ago=start + n)
    first = role_client("analyst").get("/conversations/").content.decode()
    assert "<strong>27</strong> conversations" in first
    assert "showing 1–25" in first and "Page 1 of 2" in first
    assert "Call 00" in first and "Call 25" not in first
    second = role_client("analyst").get("/conversations/?page=2").content.decode()
    assert "Call 25" in second and "Call 26" in second and "Call 00" not in second
    assert 'rel="prev"' in second


def test_a_groups_list_pages_by_previous_and_next_without_a_total(role_client, api):
    for n in range(26):
        processed(api, f"Call {n:02d}", {"agentId": "johndoe"}, days_ago=2 + n)
    group = api.groups.create(
        name="Johns calls", description="", criteria="conversation.metadata.agentId==johndoe"
    )
    first = role_client("analyst").get(f"/conversations/?group={group.id}").content.decode()
    assert (
        "Showing 1–25" in first
        and "Page 1<" in first
        and " of " not in first.split("Page 1")[1][:5]
    )
    assert f'href="/conversations/?group={group.id}&amp;page=2"' in first
    second = role_client("analyst").get(f"/conversations/?group={group.id}&page=2").content.decode()
    assert "Call 25" in second and 'rel="prev"' in second and 'rel="next"' not in second


def test_rows_built_in_python_escape_every_value_and_mark_hits(role_client, api):
    """The rows come from conversations/columns.py (format_html): a name, a member and a
    metadata value carrying markup are shown as text, and a search hit inside a value is
    marked; the header's sort link comes from the same declaration."""
    processed(api, "<b>Bold</b> call", {"note": '<img src=x onerror="alert(1)"> plan'})
    html = role_client("analyst").get("/conversations/?q=plan").content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; call" in html and "<b>Bold</b>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>plan</mark>" in html
    assert "<img src=x" not in html
    assert 'id="conversation-row-' in html
    assert '<td data-label="Members">Ann, Bob</td>' in html
    assert re.search(r'aria-sort="descending"><a href="/conversations/\?[^"]*order=asc', html)
