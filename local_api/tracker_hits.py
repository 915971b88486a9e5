"""Local Management API server: an account tracker's detections across stored conversations
(extensions under /v1/x/, documented in the README).

- GET /v1/x/trackers/{id}/hits[?limit=n]: how many messages and conversations the tracker
  caught, and its most recent hits (newest message first, `limit` 1-100, default 10), each
  with its conversation, message, phrase, offset (-1: contextual) and score; `rescoring`
  says its detections may be about to change: a rescore job for it is waiting or running, or
  a tracker write is not yet scheduled (rescore.py). `phrases`: each of its phrases (its
  current order) with the messages and conversations it caught (0: caught nothing), then any
  other phrase stored detections still name (a change being re-scored); `scored`: how many
  conversations its detections are kept for (those with a job that enabled the account's
  trackers), the "of M" of "caught in N of M conversations". Both added later: a client
  must not need them.
- GET /v1/x/trackers/{id}/rescores: its rescore jobs with their progress, newest first.

Stored detections only: neither loads the model.
"""

from __future__ import annotations

from typing import Any

from local_api.conversation_store import ConversationStore
from local_api.handlers import Call, Reply
from local_api.plumbing import ApiError
from local_api.rescore import behind, listed
from local_api.store import TRACKERS, Store

DEFAULT_LIMIT, MAX_LIMIT = 10, 100


def _limit(call: Call) -> int:
    values = (call.query or {}).get("limit") or [str(DEFAULT_LIMIT)]
    text = values[-1].strip()
    if (
        len(values) > 1
        or not (text.isascii() and text.isdigit())
        or not 1 <= int(text) <= MAX_LIMIT
    ):
        raise ApiError(400, f'"limit" must be one whole number from 1 to {MAX_LIMIT}.')
    return int(text)


def tracker_hits(store: Store, call: Call) -> Reply:
    """GET /v1/x/trackers/{id}/hits (see the module docstring)."""
    assert call.id is not None
    limit = _limit(call)
    tracker = store.object(TRACKERS, call.id)
    if tracker is None:
        raise ApiError(404, f'No tracker with id "{call.id}".')
    conversations = ConversationStore.of(store)
    db = conversations._read()
    counts = db.execute(
        "SELECT COUNT(*) AS hits, COUNT(DISTINCT conversation_seq) AS conversations "
        "FROM detections WHERE tracker_id = ? AND inline = 0",
        (call.id,),
    ).fetchone()
    recent = db.execute(
        "SELECT c.id AS conversation_id, m.id AS message_id, m.text, d.phrase, d.char_offset, "
        "d.score FROM detections d JOIN messages m ON m.seq = d.message_seq "
        "JOIN conversations c ON c.seq = d.conversation_seq "
        "WHERE d.tracker_id = ? AND d.inline = 0 ORDER BY d.message_seq DESC LIMIT ?",
        (call.id, limit),
    )
    rescoring = db.execute(
        "SELECT 1 FROM rescore_jobs WHERE tracker_id = ? AND status IN ('scheduled', "
        "'in_progress') LIMIT 1",
        (call.id,),
    ).fetchone()
    return 200, {
        "trackerId": call.id,
        "hits": int(counts["hits"]),
        "conversations": int(counts["conversations"]),
        "scored": _scored(db),
        "phrases": _phrases(db, call.id, list(tracker.get("vocabulary") or [])),
        "rescoring": rescoring is not None or behind(db),
        "recent": [
            {
                "conversationId": row["conversation_id"],
                "messageId": row["message_id"],
                "text": row["text"],
                "phrase": row["phrase"],
                "offset": row["char_offset"],
                "score": row["score"],
            }
            for row in recent
        ],
    }


def _scored(db: Any) -> int:
    """Conversations with a message whose job enabled the account's trackers."""
    row = db.execute(
        "SELECT COUNT(DISTINCT conversation_seq) AS n FROM message_vectors WHERE all_trackers = 1"
    ).fetchone()
    return int(row["n"])


def _phrases(db: Any, tracker_id: str, vocabulary: list[str]) -> list[dict[str, Any]]:
    """Each phrase with what it caught: the tracker's own phrases first, in its order."""
    rows = db.execute(
        "SELECT phrase, COUNT(*) AS hits, COUNT(DISTINCT conversation_seq) AS conversations "
        "FROM detections WHERE tracker_id = ? AND inline = 0 GROUP BY phrase ORDER BY phrase",
        (tracker_id,),
    )
    counted = {row["phrase"]: (int(row["hits"]), int(row["conversations"])) for row in rows}
    order = list(dict.fromkeys([*vocabulary, *counted]))
    return [
        {
            "phrase": phrase,
            "hits": counted.get(phrase, (0, 0))[0],
            "conversations": counted.get(phrase, (0, 0))[1],
            "inTracker": phrase in vocabulary,
        }
        for phrase in order
    ]


def tracker_rescores(store: Store, call: Call) -> Reply:
    """GET /v1/x/trackers/{id}/rescores: {"rescores": [{"id", "trackerId", "status", "done",
    "total", "reason"?}]}, newest first (a deleted tracker's too)."""
    assert call.id is not None
    return 200, {"rescores": listed(ConversationStore.of(store), call.id)}
