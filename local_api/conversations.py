"""Local Management API server: the conversation endpoints (the contract's "Conversations").

The Async text path (POST/PUT /v1/process/text, GET /v1/job/{id}), the Conversation API
subset (/v1/conversations...), a group's conversations, and our extensions under /v1/x/
(documented in the README): counting what draft criteria select, and search by name or
metadata value. Audio and video answer 404 saying this server offers text only.

Handlers take the store and the Call like every other (routes.py binds them); the work is in
conversation_store.py (rows), membership.py (criteria as SQL) and jobs.py (the worker).
"""

from __future__ import annotations

import functools
from typing import Any

from local_api.conversation_rules import list_query, metadata_update, text_job
from local_api.conversation_store import ConversationStore
from local_api.handlers import Call, Reply
from local_api.jobs import JobQueue
from local_api.membership import Unsupported, where
from local_api.plumbing import ApiError
from local_api.store import GROUPS, Store
from local_api.validation import RuleBroken
from symbl_admin import rsql

DELETED = "successfully deleted the conversation"
UNKNOWN = "The conversationId is either invalid or does not exist."
STILL_PROCESSING = (
    "The conversation {id} is still being processed: its first job has not completed. "
    "Poll GET /v1/job/{{jobId}} until it is completed."
)
TEXT_ONLY = (
    "This server processes text only (POST /v1/process/text); audio and video processing "
    "is not offered."
)


def _conversations(store: Store) -> ConversationStore:
    return ConversationStore.of(store)


def _rules(check: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return check(*args, **kwargs)
    except RuleBroken as error:
        raise ApiError(400, error.message) from None


def _woken(store: Store) -> None:
    for wake in _conversations(store).on_enqueue:  # this process's worker: run it now
        wake()


def process_text(store: Store, call: Call) -> Reply:
    """POST /v1/process/text: a new conversation and its job (201); with an Idempotency-Key
    already used, the first answer again."""
    job = _rules(text_job, call.data)
    answer, created = _conversations(store).create(job, call.idempotency_key)
    if created:
        _woken(store)
    return 201, answer


def append_text(store: Store, call: Call) -> Reply:
    """PUT /v1/process/text/{conversationId}: another job on the conversation."""
    assert call.id is not None
    if _conversations(store).get(call.id) is None:
        raise ApiError(404, UNKNOWN)
    job = _rules(text_job, call.data)
    answer = _conversations(store).append(call.id, job)
    if answer is None:
        raise ApiError(404, UNKNOWN)
    _woken(store)
    return 200, answer


def job_status(store: Store, call: Call) -> Reply:
    """GET /v1/job/{jobId}: {"id", "status"}, and the reason when it failed."""
    assert call.id is not None
    found = JobQueue(_conversations(store)).status(call.id)
    if found is None:
        raise ApiError(404, f'No job with id "{call.id}".')
    return 200, found


def list_conversations(store: Store, call: Call) -> Reply:
    """GET /v1/conversations with the documented query parameters."""
    query = _rules(list_query, call.query or {})
    return 200, {"conversations": _query(store, query, [])}


def _query(store: Store, query: Any, criteria: list[Any]) -> list[dict[str, Any]]:
    try:
        return _conversations(store).query(query, criteria)
    except Unsupported as error:
        raise ApiError(400, str(error)) from None


def get_conversation(store: Store, call: Call) -> Reply:
    assert call.id is not None
    found = _conversations(store).get(call.id)
    if found is None:
        raise ApiError(404, UNKNOWN)
    return 200, found


def update_metadata(store: Store, call: Call) -> Reply:
    """PUT /v1/conversations/{id} {"metadata": {...}}: replaces the metadata."""
    assert call.id is not None
    if _conversations(store).get(call.id) is None:
        raise ApiError(404, UNKNOWN)
    metadata = _rules(metadata_update, call.data)
    if not _conversations(store).set_metadata(call.id, metadata):
        raise ApiError(404, UNKNOWN)
    return 200, {"id": call.id, "metadata": metadata}


def delete_conversation(store: Store, call: Call) -> Reply:
    assert call.id is not None
    if not _conversations(store).delete(call.id):
        raise ApiError(404, UNKNOWN)
    return 200, {"message": DELETED}


def _processed(store: Store, conversation_id: str) -> None:
    state = _conversations(store).processed(conversation_id)
    if state is None:
        raise ApiError(404, UNKNOWN)
    if not state:
        raise ApiError(404, STILL_PROCESSING.format(id=conversation_id))


def messages(store: Store, call: Call) -> Reply:
    """GET /v1/conversations/{id}/messages: one per sentence, in order."""
    assert call.id is not None
    _processed(store, call.id)
    return 200, {"messages": _conversations(store).messages(call.id)}


def trackers_detected(store: Store, call: Call) -> Reply:
    """GET /v1/conversations/{id}/trackers-detected (and /trackers): the trackers its jobs
    detected, in the documented shape (trackers with no match left out). Stored detections
    only: this never loads the model."""
    assert call.id is not None
    _processed(store, call.id)
    return 200, _conversations(store).trackers_detected(call.id)


def _group_criteria(store: Store, group_id: str) -> rsql.Node:
    group = store.object(GROUPS, group_id)
    if group is None:
        raise ApiError(404, f'No group with id "{group_id}".')
    try:
        return rsql.validate_criteria(group["criteria"])
    except rsql.RSQLError as error:  # stored before a rule tightened: say so, never a 500
        raise ApiError(400, f"The group's criteria cannot be evaluated: {error}") from None


def group_conversations(store: Store, call: Call) -> Reply:
    """GET /v1/groups/{groupId}/conversations: the group's criteria, then the query's."""
    assert call.id is not None
    criteria = _group_criteria(store, call.id)
    query = _rules(list_query, call.query or {})
    return 200, {"conversations": _query(store, query, [criteria])}


# -- extensions (/v1/x/...) ---------------------------------------------------------------


def _text(call: Call, name: str) -> str:
    values = (call.query or {}).get(name) or [""]
    if len(values) > 1:
        raise ApiError(400, f'The query parameter "{name}" is given {len(values)} times.')
    return values[0].strip()


def count_selected(store: Store, call: Call) -> Reply:
    """GET /v1/x/conversations/count?criteria=...[&startTime][&endTime][&filter]: how many
    conversations draft criteria select, over all time unless a bound is given."""
    text = _text(call, "criteria")
    query = _rules(list_query, call.query or {}, all_time=True)
    criteria = []
    if text:
        try:
            criteria.append(rsql.validate_criteria(text))
        except rsql.RSQLError as error:
            raise ApiError(400, f'"criteria": {error}') from None
    try:
        total = _conversations(store).count(query, criteria)
    except Unsupported as error:
        raise ApiError(400, f'"criteria": {error}') from None
    return 200, {"total": total}


def search(store: Store, call: Call) -> Reply:
    """GET /v1/x/conversations/search?q=...[&key=][&limit][&offset][&order][&sort]
    [&startTime][&endTime]: name or metadata value containing q (any case), over all time
    unless a bound is given; {"conversations": [...], "total": n}."""
    query = _rules(list_query, call.query or {}, all_time=True)
    key = _text(call, "key")
    found, total = _conversations(store).search(query, _text(call, "q"), key)
    return 200, {"conversations": found, "total": total}


def conversation_groups(store: Store, call: Call) -> Reply:
    """GET /v1/x/conversations/{id}/groups: the groups whose criteria select the conversation
    (over all time), as {"groups": [{"id", "name"}]} in the groups' order. A group whose
    stored criteria this server cannot evaluate is left out, as its own list would refuse."""
    assert call.id is not None
    if _conversations(store).get(call.id) is None:
        raise ApiError(404, UNKNOWN)
    found = []
    db = _conversations(store)._read()
    for group in store.objects(GROUPS):
        test = _one_conversation_test(group["criteria"])
        if test is None:
            continue
        sql, params = test
        statement = f"SELECT 1 FROM conversations c WHERE c.id = ? AND ({sql})"  # noqa: S608
        if db.execute(statement, (call.id, *params)).fetchone() is not None:
            found.append({"id": group["id"], "name": group["name"]})
    return 200, {"groups": found}


@functools.lru_cache(maxsize=4096)
def _one_conversation_test(criteria: str) -> tuple[str, tuple[Any, ...]] | None:
    """A group's criteria as SQL over one conversation (each comparison a lookup on its own
    rows, "exists"), or None when this server cannot evaluate them. Kept per criteria text:
    parsing was 9 in 10 of the time at 500 groups (measured: 180 of 200 ms)."""
    try:
        sql, params = where(rsql.validate_criteria(criteria), lambda *_: "exists")
    except (rsql.RSQLError, Unsupported):
        return None
    return sql, tuple(params)


def conversation_jobs(store: Store, call: Call) -> Reply:
    """GET /v1/x/conversations/{id}/jobs: its jobs, newest first (at most 20), each as
    GET /v1/job/{jobId} answers it (a failed one with its reason)."""
    assert call.id is not None
    if _conversations(store).get(call.id) is None:
        raise ApiError(404, UNKNOWN)
    rows = (
        _conversations(store)
        ._read()
        .execute(
            "SELECT id FROM jobs WHERE conversation_id = ? ORDER BY seq DESC LIMIT 20", (call.id,)
        )
    )
    queue = JobQueue(_conversations(store))
    found = [queue.status(row["id"]) for row in rows]
    return 200, {"jobs": [job for job in found if job is not None]}


def audio_video(store: Store, call: Call) -> Reply:
    raise ApiError(404, TEXT_ONLY)
