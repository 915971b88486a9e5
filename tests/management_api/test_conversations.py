"""client.conversations against the real standalone server over HTTP, and against the test
double for what the local server does not do on demand (no /v1/x; a lost POST answer)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from symbl_admin.management_api import ExtensionNotSupported, ManagementAPIClient, NotFound
from symbl_admin.management_api.conversation_types import text_message
from symbl_admin.management_api.errors import ValidationFailed
from symbl_admin.management_api.sessions import new_session
from tests.support.standalone import standalone_server

from .fake_server import Drop, Reply

ALL_TIME = {"start_time": "2000-01-01T00:00:00Z", "end_time": "2100-01-01T00:00:00Z"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET

    path = tmp_path_factory.mktemp("api") / "api.sqlite3"
    with standalone_server(path) as url:
        session = new_session()
        yield ManagementAPIClient(url, LOCAL_APP_ID, LOCAL_APP_SECRET, session=session)
        session.close()


def _processed(client, **metadata: str):
    start = datetime.now(UTC) - timedelta(hours=2)
    messages = [
        text_message(
            "Hello there. How can I help?",
            speaker="Ann",
            speaker_id="ann@example.com",
            start_time=start,
            end_time=start + timedelta(minutes=1),
        ),
        text_message(
            "My order is late.",
            speaker="Bob",
            start_time=start + timedelta(minutes=1),
            end_time=start + timedelta(minutes=2),
        ),
    ]
    submitted = client.conversations.process_text(messages, name="Support call", metadata=metadata)
    deadline = time.monotonic() + 20
    while not (job := client.conversations.job(submitted.job_id)).done:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job.status == "completed"
    return submitted.conversation_id


def test_process_get_and_messages(client):
    tag = uuid.uuid4().hex[:10]
    conversation = client.conversations.get(_processed(client, tag=tag))
    assert (conversation.name, dict(conversation.metadata)) == ("Support call", {"tag": tag})
    assert [m.name for m in conversation.members] == ["Ann", "Bob"]
    messages = client.conversations.messages(conversation.id)
    assert [(m.speaker, m.text) for m in messages] == [
        ("Ann", "Hello there."),
        ("Ann", "How can I help?"),
        ("Bob", "My order is late."),
    ]
    assert messages[0].start_time == conversation.start_time


def test_lists_group_conversations_and_metadata_update(client):
    tag = uuid.uuid4().hex[:10]
    conversation = _processed(client, tag=tag, agentId="mary")
    group = client.groups.create(
        name=f"John {tag}",
        criteria=f"conversation.metadata.agentId==johndoe;conversation.metadata.tag=={tag}",
    )
    assert client.conversations.of_group(group.id, **ALL_TIME) == []
    stored = client.conversations.update_metadata(conversation, {"tag": tag, "agentId": "johndoe"})
    assert stored == {"tag": tag, "agentId": "johndoe"}
    assert [c.id for c in client.conversations.of_group(group.id, **ALL_TIME)] == [conversation]
    listed = client.conversations.list(filter=f"conversation.metadata.tag=={tag}", **ALL_TIME)
    assert [c.id for c in listed] == [conversation]


def test_extensions_count_and_search(client):
    tag = uuid.uuid4().hex[:10]
    conversation = _processed(client, tag=tag)
    assert client.conversations.count_selected(f"conversation.metadata.tag=={tag}") == 1
    page = client.conversations.search(tag)
    assert ([c.id for c in page.conversations], page.total) == ([conversation], 1)


def test_errors_are_typed(client):
    with pytest.raises(NotFound):
        client.conversations.get("404404")
    with pytest.raises(ValidationFailed, match="metadata"):
        client.conversations.process_text([text_message("Hi.")], metadata={"a": "x" * 129})
    with pytest.raises(ValidationFailed, match="limit"):
        client.conversations.list(limit=70000)


def test_delete(client):
    conversation = _processed(client, tag=uuid.uuid4().hex[:10])
    client.conversations.delete(conversation)
    with pytest.raises(NotFound):
        client.conversations.get(conversation)


def test_a_server_without_the_extensions_says_not_supported(make_client, fake_api):
    fake_api.on("GET", "/v1/x/conversations/count", Reply(404, {"message": "There is no endpoint"}))
    with pytest.raises(ExtensionNotSupported):
        make_client().conversations.count_selected("conversation.metadata.a==1")


def test_a_lost_process_answer_is_resent_with_the_same_idempotency_key(make_client, fake_api):
    answer = {"conversationId": "1234", "jobId": "j-1"}
    fake_api.on("POST", "/v1/process/text", Drop(), Reply(201, answer))
    submitted = make_client().conversations.process_text([text_message("Hi.")])
    assert (submitted.conversation_id, submitted.job_id) == ("1234", "j-1")
    keys = [
        s.headers.get("idempotency-key") for s in fake_api.requests_to("POST", "/v1/process/text")
    ]
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0]
