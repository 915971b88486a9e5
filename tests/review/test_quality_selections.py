"""The quality report's findings about what groups select, over conversations made through
client.conversations.process_text on the embedded server: none selected, the same selected,
the bound, and the note against a server without the extension."""

from __future__ import annotations

import pytest

from review import selections
from tests.groups.conversation_support import processed

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(api):
    processed(api, "John sales", agentId="john", callType="sales")
    processed(api, "John support", agentId="john", callType="support")
    processed(api, "Mary sales", agentId="mary", callType="sales")
    api.groups.create(name="Johns calls", criteria="conversation.metadata.agentId==john")
    api.groups.create(
        name="John or support",
        criteria="conversation.metadata.agentId==john or conversation.metadata.callType==support",
    )
    api.groups.create(name="Bobs calls", criteria="conversation.metadata.agentId==bob")
    api.groups.create(name="Sales", criteria="conversation.metadata.callType==sales")
    return api


def _report(client, kind: str) -> str:
    """The findings of one kind in the section loaded apart (htmx)."""
    body = client.get("/review/quality/selections/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and 'id="quality-selections"' in body
    rows = body.split("<tbody>")[-1].split("<tr>")[1:]
    label = {"selects_none": "no conversation", "same_selection": "exactly the same"}[kind]
    return "".join(row for row in rows if label in row.split('data-label="Kind"')[-1])


def test_a_group_that_selects_no_conversation_is_named(role_client, account):
    table = _report(role_client("analyst"), "selects_none")
    assert "Bobs calls" in table and "Selects no conversation" in table
    assert "Sales" not in table and "Johns calls" not in table


def test_groups_that_select_the_same_conversations_are_named(role_client, account):
    table = _report(role_client("analyst"), "same_selection")
    assert "Selects exactly the same 2 conversations as “John or support”" in table
    assert "Selects exactly the same 2 conversations as “Johns calls”" in table
    assert "Sales" not in table and "Bobs calls" not in table


def test_the_findings_follow_a_conversation_change(role_client, account):
    analyst = role_client("analyst")
    assert "Bobs calls" in _report(analyst, "selects_none")
    processed(account, "Bob call", agentId="bob")
    assert "Bobs calls" not in _report(analyst, "selects_none")


def test_the_check_is_skipped_above_the_bound(role_client, account, monkeypatch):
    monkeypatch.setattr(selections, "MAX_CONVERSATIONS", 2)
    page = role_client("analyst").get("/review/quality/selections/").content.decode()
    assert "the account has 3 conversations, more than the 2 this report compares" in page
    assert "Selects no conversation" not in page


def test_the_report_loads_the_section_apart(role_client, account):
    page = role_client("analyst").get("/review/quality/").content.decode()
    url = "/review/quality/selections/"
    assert f'hx-get="{url}"' in page and f'href="{url}"' in page
    assert "Selects no conversation" not in page  # not computed with the (kept) report


def test_without_javascript_the_section_is_a_page(role_client, account):
    page = role_client("analyst").get("/review/quality/selections/").content.decode()
    assert "<html" in page and "Bobs calls" in page


def test_hidden_with_a_note_against_a_server_without_the_extension(role_client, no_extension):
    page = role_client("analyst").get("/review/quality/selections/").content.decode()
    assert "What groups select is not checked" in page
    assert "Selects no conversation" not in page
