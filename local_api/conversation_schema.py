"""Local Management API server: the conversation tables' schema, for SQLite and PostgreSQL.

The same tables and columns on both (so one set of queries serves both); only the types
differ. On PostgreSQL the text columns that are compared or ordered use the "C" collation,
so `<`, `>` and ORDER BY compare as SQLite's BINARY does (code points), whatever the
database's locale. Created on open, in the store's write transaction.
"""

from __future__ import annotations

from typing import Any

_TABLES = """
CREATE TABLE IF NOT EXISTS conversations (
    seq {serial},
    id TEXT {c} NOT NULL UNIQUE,
    name TEXT {c} NOT NULL,
    type TEXT {c} NOT NULL,
    start_time TEXT {c} NOT NULL,
    end_time TEXT {c} NOT NULL,
    start_epoch {real} NOT NULL,
    end_epoch {real} NOT NULL,
    members TEXT NOT NULL,   -- JSON list of {{name, email}}
    metadata TEXT NOT NULL,  -- JSON object, as given (the table below indexes it)
    created TEXT NOT NULL,
    processed INTEGER NOT NULL DEFAULT 0  -- 1 once its first job completed
);
-- Page order, with the window's other bound in the index: a page reads no row it skips.
CREATE INDEX IF NOT EXISTS conversations_page ON conversations (start_epoch, seq, end_epoch);
CREATE TABLE IF NOT EXISTS conversation_metadata (
    conversation_seq {integer} NOT NULL,
    key TEXT {c} NOT NULL,
    value TEXT {c} NOT NULL,
    num {real},       -- the value as a number, when it is one
    instant {real},   -- the value as epoch seconds, when it is an ISO 8601 date
    PRIMARY KEY (conversation_seq, key)
){without_rowid};
CREATE INDEX IF NOT EXISTS conversation_metadata_value ON conversation_metadata (key, value);
-- With value last, "num IS NULL AND value > ?" (a string among numbers) is one range too.
CREATE INDEX IF NOT EXISTS conversation_metadata_num ON conversation_metadata (key, num, value);
CREATE INDEX IF NOT EXISTS conversation_metadata_instant
    ON conversation_metadata (key, instant, value);
CREATE TABLE IF NOT EXISTS messages (
    seq {serial},
    id TEXT NOT NULL UNIQUE,
    conversation_seq {integer} NOT NULL,
    text TEXT NOT NULL,
    speaker TEXT NOT NULL,  -- JSON {{name, userId}}
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_conversation ON messages (conversation_seq, seq);
CREATE TABLE IF NOT EXISTS jobs (
    seq {serial},
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL,
    status TEXT NOT NULL,           -- scheduled, in_progress, completed, failed
    attempts INTEGER NOT NULL,      -- claims so far (a dead worker's claim counts)
    reason TEXT NOT NULL,           -- why the last attempt failed
    payload TEXT NOT NULL,          -- the validated request (JSON), trackers included
    created {real} NOT NULL,
    claimed_by TEXT,                -- the claiming worker's token
    claimed_at {real},
    heartbeat {real},               -- moved by the worker while it works
    idempotency_key TEXT UNIQUE
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, seq);
CREATE INDEX IF NOT EXISTS jobs_conversation ON jobs (conversation_id);
-- Tracker detection (detection_store.py). A message's vectors: the sentence's, then its
-- parts' (symbl_admin.matching.parts), float16, computed once by the worker that split it.
CREATE TABLE IF NOT EXISTS message_vectors (
    message_seq {integer} PRIMARY KEY,
    conversation_seq {integer} NOT NULL,
    all_trackers INTEGER NOT NULL,  -- 1: its job had enableAllTrackers (the account's apply)
    units INTEGER NOT NULL,         -- rows in vectors
    vectors {blob} NOT NULL         -- units × 384 float16, row-major
);
CREATE INDEX IF NOT EXISTS message_vectors_conversation
    ON message_vectors (conversation_seq, message_seq);
-- A job's inline trackers, one id per name per conversation (stable across its jobs).
CREATE TABLE IF NOT EXISTS inline_trackers (
    conversation_seq {integer} NOT NULL,
    name TEXT {c} NOT NULL,
    id TEXT NOT NULL,
    vocabulary TEXT NOT NULL,       -- JSON list, as its latest job gave it
    PRIMARY KEY (conversation_seq, name)
);
CREATE TABLE IF NOT EXISTS detections (
    conversation_seq {integer} NOT NULL,
    message_seq {integer} NOT NULL,
    tracker_id TEXT {c} NOT NULL,
    inline INTEGER NOT NULL,        -- 1: an inline tracker's, 0: an account tracker's
    phrase TEXT NOT NULL,
    score {real} NOT NULL,
    char_offset INTEGER NOT NULL,   -- the phrase's offset in the message, -1: contextual
    PRIMARY KEY (conversation_seq, message_seq, tracker_id)
){without_rowid};
CREATE INDEX IF NOT EXISTS detections_tracker ON detections (tracker_id, message_seq);
-- Re-scoring an account tracker's detections after it changed (rescore.py).
CREATE TABLE IF NOT EXISTS rescore_jobs (
    seq {serial},
    id TEXT NOT NULL UNIQUE,
    tracker_id TEXT {c} NOT NULL,
    status TEXT NOT NULL,           -- scheduled, in_progress, completed, failed
    attempts INTEGER NOT NULL,
    done INTEGER NOT NULL,          -- messages re-scored so far, of total
    total INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created {real} NOT NULL,
    claimed_by TEXT,
    heartbeat {real}
);
CREATE INDEX IF NOT EXISTS rescore_jobs_status ON rescore_jobs (status, seq);
CREATE INDEX IF NOT EXISTS rescore_jobs_tracker ON rescore_jobs (tracker_id, seq);
CREATE TABLE IF NOT EXISTS rescore_cursor (  -- the trackers' revision last scheduled from
    name TEXT PRIMARY KEY,
    epoch TEXT NOT NULL,
    n {integer} NOT NULL
);
"""

_SQLITE = {
    "serial": "INTEGER PRIMARY KEY AUTOINCREMENT",
    "integer": "INTEGER",
    "real": "REAL",
    "blob": "BLOB",
    "c": "",
    # The rows live in the primary key's b-tree: a per-conversation lookup is one descent.
    "without_rowid": " WITHOUT ROWID",
}
_POSTGRES = {
    "serial": "BIGSERIAL PRIMARY KEY",
    "integer": "BIGINT",
    "real": "DOUBLE PRECISION",
    "blob": "BYTEA",
    "c": 'COLLATE "C"',
    "without_rowid": "",
}


def create_schema(db: Any, *, postgres: bool) -> None:
    """Create the conversation tables and indexes that are missing (one statement at a time,
    as both drivers execute them)."""
    sql = _TABLES.format(**(_POSTGRES if postgres else _SQLITE))
    for statement in sql.split(";"):
        lines = [line.split("--")[0] for line in statement.splitlines()]
        cleaned = "\n".join(lines).strip()
        if cleaned:
            db.execute(cleaned)
