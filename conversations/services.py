"""Conversations service layer: the dashboard's writes to conversations (metadata, delete).

Each takes the conversations write lock (our own writes, one at a time across workers), reads
the conversation fresh, and is audited like every write (a pending entry before the upstream
call, its outcome after). The audit entry names the conversation by id and name and records
its metadata before and after: never a message's text (transcripts are personal data).

Raises (both): NotFound, MetadataConflict (update), ManagementAPIError subclasses, Busy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from audit.services import AuditContext, audited
from resources.writes import serialized
from symbl_admin.management_api.conversation_types import Conversation

OBJECT_TYPE = "conversation"
LOCK = "conversations"


def metadata_version(metadata: Mapping[str, str]) -> str:
    """A short fingerprint of metadata as a form saw it (to tell a change made since)."""
    text = json.dumps(dict(metadata), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class MetadataConflict(Exception):
    """The metadata changed after the form was opened. Carries the conversation as it is."""

    def __init__(self, current: Conversation) -> None:
        super().__init__("The metadata was changed by someone else after you opened it.")
        self.current = current


def _state(conversation: Conversation, metadata: Mapping[str, str]) -> dict:
    # Ids, the name and the metadata: what the audit log may keep of a conversation.
    return {"name": conversation.name, "metadata": dict(metadata)}


def conversation_metadata_update(
    *,
    client,
    conversation_id: str,
    metadata: Mapping[str, str],
    seen: str,
    ctx: AuditContext,
) -> dict[str, str]:
    """Replace the conversation's metadata, unless it changed since `seen` (a
    metadata_version; empty skips the check). Returns the metadata the server stored."""
    with serialized(LOCK):
        current = client.conversations.get(conversation_id)
        if seen and metadata_version(current.metadata) != seen:
            raise MetadataConflict(current)
        with audited(
            ctx=ctx,
            action="update",
            object_type=OBJECT_TYPE,
            object_id=current.id,
            object_name=current.name,
            before=_state(current, current.metadata),
            after=_state(current, metadata),
        ) as audit:
            stored = client.conversations.update_metadata(current.id, metadata)
            audit.succeed(after=_state(current, stored))
    return stored


def conversation_delete(*, client, conversation_id: str, ctx: AuditContext) -> Conversation:
    """Delete the conversation (its messages and jobs go with it on the server); returns it
    as it was, for the message."""
    with serialized(LOCK):
        current = client.conversations.get(conversation_id)
        with audited(
            ctx=ctx,
            action="delete",
            object_type=OBJECT_TYPE,
            object_id=current.id,
            object_name=current.name,
            before=_state(current, current.metadata),
        ) as audit:
            client.conversations.delete(current.id)
            audit.succeed(status=200)
    return current
