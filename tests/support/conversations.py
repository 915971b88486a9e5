"""Test helper: a conversation processed through the text Async API, its job waited for."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from symbl_admin.management_api.conversation_types import text_message

SECRET_SENTENCE = "My card number is four four four four."


def processed(client, name: str, metadata: dict[str, str], *, days_ago: float = 1) -> str:
    """A conversation processed through the text Async API (its job waited for)."""
    start = datetime.now(UTC) - timedelta(days=days_ago)
    messages = [
        text_message(
            "Hello, this is Ann from support. How can I help?",
            speaker="Ann",
            speaker_id="ann@example.com",
            start_time=start,
            end_time=start + timedelta(seconds=30),
        ),
        text_message(
            SECRET_SENTENCE,
            speaker="Bob",
            speaker_id="bob@example.com",
            start_time=start + timedelta(seconds=30),
            end_time=start + timedelta(seconds=60),
        ),
    ]
    submitted = client.conversations.process_text(messages, name=name, metadata=metadata)
    deadline = time.monotonic() + 20
    while not client.conversations.job(submitted.job_id).done:
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.02)
    return submitted.conversation_id
