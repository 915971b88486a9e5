"""Management API client layer: `client.conversations`, the text Async API and the
Conversation API subset (contract: "Conversations"), and our /v1/x extensions.

Speaks in the dataclasses of conversation_types.py and raises `ManagementAPIError`s. The
extensions (`count_selected`, `selected_ids`, `search`) raise `ExtensionNotSupported` against a server that
answers 404 for /v1/x (the hosted API, or any server without them): the dashboard hides what
they power. `process_text` sends an Idempotency-Key and, when the answer was lost, sends the
same request once more with the same key: a server that honours the key answers the first
job (ours does; one that ignores it may make a second conversation, which is why only then).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from .conversation_types import (
    Conversation,
    ConversationPage,
    GroupRef,
    Job,
    Message,
    SelectedIds,
    Submitted,
)
from .errors import ExtensionNotSupported, ManagementAPIError, NotFound
from .transport import Transport


def _id(value: str) -> str:
    return quote(str(value), safe="")


def _time(value: datetime | str | None) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def list_params(
    *,
    limit: int | None = None,
    offset: int | None = None,
    order: str | None = None,
    start_time: datetime | str | None = None,
    end_time: datetime | str | None = None,
    sort: str | None = None,
    filter: str | None = None,
) -> dict[str, str]:
    """The query of the conversation lists; what is None is left to the server's default
    (note: its default window is the 7 days ending now — pass both times for all time)."""
    values = {
        "limit": limit,
        "offset": offset,
        "order": order,
        "startTime": _time(start_time),
        "endTime": _time(end_time),
        "sort": sort,
        "filter": filter,
    }
    return {key: str(value) for key, value in values.items() if value is not None}


def _conversations(body: Any) -> tuple[Conversation, ...]:
    items = body.get("conversations") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise ManagementAPIError(
            "The Management API answered a conversation list in an unexpected shape."
        )
    return tuple(Conversation.from_api(item) for item in items if isinstance(item, dict))


class Conversations:
    """Conversations, their messages, metadata and jobs; a group's conversations."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def list(self, **query: Any) -> list[Conversation]:
        """GET /v1/conversations (list_params' keywords).

        Raises: ManagementAPIError (ValidationFailed for a bad parameter)."""
        body = self._transport.request("GET", "/v1/conversations", params=list_params(**query))
        return list(_conversations(body))

    def get(self, conversation_id: str) -> Conversation:
        """Raises: NotFound, ManagementAPIError."""
        body = self._transport.request("GET", f"/v1/conversations/{_id(conversation_id)}")
        if not isinstance(body, dict):
            raise ManagementAPIError(
                "The Management API answered a conversation in an unexpected shape."
            )
        return Conversation.from_api(body)

    def messages(self, conversation_id: str) -> list[Message]:
        """The conversation's messages, one per sentence, in order.

        Raises: NotFound (unknown, or still being processed: see the message), ManagementAPIError."""
        body = self._transport.request("GET", f"/v1/conversations/{_id(conversation_id)}/messages")
        items = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ManagementAPIError("The Management API answered messages in an unexpected shape.")
        return [Message.from_api(item) for item in items if isinstance(item, dict)]

    def update_metadata(self, conversation_id: str, metadata: Mapping[str, str]) -> dict[str, str]:
        """Replace the conversation's metadata; returns the metadata the server stored.

        Raises: NotFound, ValidationFailed (the metadata rules), ManagementAPIError."""
        body = self._transport.request(
            "PUT",
            f"/v1/conversations/{_id(conversation_id)}",
            json_body={"metadata": dict(metadata)},
        )
        stored = body.get("metadata") if isinstance(body, dict) else None
        return dict(stored) if isinstance(stored, dict) else dict(metadata)

    def delete(self, conversation_id: str) -> None:
        """Raises: NotFound, ManagementAPIError."""
        self._transport.request("DELETE", f"/v1/conversations/{_id(conversation_id)}")

    def process_text(
        self,
        messages: Iterable[dict[str, Any]],
        *,
        name: str = "",
        metadata: Mapping[str, str] | None = None,
        trackers: Iterable[dict[str, Any]] = (),
        enable_all_trackers: bool = False,
        idempotency_key: str = "",
    ) -> Submitted:
        """POST /v1/process/text: a new conversation and its job (see the module docstring
        for the one resend).

        Raises: ValidationFailed, PayloadTooLarge, ManagementAPIError."""
        body: dict[str, Any] = {"messages": list(messages)}
        if name:
            body["name"] = name
        if metadata is not None:
            body["metadata"] = dict(metadata)
        trackers = list(trackers)
        if trackers:
            body["trackers"] = trackers
        if enable_all_trackers:
            body["enableAllTrackers"] = True
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        try:
            answer = self._transport.request(
                "POST", "/v1/process/text", json_body=body, headers=headers
            )
        except ManagementAPIError as error:
            if not error.may_have_landed:
                raise
            answer = self._transport.request(
                "POST", "/v1/process/text", json_body=body, headers=headers
            )
        return Submitted.from_api(answer if isinstance(answer, dict) else {})

    def append_text(self, conversation_id: str, messages: Iterable[dict[str, Any]]) -> Submitted:
        """PUT /v1/process/text/{id}: more messages for a conversation, as a new job.

        Raises: NotFound, ValidationFailed, ManagementAPIError."""
        answer = self._transport.request(
            "PUT",
            f"/v1/process/text/{_id(conversation_id)}",
            json_body={"messages": list(messages)},
        )
        return Submitted.from_api(answer if isinstance(answer, dict) else {})

    def job(self, job_id: str) -> Job:
        """Raises: NotFound, ManagementAPIError."""
        body = self._transport.request("GET", f"/v1/job/{_id(job_id)}")
        return Job.from_api(body if isinstance(body, dict) else {})

    def of_group(self, group_id: str, **query: Any) -> list[Conversation]:
        """GET /v1/groups/{groupId}/conversations (list_params' keywords).

        Raises: NotFound (unknown group), ValidationFailed, ManagementAPIError."""
        path = f"/v1/groups/{_id(group_id)}/conversations"
        return list(
            _conversations(self._transport.request("GET", path, params=list_params(**query)))
        )

    # -- extensions (/v1/x) -----------------------------------------------------------------

    def _extension(self, path: str, params: dict[str, str]) -> Any:
        try:
            return self._transport.request("GET", path, params=params)
        except NotFound as error:
            raise ExtensionNotSupported(
                f"This Management API server does not offer {path} (an extension of ours).",
                status=error.status,
                request_id=error.request_id,
            ) from None

    def count_selected(
        self,
        criteria: str,
        *,
        start_time: datetime | str | None = None,
        end_time: datetime | str | None = None,
    ) -> int:
        """How many conversations criteria select (all time unless a bound is given).

        Raises: ExtensionNotSupported, ValidationFailed (bad criteria), ManagementAPIError."""
        params = {"criteria": criteria, **list_params(start_time=start_time, end_time=end_time)}
        body = self._extension("/v1/x/conversations/count", params)
        total = body.get("total") if isinstance(body, dict) else None
        if not isinstance(total, int):
            raise ManagementAPIError("The Management API answered a count in an unexpected shape.")
        return total

    def _of_conversation(self, conversation_id: str, what: str) -> list[dict[str, Any]]:
        """GET /v1/x/conversations/{id}/{what}: its list of objects."""
        path = f"/v1/x/conversations/{_id(conversation_id)}/{what}"
        try:
            body = self._transport.request("GET", path)
        except NotFound as error:
            if "conversationId" in (error.message or ""):  # ours: the conversation is unknown
                raise
            raise ExtensionNotSupported(
                f"This Management API server does not offer {path} (an extension of ours).",
                status=error.status,
                request_id=error.request_id,
            ) from None
        items = body.get(what) if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ManagementAPIError(f"The Management API answered {what} in an unexpected shape.")
        return [item for item in items if isinstance(item, dict)]

    def groups_of(self, conversation_id: str) -> list[GroupRef]:
        """The groups whose criteria select the conversation (over all time).

        Raises: ExtensionNotSupported, NotFound (unknown conversation: our server says so
        in its message), ManagementAPIError."""
        return [
            GroupRef.from_api(item) for item in self._of_conversation(conversation_id, "groups")
        ]

    def jobs_of(self, conversation_id: str) -> list[Job]:
        """The conversation's jobs, newest first (a failed one with its reason).

        Raises: ExtensionNotSupported, NotFound, ManagementAPIError."""
        return [Job.from_api(item) for item in self._of_conversation(conversation_id, "jobs")]

    def selected_ids(
        self,
        criteria: str,
        *,
        start_time: datetime | str | None = None,
        end_time: datetime | str | None = None,
        limit: int = 65536,
    ) -> SelectedIds:
        """The ids (at most `limit`, in the order stored) and the total of the conversations
        criteria select, all time unless a bound is given (our /v1/x/conversations/ids).

        Raises: ExtensionNotSupported, ValidationFailed (bad criteria), ManagementAPIError."""
        params = {
            "criteria": criteria,
            **list_params(limit=limit, start_time=start_time, end_time=end_time),
        }
        body = self._extension("/v1/x/conversations/ids", params)
        ids = body.get("ids") if isinstance(body, dict) else None
        total = body.get("total") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not isinstance(total, int):
            raise ManagementAPIError("The Management API answered ids in an unexpected shape.")
        return SelectedIds(tuple(str(i) for i in ids), total)

    def search(self, text: str = "", *, key: str = "", **query: Any) -> ConversationPage:
        """Conversations whose name or a metadata value contains `text`, optionally only
        those with the metadata key `key` (all time unless a bound is given), and the total.

        Raises: ExtensionNotSupported, ValidationFailed, ManagementAPIError."""
        params = {
            **list_params(**query),
            **({"q": text} if text else {}),
            **({"key": key} if key else {}),
        }
        body = self._extension("/v1/x/conversations/search", params)
        total = body.get("total") if isinstance(body, dict) else None
        return ConversationPage(_conversations(body), total if isinstance(total, int) else None)
