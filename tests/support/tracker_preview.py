"""Conversations processed with the account's trackers (enableAllTrackers), for the preview
tests of the editor and the review queue; and a dashboard pointed at a server that answers
the preview with a given reply."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from symbl_admin.management_api.conversation_types import text_message
from tests.management_api.fake_server import APP_ID, APP_SECRET, FakeManagementAPI, Reply

JOB_WAIT_SECONDS = 30.0
PREVIEW = "/v1/x/trackers/preview"


def processed_with_trackers(client, name: str, texts: list[str]) -> str:
    """A conversation of these sentences, its job (enableAllTrackers) completed; its id."""
    submitted = client.conversations.process_text(
        [text_message(text, speaker="Bob", speaker_id="bob@example.com") for text in texts],
        name=name,
        enable_all_trackers=True,
    )
    deadline = time.monotonic() + JOB_WAIT_SECONDS
    while not (job := client.conversations.job(submitted.job_id)).done:
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.05)
    assert job.status == "completed"
    return submitted.conversation_id


@contextmanager
def preview_answering(settings, reply: Reply) -> Iterator[FakeManagementAPI]:
    """The dashboard on a server whose preview answers `reply` (a 404: no extension)."""
    fake = FakeManagementAPI().start()
    fake.on("POST", PREVIEW, reply)
    settings.SYMBL_API_BASE_URL = fake.url
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = APP_ID, APP_SECRET
    try:
        yield fake
    finally:
        fake.stop()
