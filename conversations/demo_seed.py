"""Demo conversations for `manage.py seed_demo`: local_api/demo_conversations.json (written by
scripts/demo_conversations.py), moved in time so the newest call ends yesterday, sent
through the client like an import (each audited, names and metadata only).

A conversation whose name the server already has is left alone, and each is sent under an
Idempotency-Key of its own, so seeding twice never makes a second copy.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from audit.services import AuditContext

from .import_run import send_conversation
from .importing import parse_time

DEMO_FILE = Path(__file__).resolve().parents[1] / "local_api" / "demo_conversations.json"
ALL_TIME = {"start_time": "1970-01-01T00:00:00Z", "end_time": "2100-01-01T00:00:00Z"}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def load_demo_conversations(today: date | None = None) -> list[dict[str, Any]]:
    """The demo bodies, every time moved by whole days so the newest call ends yesterday."""
    items = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["conversations"]
    durations = [m["duration"] for c in items for m in c["messages"] if m.get("duration")]
    newest = max(parse_time(d["endTime"]) for d in durations if d.get("endTime"))
    today = today or datetime.now(UTC).date()
    shift = timedelta(days=(today - timedelta(days=1) - newest.date()).days)
    for duration in durations:
        for key in ("startTime", "endTime"):
            if duration.get(key):
                duration[key] = _iso(parse_time(duration[key]) + shift)
    return items


def seed_conversations(*, client: Any, ctx: AuditContext) -> tuple[int, int]:
    """Send the demo conversations the server does not have by name: (created, already there).

    Raises: NotFound when the server has no conversation API; ManagementAPIError."""
    existing = {c.name for c in client.conversations.list(limit=65536, **ALL_TIME)}
    items = load_demo_conversations()
    created = 0
    for number, body in enumerate(items, start=1):
        if body["name"] in existing:
            continue
        send_conversation(client=client, body=body, key=f"seed-demo-conversation-{number}", ctx=ctx)
        created += 1
    return created, len(items) - created
