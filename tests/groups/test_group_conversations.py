"""A group's conversations on its detail page: the count and the latest ten, as a fragment
loaded apart from the (kept) page, over the embedded server's conversation API."""

from __future__ import annotations

import pytest

from .conversation_support import processed

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(api):
    return api.groups.create(name="Johns calls", criteria="conversation.metadata.agentId==john")


def test_the_detail_page_loads_the_conversations_apart(role_client, group):
    body = role_client("auditor").get(f"/groups/{group.id}/").content.decode()
    url = f"/groups/{group.id}/conversations/"
    assert f'hx-get="{url}"' in body and f'href="{url}"' in body


def test_the_fragment_counts_and_lists_the_first_page(role_client, api, group):
    for i in range(12):
        processed(api, f"John call {i:02}", days_ago=30 + i, agentId="john", callType="sales")
    processed(api, "Mary call", agentId="mary")
    response = role_client("auditor").get(
        f"/groups/{group.id}/conversations/", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'id="group-conversations"' in body and "<html" not in body
    assert "<strong>12</strong> conversations selected" in body
    assert body.count("<tr>") == 1 + 10  # the header and ten rows
    assert "John call 00" in body and "John call 11" not in body  # the latest first
    assert "Mary call" not in body
    assert "callType: sales" in body
    assert f'href="/conversations/?group={group.id}"' in body and "See all 12 conversations" in body


def test_the_fragment_follows_a_conversation_change(role_client, api, group):
    analyst = role_client("analyst")
    url = f"/groups/{group.id}/conversations/"
    assert analyst.get(f"/groups/{group.id}/").status_code == 200  # the page is kept now
    assert "<strong>0</strong> conversations" in analyst.get(url).content.decode()
    processed(api, "John call", agentId="john")
    assert "<strong>1</strong> conversation selected" in analyst.get(url).content.decode()


def test_without_javascript_the_fragment_is_a_page(role_client, group):
    body = role_client("analyst").get(f"/groups/{group.id}/conversations/").content.decode()
    assert "<html" in body and "Conversations of John" in body


def test_an_unknown_group_is_404(role_client, api):
    assert role_client("analyst").get("/groups/999999/conversations/").status_code == 404


def test_hidden_with_a_note_against_a_server_without_the_extension(role_client, no_extension):
    response = role_client("analyst").get("/groups/7001/conversations/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Conversation counts are not shown" in body
    assert "<table" not in body
