"""Conversations selector layer: the reads behind the list and the detail page, through
`client.conversations` only (conversations live on the Management API server, never in the
dashboard's database).

What an extension of ours powers (search with a total, the groups that contain a
conversation) is asked for first; against a server without it (ExtensionNotSupported) the
page falls back to the contract's own calls and says what is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbl_admin.management_api.conversation_types import Conversation, GroupRef, Job, Message
from symbl_admin.management_api.errors import ExtensionNotSupported, ManagementAPIError, NotFound

from .highlights import (
    HighlightedMessage,
    TrackerSummary,
    highlighted,
    highlighted_from,
    summary,
    summary_of,
)
from .listing import ConversationQuery


@dataclass(frozen=True)
class ConversationList:
    conversations: tuple[Conversation, ...]
    total: int | None  # None: the server does not count (next/previous only)
    has_next: bool
    search_supported: bool
    group: GroupRef | None = None  # the group the list is narrowed to


def conversation_list(*, client, query: ConversationQuery) -> ConversationList:
    """One page of conversations for `query`.

    Raises: NotFound (an unknown group), ManagementAPIError."""
    common = {"limit": query.per_page + 1, "offset": query.offset, "order": query.order}
    if query.group:
        group = client.groups.get(query.group)
        found = client.conversations.of_group(query.group, **common, **query.window())
        return _page(found, query, search_supported=True, group=GroupRef(group.id, group.name))
    try:
        page = client.conversations.search(
            query.q, key=query.key, **{**common, "limit": query.per_page}, **query.window()
        )
    except ExtensionNotSupported:
        found = client.conversations.list(**common, **query.window())
        return _page(found, query, search_supported=False)
    total = page.total
    has_next = total is not None and query.offset + len(page.conversations) < total
    return ConversationList(page.conversations, total, has_next, True)


def _page(found: list[Conversation], query: ConversationQuery, **extra) -> ConversationList:
    """A page read with one more than shown: the extra one says whether there is a next."""
    shown = tuple(found[: query.per_page])
    return ConversationList(shown, None, len(found) > query.per_page, **extra)


@dataclass(frozen=True)
class ConversationDetail:
    conversation: Conversation
    messages: list[Message] | None  # None: not shown (no permission) or not readable yet
    processed: bool | None  # its first job completed (None: not asked, messages not read)
    processing_note: str  # why the messages cannot be read yet, in the server's words
    groups: list[GroupRef] | None  # None: the server does not say (no extension)
    job: Job | None  # the job named in the address (?job=), else its latest (extension)


def conversation_detail(
    *, client, conversation_id: str, with_messages: bool, job_id: str = ""
) -> ConversationDetail:
    """The conversation, its messages (only when `with_messages`: the viewer may read
    transcripts), the groups that contain it and the state of a job of it.

    Raises: NotFound (unknown conversation), ManagementAPIError."""
    conversation = client.conversations.get(conversation_id)
    messages: list[Message] | None = None
    processed: bool | None = None
    note = ""
    if with_messages:  # a viewer who may not read transcripts: they are not even fetched
        try:
            messages, processed = client.conversations.messages(conversation.id), True
        except NotFound as error:  # still being processed (its first job has not completed)
            processed, note = False, error.message
    try:
        groups: list[GroupRef] | None = client.conversations.groups_of(conversation.id)
    except ExtensionNotSupported:
        groups = None
    return ConversationDetail(
        conversation, messages, processed, note, groups, _job(client, conversation.id, job_id)
    )


def _job(client, conversation_id: str, job_id: str) -> Job | None:
    """The job named in the address if it is one of this conversation's, else the latest
    (None: not known). Another conversation's job is never shown here."""
    try:
        jobs = client.conversations.jobs_of(conversation_id)
    except ExtensionNotSupported:
        jobs = None
    if job_id and jobs is not None:
        unknown = Job(id=job_id, status="unknown", reason="This conversation has no such job.")
        return next((job for job in jobs if job.id == job_id), unknown)
    if job_id:  # a server without the extension: its own answer for the id
        try:
            return client.conversations.job(job_id)
        except NotFound:
            return Job(id=job_id, status="unknown", reason="The server knows no job with this id.")
    return jobs[0] if jobs else None


COUNTS_NEED_EXTENSION = (
    "Which trackers caught sentences here is not shown: this Management API server would send "
    "the sentences with it, and your role may not read them."
)


@dataclass(frozen=True)
class ConversationDetections:
    """A conversation's detected trackers for its page. `messages`: the highlighted messages
    (None when not shown: no permission, or not readable yet); `note`: why something is
    missing, in plain words ("" when nothing is)."""

    trackers: list[TrackerSummary]
    messages: list[HighlightedMessage] | None
    scored: bool  # the server gave each detection's score (our extension)
    note: str = ""


def conversation_detections(
    *, client, conversation_id: str, messages: list[Message] | None, may_read: bool
) -> ConversationDetections:
    """The trackers detected in a conversation, summarised per tracker, and laid over its
    `messages` for a viewer who `may_read` them. For one who may not, the summary comes from
    our extension, which sends no message text (a server without it: left out with a note).
    Never raises for what it cannot read: the page says so instead (its messages still show)."""
    if not may_read:
        return _counts_only(client, conversation_id)
    if messages is None:  # still being processed: nothing detected yet
        return ConversationDetections([], None, False)
    try:  # our extension: every detection with its phrase, offset and score, no sentence
        found = client.detections.scores_of(conversation_id)
    except ExtensionNotSupported:
        return _documented(client, conversation_id, messages)
    except NotFound:
        return ConversationDetections([], None, False)
    except ManagementAPIError as error:
        return ConversationDetections([], None, False, f"Detected trackers: {error.title}")
    return ConversationDetections(summary_of(found), highlighted_from(messages, found), True)


def _documented(client, conversation_id: str, messages: list[Message]) -> ConversationDetections:
    """Against a server without our extension: the documented trackers-detected (no scores;
    which trackers are the account's, from its list)."""
    try:
        detected = client.detections.of_conversation(conversation_id)
    except NotFound:  # still being processed: nothing detected yet
        return ConversationDetections([], None, False)
    except ManagementAPIError as error:
        return ConversationDetections([], None, False, f"Detected trackers: {error.title}")
    shown = highlighted(messages, detected, {})
    return ConversationDetections(summary(detected, _account_tracker_ids(client)), shown, False)


def _counts_only(client, conversation_id: str) -> ConversationDetections:
    try:
        found = client.detections.scores_of(conversation_id)
    except ExtensionNotSupported:
        return ConversationDetections([], None, False, COUNTS_NEED_EXTENSION)
    except NotFound:
        return ConversationDetections([], None, False)
    except ManagementAPIError as error:
        return ConversationDetections([], None, False, f"Detected trackers: {error.title}")
    return ConversationDetections(summary_of(found), None, True)


def _account_tracker_ids(client) -> set[str] | None:
    try:
        return {tracker.id for tracker in client.trackers.list()}
    except ManagementAPIError:
        return None
