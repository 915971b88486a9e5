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
    assert 'badge-success">Completed' in html


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
    assert "Unknown job" in html and "This conversation has no such job." in html


def test_another_conversations_job_is_not_shown(role_client, api, calls):
    """?job= names a job of this conversation or nothing: never another conversation's
    status and reason."""
    other = api.conversations.jobs_of(calls["renewal"])[0]
    path = f"/conversations/{calls['mary']}/?job={other.id}"
    html = role_client("analyst").get(path).content.decode()
    assert "This conversation has no such job." in html


def test_an_unknown_conversation_is_404(role_client, api):
    assert role_client("analyst").get("/conversations/123456/").status_code == 404


def test_who_sees_which_buttons(role_client, calls):
    path = f"/conversations/{calls['renewal']}/"
    analyst = role_client("analyst").get(path).content.decode()
    lead = role_client("lead").get(path).content.decode()
    assert "Edit metadata" in analyst and f'href="{path}delete/"' not in analyst
    assert "Edit metadata" in lead and f'href="{path}delete/"' in lead


@pytest.fixture
def failed_call(settings, tmp_path):
    """A conversation whose only job failed three times, in a store the embedded server then
    opens (its worker never sees the job run: it was failed before the server started)."""
    from local_api.conversation_rules import text_job
    from local_api.conversation_store import ConversationStore
    from local_api.embedded import forget
    from local_api.jobs import JobQueue, run_one
    from local_api.store import open_store
    from tests.local_api.conversation_support import body

    path = tmp_path / "seeded.sqlite3"
    queue = JobQueue(ConversationStore.of(open_store(path)))
    answer, _ = queue.conversations.create(text_job(body({"agentId": "x"}, name="Broken call")))

    def broken(job):
        raise RuntimeError("the splitter fell over")

    for _ in range(3):
        run_one(queue, broken)
    settings.SYMBL_API_BASE_URL = ""
    settings.SYMBL_LOCAL_API_DATA = str(path)
    yield answer["conversationId"]
    forget(str(path))


def test_a_failed_job_says_why(role_client, failed_call):
    html = role_client("auditor").get(f"/conversations/{failed_call}/").content.decode()
    status = html[html.index('id="processing-status"') :]
    assert "Failed" in status[:400]
    assert "Processing failed (RuntimeError)" in status and "Gave up after 3 attempts." in status


def test_a_processed_conversations_latest_job(role_client, calls):
    html = role_client("analyst").get(f"/conversations/{calls['mary']}/").content.decode()
    assert 'badge-success">Completed' in html


def test_an_auditors_page_does_not_even_fetch_the_messages(role_client, calls, caplog):
    caplog.set_level("INFO", logger="symbl_admin.management_api")
    role_client("auditor").get(f"/conversations/{calls['renewal']}/")
    asked = [r.getMessage() for r in caplog.records if r.name == "symbl_admin.management_api"]
    assert any("/groups" in line for line in asked)
    assert not any("/messages" in line for line in asked)
