"""Conversation import, the service layer: a previewed import kept until it is confirmed,
sent conversation by conversation through client.conversations.process_text (each audited),
then followed while the server's jobs run.

Where the import lives between requests: a file per import under VAR_DIR
(conversation-imports/<token>.json, owner-only), not hidden form fields: an import is up to
5 MB of transcripts, more than a form field should carry back and forth. The file keeps the
messages only until each conversation is sent; it is locked (fcntl.flock) while a step reads
and writes it, so a double click or two polls never send a conversation twice, and the
Idempotency-Key of each conversation (the import's token and its place in it) makes a
resent request answer the first job instead of making a second conversation. Files older than
KEEP_SECONDS are removed when an import is next prepared or looked at.

The audit log gets one entry per conversation: action create, object type conversation, its
name and metadata (never message text), completed with the conversation id the server gave.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from audit.services import AuditContext, audited
from symbl_admin import private_files
from symbl_admin.management_api.conversation_types import Submitted
from symbl_admin.management_api.errors import ManagementAPIError, NotFound

from .importing import Draft

KEEP_SECONDS = 2 * 24 * 3600
POLLS_PER_STEP = 50  # job statuses read per progress refresh (the oldest unfinished first)
TOKEN = re.compile(r"[0-9a-f]{32}")


def _folder() -> Path:
    return private_files.private_dir(Path(settings.VAR_DIR) / "conversation-imports")


def idempotency_key(token: str, index: int) -> str:
    """The same for the same conversation of the same import: a resend answers the first job."""
    return hashlib.sha256(f"conversation-import:{token}:{index}".encode()).hexdigest()[:40]


def send_conversation(
    *, client: Any, body: dict[str, Any], key: str, ctx: AuditContext
) -> Submitted:
    """POST one conversation, audited with its name and metadata (never its messages).

    Raises: ManagementAPIError (the audit entry then says failed or unknown)."""
    name, metadata = body.get("name", ""), body.get("metadata") or {}
    with audited(
        ctx=ctx,
        action="create",
        object_type="conversation",
        object_name=name,
        after={"name": name, "metadata": metadata},
    ) as audit:
        submitted = client.conversations.process_text(
            body["messages"], name=name, metadata=metadata, idempotency_key=key
        )
        audit.succeed(
            object_id=submitted.conversation_id,
            after={"name": name, "metadata": metadata, "jobId": submitted.job_id},
            status=201,
        )
    return submitted


# ---- the import's file


def _prune(folder: Path) -> None:
    """Imports older than KEEP_SECONDS go, with any transcript a preview left unsent: asked on
    every preview and every look at an import, so none stays long after its last use."""
    for old in folder.glob("*.json"):
        with contextlib.suppress(OSError):
            if time.time() - old.stat().st_mtime > KEEP_SECONDS:
                old.unlink()


def import_prepare(*, drafts: list[Draft], owner_id: int) -> str:
    """Keep a previewed import; returns its token. Drafts with problems are kept as skipped."""
    folder = _folder()
    _prune(folder)
    token = secrets.token_hex(16)
    good = [d for d in drafts if d.valid]
    state = {
        "owner": owner_id,
        "total": len(good),
        # Each body as JSON text, built one at a time: read back on each step as one string
        # per conversation, not as every message's dicts (import_submit parses what it sends).
        "pending": [
            {"index": i, "name": d.name, "body": json.dumps(d.body(), ensure_ascii=False)}
            for i, d in enumerate(good)
        ],
        "submitted": [],
        "failed": [],
        "skipped": [
            {"name": d.name or d.where, "reason": " ".join(d.problems)}
            for d in drafts
            if not d.valid
        ],
    }
    private_files.write_private(folder / f"{token}.json", json.dumps(state, ensure_ascii=False))
    return token


@contextlib.contextmanager
def _locked(token: str, owner_id: int) -> Iterator[dict[str, Any] | None]:
    """The import's state, locked, written back when the block ends; None when the token is
    unknown, expired or another user's."""
    path = _folder() / f"{token}.json"
    if not TOKEN.fullmatch(token or ""):
        yield None
        return
    try:
        handle = open(path, "r+", encoding="utf-8")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        yield None
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        state = json.loads(handle.read() or "{}")
        if state.get("owner") != owner_id:
            yield None
            return
        yield state
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(state, ensure_ascii=False))
        handle.flush()
        os.fsync(handle.fileno())


def import_state(*, token: str, owner_id: int) -> dict[str, Any] | None:
    _prune(_folder())
    with _locked(token, owner_id) as state:
        return progress(state) if state is not None else None


def import_submit(
    *, client: Any, token: str, owner_id: int, ctx: AuditContext, limit: int | None = None
) -> dict[str, Any] | None:
    """Send up to `limit` (None: all) conversations not sent yet; a refusal is named and the
    rest go on. Returns the progress, or None for an unknown import."""
    with _locked(token, owner_id) as state:
        if state is None:
            return None
        now = state["pending"][:limit] if limit is not None else list(state["pending"])
        for item in now:
            try:
                submitted = send_conversation(
                    client=client,
                    body=json.loads(item["body"]),
                    key=idempotency_key(token, item["index"]),
                    ctx=ctx,
                )
            except ManagementAPIError as exc:
                state["failed"].append({"name": item["name"], "reason": _reason(exc)})
            else:
                state["submitted"].append(
                    {
                        "name": item["name"],
                        "id": submitted.conversation_id,
                        "job": submitted.job_id,
                        "status": "scheduled",
                        "reason": "",
                    }
                )
            state["pending"].remove(item)  # its messages leave the file once it is sent
        return progress(state)


def import_poll(
    *, client: Any, token: str, owner_id: int, limit: int = POLLS_PER_STEP
) -> dict[str, Any] | None:
    """Read the status of up to `limit` unfinished jobs. Returns the progress, or None."""
    with _locked(token, owner_id) as state:
        if state is None:
            return None
        waiting = [s for s in state["submitted"] if s["status"] not in ("completed", "failed")]
        for item in waiting[:limit]:
            try:
                job = client.conversations.job(item["job"])
            except NotFound:
                item["status"], item["reason"] = "failed", "The server no longer knows its job."
            except ManagementAPIError as exc:
                state["poll_error"] = _reason(exc)
                break
            else:
                item["status"], item["reason"] = job.status, job.reason
                state.pop("poll_error", None)
        return progress(state)


def _reason(exc: ManagementAPIError) -> str:
    return " ".join(part for part in (exc.title, exc.message) if part) or "The server refused it."


def progress(state: dict[str, Any]) -> dict[str, Any]:
    """What the progress region shows."""
    submitted = state["submitted"]
    completed = [s for s in submitted if s["status"] == "completed"]
    job_failed = [s for s in submitted if s["status"] == "failed"]
    sent = not state["pending"]
    return {
        "total": state["total"],
        "submitted": len(submitted),
        "completed": len(completed),
        "failed_count": len(state["failed"]) + len(job_failed),
        "done_count": len(completed) + len(job_failed) + len(state["failed"]),
        "sending": not sent,
        "finished": sent and len(completed) + len(job_failed) == len(submitted),
        "created": completed,
        "failed": [*state["failed"], *job_failed],
        "skipped": state["skipped"],
        "poll_error": state.get("poll_error", ""),
    }
