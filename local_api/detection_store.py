"""Local Management API server: tracker detections and message vectors, in the server's store.

Tables (conversation_schema.py): `message_vectors` (one row per message: its float16
vectors and whether its job enabled the account's trackers), `inline_trackers` (a
conversation's inline trackers: one made-up id per name, stable across its jobs) and
`detections` (one row per message and tracker that caught it). Written in the completing
job's transaction (JobQueue.complete), read by GET /v1/conversations/{id}/trackers-detected
without the model.
"""

from __future__ import annotations

from typing import Any

import orjson

from local_api.detection import to_blob
from local_api.store import TRACKERS, Store, new_id

TABLES = ("detections", "message_vectors", "inline_trackers")


def register_inline(
    db: Any, conversation_seq: int, trackers: list[dict[str, Any]]
) -> dict[str, str]:
    """{name: id} for a job's inline trackers: the id the conversation already gave that name,
    else a new one; the stored vocabulary becomes the job's."""
    ids = {}
    for tracker in trackers:
        row = db.execute(
            "SELECT id FROM inline_trackers WHERE conversation_seq = ? AND name = ?",
            (conversation_seq, tracker["name"]),
        ).fetchone()
        vocabulary = orjson.dumps(tracker["vocabulary"]).decode()
        if row is None:
            ids[tracker["name"]] = new_id()
            db.execute(
                "INSERT INTO inline_trackers (conversation_seq, name, id, vocabulary) "
                "VALUES (?, ?, ?, ?)",
                (conversation_seq, tracker["name"], ids[tracker["name"]], vocabulary),
            )
        else:
            ids[tracker["name"]] = row["id"]
            db.execute(
                "UPDATE inline_trackers SET vocabulary = ? WHERE conversation_seq = ? AND name = ?",
                (vocabulary, conversation_seq, tracker["name"]),
            )
    return ids


def save_message(
    db: Any,
    conversation_seq: int,
    message_seq: int,
    message: dict[str, Any],
    inline: dict[str, str],
) -> None:
    """A stored message's vectors and detections (from detection.annotate), when it has them."""
    if "vectors" not in message:
        return
    db.execute(
        "INSERT INTO message_vectors (message_seq, conversation_seq, all_trackers, units, vectors) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            message_seq,
            conversation_seq,
            int(message["allTrackers"]),
            len(message["vectors"]),
            to_blob(message["vectors"]),
        ),
    )
    for found in message["detections"]:
        tracker_id = inline[found["tracker"]] if found["inline"] else found["tracker"]
        insert_detections(db, conversation_seq, message_seq, tracker_id, found)


def insert_detections(
    db: Any, conversation_seq: int, message_seq: int, tracker_id: str, found: dict[str, Any]
) -> None:
    """One detection row (`found` from detection.detection_rows)."""
    db.execute(
        "INSERT INTO detections (conversation_seq, message_seq, tracker_id, inline, phrase, "
        "score, char_offset) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            conversation_seq,
            message_seq,
            tracker_id,
            int(found["inline"]),
            found["phrase"],
            found["score"],
            found["offset"],
        ),
    )


def delete_conversation(db: Any, conversation_seq: int) -> None:
    for table in TABLES:
        db.execute(f"DELETE FROM {table} WHERE conversation_seq = ?", (conversation_seq,))  # noqa: S608


def trackers_detected(store: Store, db: Any, conversation_seq: int) -> list[dict[str, Any]]:
    """The documented answer: [{"id", "name", "matches": [{"type": "vocabulary", "value",
    "messageRefs": [{"id", "text", "offset"}], "insightRefs": []}]}], trackers in the order
    of their first detection, phrases likewise, message refs in message order. An account
    tracker deleted since is left out; names are the trackers' current ones."""
    names = {tracker["id"]: tracker["name"] for tracker in store.objects(TRACKERS)}
    inline = {
        row["id"]: row["name"]
        for row in db.execute(
            "SELECT id, name FROM inline_trackers WHERE conversation_seq = ?", (conversation_seq,)
        )
    }
    rows = db.execute(
        "SELECT d.tracker_id, d.inline, d.phrase, d.char_offset, m.id, m.text "
        "FROM detections d JOIN messages m ON m.seq = d.message_seq "
        "WHERE d.conversation_seq = ? ORDER BY d.message_seq, d.tracker_id",
        (conversation_seq,),
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        tracker_id = row["tracker_id"]
        name = (inline if row["inline"] else names).get(tracker_id)
        if name is None:
            continue
        tracker = found.setdefault(tracker_id, {"id": tracker_id, "name": name, "matches": {}})
        phrase = tracker["matches"].setdefault(
            row["phrase"],
            {"type": "vocabulary", "value": row["phrase"], "messageRefs": [], "insightRefs": []},
        )
        phrase["messageRefs"].append(
            {"id": row["id"], "text": row["text"], "offset": row["char_offset"]}
        )
    return [{**tracker, "matches": list(tracker["matches"].values())} for tracker in found.values()]
