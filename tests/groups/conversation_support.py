"""Conversations for the groups tests, made through client.conversations.process_text on the
embedded server (its worker runs the jobs; we wait for each to complete)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from symbl_admin.management_api.conversation_types import text_message
from tests.management_api.fake_server import APP_ID, APP_SECRET, FakeManagementAPI, Reply

JOB_WAIT_SECONDS = 20.0


def processed(api, name: str, *, days_ago: float = 1, **metadata: str) -> str:
    """A conversation `days_ago` with this metadata, its job completed; its id."""
    start = datetime.now(UTC) - timedelta(days=days_ago)
    messages = [
        text_message(
            "Hello there. How can I help?",
            speaker="Ann",
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
    submitted = api.conversations.process_text(messages, name=name, metadata=metadata)
    deadline = time.monotonic() + JOB_WAIT_SECONDS
    while not (job := api.conversations.job(submitted.job_id)).done:
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.05)
    assert job.status == "completed"
    return submitted.conversation_id


GROUP = {
    "id": "7001",
    "name": "Johns calls",
    "description": "",
    "criteria": "conversation.metadata.agentId==john",
}


@pytest.fixture
def no_extension(settings):
    """The dashboard on a server that knows groups but answers 404 for /v1/x and the
    conversation API (the hosted API without our extensions)."""
    fake = FakeManagementAPI().start()
    fake.on("GET", "/v1/manage/group/7001", Reply(200, {"group": GROUP}))
    fake.on("GET", "/v1/manage/groups", Reply(200, {"groups": [GROUP]}))
    fake.on("GET", "/v1/manage/trackers", Reply(200, {"trackers": []}))
    settings.SYMBL_API_BASE_URL = fake.url
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = APP_ID, APP_SECRET
    yield fake
    fake.stop()
