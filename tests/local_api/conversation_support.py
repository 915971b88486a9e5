"""Helpers for the conversation endpoint tests: bodies, posting and waiting for jobs."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

JOB_WAIT_SECONDS = 20.0


def iso_ago(**delta: float) -> str:
    moment = datetime.now(UTC) - timedelta(**delta)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def message(text: str, name: str = "John", *, start: str = "", end: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {
        "payload": {"content": text, "contentType": "text/plain"},
        "from": {"name": name, "userId": f"{name.lower()}@example.com"},
    }
    if start or end:
        found["duration"] = {"startTime": start, "endTime": end}
    return found


def body(metadata: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    """A valid text body, an hour ago, with metadata."""
    return {
        "name": extra.pop("name", f"Call {uuid.uuid4().hex[:8]}"),
        "messages": extra.pop(
            "messages",
            [
                message(
                    "Hello Mr. Smith. How are you today?",
                    start=iso_ago(hours=1),
                    end=iso_ago(minutes=59),
                ),
                message(
                    "I am fine, thanks.", "Mary", start=iso_ago(minutes=59), end=iso_ago(minutes=58)
                ),
            ],
        ),
        **({"metadata": metadata} if metadata is not None else {}),
        **extra,
    }


def wait_for_job(api: Any, job_id: str) -> dict[str, Any]:
    """The job's status once it is completed or failed."""
    deadline = time.monotonic() + JOB_WAIT_SECONDS
    while True:
        status = api.get(f"/v1/job/{job_id}").json()
        if status["status"] in ("completed", "failed") or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def processed(api: Any, **kwargs: Any) -> str:
    """Post a body, wait for its job to complete, return the conversation id."""
    response = api.post("/v1/process/text", json=body(**kwargs))
    assert response.status_code == 201, response.text
    answer = response.json()
    assert wait_for_job(api, answer["jobId"])["status"] == "completed"
    return answer["conversationId"]


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["conversations"]]
