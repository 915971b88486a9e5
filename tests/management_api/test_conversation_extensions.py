"""client.conversations.groups_of and jobs_of: over real HTTP against the standalone server,
and against a server without /v1/x (ExtensionNotSupported, so the page can hide them)."""

from __future__ import annotations

import uuid

import pytest

from symbl_admin.management_api import ExtensionNotSupported, ManagementAPIClient, NotFound
from symbl_admin.management_api.sessions import new_session
from tests.support.conversations import processed
from tests.support.standalone import standalone_server

from .fake_server import Reply


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET

    path = tmp_path_factory.mktemp("api") / "api.sqlite3"
    with standalone_server(path) as url:
        session = new_session()
        yield ManagementAPIClient(url, LOCAL_APP_ID, LOCAL_APP_SECRET, session=session)
        session.close()


def test_groups_and_jobs_of_a_conversation(client):
    tag = uuid.uuid4().hex[:10]
    cid = processed(client, "Ext call", {"tag": tag})
    group = client.groups.create(name=f"Tagged {tag}", criteria=f"conversation.metadata.tag=={tag}")
    assert [(g.id, g.name) for g in client.conversations.groups_of(cid)] == [(group.id, group.name)]
    jobs = client.conversations.jobs_of(cid)
    assert [j.status for j in jobs] == ["completed"]


def test_an_unknown_conversation_is_not_found_not_unsupported(client):
    with pytest.raises(NotFound):
        client.conversations.groups_of("999999999")
    with pytest.raises(NotFound):
        client.conversations.jobs_of("999999999")


def test_a_server_without_them_says_not_supported(make_client, fake_api):
    fake_api.on("GET", "/v1/x/conversations/5/groups", Reply(404, {"message": "No such path"}))
    client = make_client()
    with pytest.raises(ExtensionNotSupported):
        client.conversations.groups_of("5")
    with pytest.raises(ExtensionNotSupported):
        client.conversations.jobs_of("5")
