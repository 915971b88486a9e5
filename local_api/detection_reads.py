"""Local Management API server: stored detections read for the dashboard's screens
(extensions under /v1/x/, documented in the README).

- GET /v1/x/trackers/top[?days=7&limit=5]: the account trackers that caught the most
  messages in conversations that started in the last `days` days (1-366, default 7; a
  conversation's start is its first message's time, else when it was processed), at most
  `limit` of them (1-50, default 5), most hits first: {"days", "since", "conversations" (how
  many started in the window), "trackers": [{"id", "name", "hits", "conversations"}]}.
- GET /v1/x/conversations/{id}/detections: every stored detection of the conversation, in
  message order: {"detections": [{"messageId", "trackerId", "trackerName", "inline", "phrase",
  "offset", "score"}]} — the scores GET /v1/conversations/{id}/trackers-detected does not
  carry, and no message text (a screen may count detections for a viewer who may not read
  them). An account tracker deleted since is left out, as trackers-detected leaves it.

Stored detections only: neither loads the model. Plain SQL that SQLite and PostgreSQL
both run (the PostgreSQL store translates the placeholders).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from local_api.conversation_store import ConversationStore
from local_api.handlers import Call, Reply
from local_api.plumbing import ApiError
from local_api.store import TRACKERS, Store

DAYS = (1, 366, 7)  # lowest, highest, default
LIMIT = (1, 50, 5)
UNKNOWN = "The conversationId is either invalid or does not exist."


def _whole(call: Call, name: str, bounds: tuple[int, int, int]) -> int:
    low, high, default = bounds
    values = (call.query or {}).get(name) or [str(default)]
    text = values[-1].strip()
    if len(values) > 1 or not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise ApiError(400, f'"{name}" must be one whole number from {low} to {high}.')
    return int(text)


def top_trackers(store: Store, call: Call) -> Reply:
    """GET /v1/x/trackers/top (see the module docstring)."""
    days, limit = _whole(call, "days", DAYS), _whole(call, "limit", LIMIT)
    since = time.time() - days * 86400
    db = ConversationStore.of(store)._read()
    rows = db.execute(
        "SELECT d.tracker_id, COUNT(*) AS hits, COUNT(DISTINCT d.conversation_seq) AS convs "
        "FROM detections d JOIN conversations c ON c.seq = d.conversation_seq "
        "WHERE d.inline = 0 AND c.start_epoch >= ? GROUP BY d.tracker_id "
        "ORDER BY hits DESC, d.tracker_id",
        (since,),
    ).fetchall()
    started = db.execute(
        "SELECT COUNT(*) AS n FROM conversations WHERE start_epoch >= ?", (since,)
    ).fetchone()
    names = {tracker["id"]: tracker["name"] for tracker in store.objects(TRACKERS)}
    top = [  # a tracker deleted since (its rows not yet dropped) is left out
        {
            "id": row["tracker_id"],
            "name": names[row["tracker_id"]],
            "hits": int(row["hits"]),
            "conversations": int(row["convs"]),
        }
        for row in rows
        if row["tracker_id"] in names
    ]
    return 200, {
        "days": days,
        "since": datetime.fromtimestamp(since, UTC).isoformat().replace("+00:00", "Z"),
        "conversations": int(started["n"]),
        "trackers": top[:limit],
    }


def conversation_detections(store: Store, call: Call) -> Reply:
    """GET /v1/x/conversations/{id}/detections (see the module docstring)."""
    assert call.id is not None
    conversations = ConversationStore.of(store)
    if conversations.get(call.id) is None:
        raise ApiError(404, UNKNOWN)
    db = conversations._read()
    names = {tracker["id"]: tracker["name"] for tracker in store.objects(TRACKERS)}
    inline = {
        row["id"]: row["name"]
        for row in db.execute(
            "SELECT t.id, t.name FROM inline_trackers t "
            "JOIN conversations c ON c.seq = t.conversation_seq WHERE c.id = ?",
            (call.id,),
        )
    }
    rows = db.execute(
        "SELECT m.id AS message_id, d.tracker_id, d.inline, d.phrase, d.char_offset, d.score "
        "FROM detections d JOIN messages m ON m.seq = d.message_seq "
        "JOIN conversations c ON c.seq = d.conversation_seq "
        "WHERE c.id = ? ORDER BY d.message_seq, d.tracker_id",
        (call.id,),
    )
    return 200, {
        "detections": [
            {
                "messageId": row["message_id"],
                "trackerId": row["tracker_id"],
                "trackerName": (inline if row["inline"] else names)[row["tracker_id"]],
                "inline": bool(row["inline"]),
                "phrase": row["phrase"],
                "offset": int(row["char_offset"]),
                "score": float(row["score"]),
            }
            for row in rows
            if row["tracker_id"] in (inline if row["inline"] else names)
        ]
    }
