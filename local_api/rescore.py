"""Local Management API server: keeping the account's trackers' detections current (an extension).

The hosted service froze detections when it processed a conversation; this server brings an
account tracker's detections on stored conversations up to date when the tracker is created,
changed or deleted (inline trackers stay as processed). It follows the trackers' revision feed
(store.revision and changes.changed_since, which every tracker write moves in its own
transaction): the job worker (jobs.Worker) compares the trackers' revision with the one it
last scheduled from (`rescore_cursor`) and, when it moved, adds one `rescore_jobs` row per
tracker written or deleted since (a scheduled one for the same tracker already covers it).
Any write path counts: single, bulk, PUT, PATCH, DELETE, a restore (a new epoch: every
tracker is re-scored and detections of trackers no longer there are dropped).

A rescore job re-scores one tracker on every stored message whose job enabled the account's
trackers (a worker claims up to CLAIMED waiting jobs and scores their trackers in one pass),
from the stored float16 vectors (candidates.detect_rows: detection.detect on the messages that
could be caught; only the tracker's phrases go to the model), BATCH messages per
transaction, with its progress (`done` of `total`) visible at
GET /v1/x/trackers/{id}/rescores. A deleted tracker's detections are simply dropped. Claims,
heartbeats and attempts work as for text jobs (jobs.py).

A text job that read the trackers before a change and completes after it adds rescore jobs
for the trackers changed in between (JobQueue.complete calls `catch_up`), so its messages are
re-scored after they are stored.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from local_api import candidates, detection
from local_api.changes import changed_since
from local_api.conversation_store import ConversationStore
from local_api.detection_store import insert_detections
from local_api.store import TRACKERS
from symbl_admin.contract import JOB_MAX_ATTEMPTS
from symbl_admin.matching import TrackerInput

BATCH = 2000  # messages per transaction: about 1.5 MB of float16 vectors
LISTED = 20  # rescore jobs listed per tracker, newest first
CLAIMED = 50  # rescore jobs run together (a bulk create of 500 trackers: 10 passes, not 500)
DIED = "The worker re-scoring it stopped answering (its heartbeat went stale)."


def _cursor(db: Any) -> tuple[str, int] | None:
    row = db.execute("SELECT epoch, n FROM rescore_cursor WHERE name = 'trackers'").fetchone()
    return None if row is None else (row["epoch"], row["n"])


def _revision(db: Any) -> tuple[str, int]:
    row = db.execute("SELECT epoch, n FROM revisions WHERE name = ?", (TRACKERS.name,)).fetchone()
    return (row["epoch"], row["n"])


def behind(db: Any) -> bool:
    """Whether a tracker write has not been scheduled from yet."""
    return _cursor(db) != _revision(db)


def add_job(db: Any, tracker_id: str) -> None:
    """A rescore job for the tracker, unless one is already waiting to start."""
    waiting = db.execute(
        "SELECT 1 FROM rescore_jobs WHERE tracker_id = ? AND status = 'scheduled'", (tracker_id,)
    ).fetchone()
    if waiting is None:
        db.execute(
            "INSERT INTO rescore_jobs (id, tracker_id, status, attempts, done, total, reason, "
            "created) VALUES (?, ?, 'scheduled', 0, 0, 0, '', ?)",
            (secrets.token_hex(8), tracker_id, time.time()),
        )


def schedule(conversations: ConversationStore) -> bool:
    """Add rescore jobs for the trackers written or deleted since the cursor; True if any
    were added. Idle, it is two plain reads (no write lock)."""
    read = conversations._read()
    if _cursor(read) == _revision(read):
        return False
    with conversations.store.transaction() as db:
        cursor, now = _cursor(db), _revision(db)
        if cursor == now:
            return False
        if cursor is None:  # a new store: what exists was detected when processed
            ids: list[str] = []
        elif cursor[0] != now[0]:  # a restore: the revisions started again
            ids = [row["id"] for row in db.execute("SELECT id FROM trackers")]
            ids += [
                row["tracker_id"]
                for row in db.execute("SELECT DISTINCT tracker_id FROM detections WHERE inline = 0")
            ]
        else:
            ids = catch_up(db, cursor[1], schedule_jobs=False)
        for tracker_id in dict.fromkeys(ids):
            add_job(db, tracker_id)
        db.execute("DELETE FROM rescore_cursor WHERE name = 'trackers'")
        db.execute("INSERT INTO rescore_cursor (name, epoch, n) VALUES ('trackers', ?, ?)", now)
    return bool(ids)


def catch_up(db: Any, since: int, *, schedule_jobs: bool = True) -> list[str]:
    """The trackers written or deleted after revision `since` (rescore jobs added for them
    unless `schedule_jobs` is False)."""
    written, deleted = changed_since(_Reader(db), TRACKERS, since)
    ids = [tracker["id"] for tracker in written] + deleted
    if schedule_jobs:
        for tracker_id in dict.fromkeys(ids):
            add_job(db, tracker_id)
    return ids


def changed_during(db: Any, read: tuple[str, int]) -> None:
    """A text job read the trackers at revision `read` and completes now: rescore jobs for
    the trackers changed in between (a new epoch is the scheduler's to handle)."""
    now = _revision(db)
    if now[0] == read[0] and now[1] > read[1]:
        catch_up(db, read[1])


class _Reader:
    """changed_since reads through store._read(); here, through the open transaction."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def _read(self) -> Any:
        return self._db


# -- running ------------------------------------------------------------------------------


def claim(conversations: ConversationStore, stale_seconds: float) -> dict[str, Any] | None:
    """The oldest rescore jobs to run (at most CLAIMED, run together: one pass over the
    stored messages scores all their trackers), now held by the caller; None: none."""
    now = time.time()
    waiting = conversations._read().execute(
        "SELECT 1 FROM rescore_jobs WHERE status = 'scheduled' OR "
        "(status = 'in_progress' AND heartbeat < ?) LIMIT 1",
        (now - stale_seconds,),
    )
    if waiting.fetchone() is None:
        return None
    token = secrets.token_hex(8)
    held: list[tuple[int, str]] = []
    with conversations.store.transaction() as db:
        rows = db.execute(
            "SELECT * FROM rescore_jobs WHERE status = 'scheduled' OR "
            "(status = 'in_progress' AND heartbeat < ?) ORDER BY seq LIMIT ?",
            (now - stale_seconds, CLAIMED),
        ).fetchall()
        for row in rows:
            if row["attempts"] >= JOB_MAX_ATTEMPTS:
                db.execute(
                    "UPDATE rescore_jobs SET status = 'failed', reason = ?, claimed_by = NULL "
                    "WHERE seq = ?",
                    (f"{DIED} Gave up after {row['attempts']} attempts.", row["seq"]),
                )
                continue
            db.execute(
                "UPDATE rescore_jobs SET status = 'in_progress', attempts = attempts + 1, "
                "claimed_by = ?, heartbeat = ?, done = 0 WHERE seq = ?",
                (token, now, row["seq"]),
            )
            held.append((row["seq"], row["tracker_id"]))
    if not held:
        return None
    return {"seqs": [seq for seq, _ in held], "trackers": [t for _, t in held], "token": token}


def _held(db: Any, job: dict[str, Any]) -> bool:
    """Whether the caller still holds every job it claimed."""
    row = db.execute(
        "SELECT COUNT(*) AS n FROM rescore_jobs WHERE claimed_by = ?", (job["token"],)
    ).fetchone()
    return row["n"] == len(job["seqs"])


def _finish(
    conversations: ConversationStore, job: dict[str, Any], status: str, reason: str
) -> None:
    with conversations.store.transaction() as db:
        for seq in job["seqs"]:
            final = status
            if status == "scheduled":  # a failed attempt: retried unless it was the last
                row = db.execute("SELECT attempts FROM rescore_jobs WHERE seq = ?", (seq,))
                if row.fetchone()["attempts"] >= JOB_MAX_ATTEMPTS:
                    final = "failed"
            db.execute(
                "UPDATE rescore_jobs SET status = ?, reason = ?, claimed_by = NULL "
                "WHERE seq = ? AND claimed_by = ?",
                (final, reason, seq, job["token"]),
            )


def _engines(conversations: ConversationStore, job: dict[str, Any]) -> list[TrackerInput]:
    """The claimed trackers that still exist, as the engine takes them; the others' detections
    are dropped now."""
    engines, gone = [], []
    for tracker_id in dict.fromkeys(job["trackers"]):  # a tracker claimed twice scores once
        tracker = conversations.store.object(TRACKERS, tracker_id)
        if tracker is None:
            gone.append(tracker_id)
            continue
        engines.append(
            TrackerInput(
                id=tracker["id"],
                name=tracker["name"],
                phrases=tuple(tracker["vocabulary"]),
                ignored=tuple(tracker.get("excludeVocabulary") or ()),
            )
        )
    with conversations.store.transaction() as db:
        if _held(db, job):
            for tracker_id in gone:
                db.execute(
                    "DELETE FROM detections WHERE tracker_id = ? AND inline = 0", (tracker_id,)
                )
    return engines


def run(conversations: ConversationStore, job: dict[str, Any]) -> None:
    """Re-score the claimed trackers on every stored message that takes the account's
    trackers, BATCH messages per transaction; a tracker gone has its detections dropped."""
    engines = _engines(conversations, job)
    read = conversations._read()
    total = read.execute(
        "SELECT COUNT(*) AS n FROM message_vectors WHERE all_trackers = 1"
    ).fetchone()["n"]
    after, done = -1, 0
    while engines:
        rows = read.execute(
            "SELECT v.message_seq, v.conversation_seq, v.units, v.vectors, m.text "
            "FROM message_vectors v JOIN messages m ON m.seq = v.message_seq "
            "WHERE v.all_trackers = 1 AND v.message_seq > ? ORDER BY v.message_seq LIMIT ?",
            (after, BATCH),
        ).fetchall()
        if not rows:
            break
        caught = candidates.detect_rows(rows, engines)  # detect's answer, on candidates only
        done += len(rows)
        with conversations.store.transaction() as db:
            if not _held(db, job):
                return  # another worker took them over: it starts again
            _replace(db, engines, rows, caught)
            db.execute(
                "UPDATE rescore_jobs SET done = ?, total = ?, heartbeat = ? WHERE claimed_by = ?",
                (done, max(total, done), time.time(), job["token"]),
            )
        after = rows[-1]["message_seq"]
    _finish(conversations, job, "completed", "")


def _replace(db: Any, engines: list[TrackerInput], rows: list[Any], caught: list[Any]) -> None:
    """The trackers' detections on a batch of messages, replaced by the new ones."""
    span = (rows[0]["message_seq"], rows[-1]["message_seq"])
    for engine in engines:
        db.execute(
            "DELETE FROM detections WHERE tracker_id = ? AND inline = 0 "
            "AND message_seq >= ? AND message_seq <= ?",
            (engine.id, *span),
        )
    for row, matches in zip(rows, caught, strict=True):
        for found in detection.detection_rows(matches):
            insert_detections(
                db, row["conversation_seq"], row["message_seq"], found["tracker"], found
            )
    for engine in engines:  # a conversation deleted since the batch was read leaves none
        db.execute(
            "DELETE FROM detections WHERE tracker_id = ? AND inline = 0 AND message_seq >= ? "
            "AND message_seq <= ? AND message_seq NOT IN (SELECT seq FROM messages "
            "WHERE seq >= ? AND seq <= ?)",
            (engine.id, *span, *span),
        )


def run_one(conversations: ConversationStore, stale_seconds: float) -> bool:
    """Schedule what the trackers' feed calls for, then claim and run the oldest rescore
    jobs; False when there were none."""
    schedule(conversations)
    job = claim(conversations, stale_seconds)
    if job is None:
        return False
    try:
        run(conversations, job)
    except Exception as error:  # recorded on the jobs, as a text job's failure is
        _finish(conversations, job, "scheduled", f"{type(error).__name__}: {error}")
    return True


def listed(conversations: ConversationStore, tracker_id: str) -> list[dict[str, Any]]:
    """A tracker's rescore jobs, newest first (at most LISTED)."""
    rows = conversations._read().execute(
        "SELECT id, tracker_id, status, done, total, reason FROM rescore_jobs "
        "WHERE tracker_id = ? ORDER BY seq DESC LIMIT ?",
        (tracker_id, LISTED),
    )
    return [
        {
            "id": row["id"],
            "trackerId": row["tracker_id"],
            "status": row["status"],
            "done": row["done"],
            "total": row["total"],
            **({"reason": row["reason"]} if row["reason"] else {}),
        }
        for row in rows
    ]
