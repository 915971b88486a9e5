"""Our extensions GET /v1/x/conversations/{id}/groups (the groups whose criteria select a
conversation) and /jobs (its jobs, newest first), over real HTTP and in-process (the `api`
fixture runs each test both ways)."""

from __future__ import annotations

import uuid

import pytest

from tests.local_api.conversation_support import processed


def _group(api, tag: str, name: str, criteria: str) -> str:
    response = api.post(
        "/v1/manage/group",
        json={"name": f"{name} {tag}", "description": "", "criteria": criteria},
    )
    assert response.status_code == 201, response.text
    return response.json()["group"]["id"]


def test_the_groups_that_select_a_conversation(api):
    tag = uuid.uuid4().hex[:10]
    cid = processed(api, metadata={"tag": tag, "agentId": "johndoe", "score": "7"})
    selects = _group(
        api, tag, "John", f"conversation.metadata.tag=={tag};conversation.metadata.agentId==johndoe"
    )
    typed = _group(
        api, tag, "Scored", f"conversation.metadata.tag=={tag};conversation.metadata.score=gt=5"
    )
    _group(
        api, tag, "Mary", f"conversation.metadata.tag=={tag};conversation.metadata.agentId==mary"
    )
    response = api.get(f"/v1/x/conversations/{cid}/groups")
    assert response.status_code == 200
    assert response.json() == {
        "groups": [{"id": selects, "name": f"John {tag}"}, {"id": typed, "name": f"Scored {tag}"}]
    }


def test_a_conversations_jobs_newest_first(api):
    from tests.local_api.conversation_support import message, wait_for_job

    tag = uuid.uuid4().hex[:10]
    cid = processed(api, metadata={"tag": tag})
    first = api.get(f"/v1/x/conversations/{cid}/jobs").json()["jobs"]
    appended = api.put(f"/v1/process/text/{cid}", json={"messages": [message("One more.")]})
    assert appended.status_code == 200, appended.text
    wait_for_job(api, appended.json()["jobId"])
    jobs = api.get(f"/v1/x/conversations/{cid}/jobs").json()["jobs"]
    assert [j["id"] for j in jobs] == [appended.json()["jobId"], first[0]["id"]]
    assert all(j["status"] == "completed" for j in jobs)


@pytest.mark.parametrize("what", ["groups", "jobs"])
def test_an_unknown_conversation_is_a_404_naming_it(api, what):
    response = api.get(f"/v1/x/conversations/999999999/{what}")
    assert response.status_code == 404
    assert "conversationId" in response.json()["message"]
