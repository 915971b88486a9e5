"""One conversation's page against the embedded local Management API: messages in order for
those who may read transcripts, hidden (and why) for auditors; metadata, groups, status."""

from __future__ import annotations

import pytest

from tests.support.conversations import SECRET_SENTENCE

pytestmark = pytest.mark.django_db


def test_messages_in_order_with_speakers_and_times(role_client, calls):
    html = role_client("analyst").get(f"/conversations/{calls['renewal']}/").content.decode()
    first = html.index("Hello, this is Ann from support.")
    assert first < html.index("How can I help?") < html.index(SECRET_SENTENCE)
    assert '<span class="speaker">Ann</span>' in html and '<span class="speaker">Bob</span>' in html
    assert '<span class="when"><time datetime=' in html
    assert "<dt>agentId</dt><dd>johndoe</dd>" in html
    assert 'badge-success">Processed' in html


def test_an_auditor_sees_metadata_but_no_message(role_client, calls):
    html = role_client("auditor").get(f"/conversations/{calls['renewal']}/").content.decode()
    assert "Messages are hidden" in html and "personal data" in html
    assert SECRET_SENTENCE not in html and "Hello, this is Ann" not in html
    assert "<dt>agentId</dt><dd>johndoe</dd>" in html
    assert "Edit metadata" not in html and ">Delete<" not in html


def test_the_groups_that_contain_it(role_client, api, calls):
    john = api.groups.create(
        name="Johns calls", description="", criteria="conversation.metadata.agentId==johndoe"
    )
    api.groups.create(
        name="Marys calls", description="", criteria="conversation.metadata.agentId==mary"
    )
    html = role_client("analyst").get(f"/conversations/{calls['renewal']}/").content.decode()
    assert f'<a class="chip" href="/groups/{john.id}/">Johns calls</a>' in html
    assert "Marys calls" not in html


def test_no_group_contains_it(role_client, calls):
    html = role_client("analyst").get(f"/conversations/{calls['mary']}/").content.decode()
    assert "No group selects this conversation." in html


def test_a_job_named_in_the_address_shows_its_state(role_client, api, calls):
    html = role_client("analyst").get(f"/conversations/{calls['mary']}/?job=nope").content.decode()
    assert "Unknown job" in html and "The server knows no job with this id." in html


def test_an_unknown_conversation_is_404(role_client, api):
    assert role_client("analyst").get("/conversations/123456/").status_code == 404


def test_who_sees_which_buttons(role_client, calls):
    path = f"/conversations/{calls['renewal']}/"
    analyst = role_client("analyst").get(path).content.decode()
    lead = role_client("lead").get(path).content.decode()
    assert "Edit metadata" in analyst and f'href="{path}delete/"' not in analyst
    assert "Edit metadata" in lead and f'href="{path}delete/"' in lead
