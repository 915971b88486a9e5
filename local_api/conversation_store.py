"""Local Management API server: conversations, their metadata and messages, in the server's store.

Beside the trackers and groups of store.Store, in the same SQLite file or PostgreSQL database
(never the dashboard's), through the same connections and write transactions; only the
schema differs per database (conversation_schema.py). Jobs live here too (jobs.py claims them).

- conversations: one row per conversation; `processed` turns 1 when its first job completes
  (until then its messages answer 404 "still being processed").
- conversation_metadata: one row per key, with the value's number and instant beside it, so
  criteria compare typed values through an index (membership.py).
- messages: one row per sentence, in order; their vectors and tracker detections are
  detection_store.py's tables, written and deleted with them.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson

from local_api import detection_store
from local_api.conversation_rules import ListQuery
from local_api.conversation_schema import create_schema
from local_api.membership import Probe, as_instant, as_number, where
from local_api.store import Store, is_database_url, new_id, now_iso

#: A row found through a set costs about this many rows read in page order (measured).
SET_ROW_COST = 3
COLUMNS = "c.id, c.type, c.name, c.start_time, c.end_time, c.members, c.metadata"


def conversation_row(row: Any) -> dict[str, Any]:
    """A stored conversation as the API shows it."""
    return {
        "id": row["id"],
        "type": row["type"],
        "name": row["name"],
        "startTime": row["start_time"],
        "endTime": row["end_time"],
        "members": orjson.loads(row["members"]),
        "metadata": orjson.loads(row["metadata"]),
    }


def members_of(messages: list[dict[str, Any]], known: list[dict[str, str]]) -> list[dict[str, str]]:
    """The conversation's members: each distinct speaker, as {"name", "email"} (the userId)."""
    found = list(known)
    for message in messages:
        speaker = message["from"]
        member = {
            k: v for k, v in (("name", speaker.get("name")), ("email", speaker.get("userId"))) if v
        }
        if member and member not in found:
            found.append(member)
    return found


def span(messages: list[dict[str, Any]]) -> tuple[str, str]:
    """(startTime, endTime): the first message's start and the last one's end, else now."""
    now = now_iso()
    return (messages[0]["startTime"] or now, messages[-1]["endTime"] or now)


def epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC).timestamp()


class ConversationStore:
    """The conversation tables of one store (SQLite or PostgreSQL)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.postgres = is_database_url(store.path)
        self.on_enqueue: list[Callable[[], None]] = []  # wakes this process's worker
        with store.transaction() as db:
            create_schema(db, postgres=self.postgres)
            # Rescoring follows tracker writes from here on (rescore.schedule): what exists
            # now was detected when processed. Set before any job runs, so a write between a
            # job and the worker's first schedule is never taken for the starting point.
            db.execute(
                "INSERT INTO rescore_cursor (name, epoch, n) SELECT 'trackers', epoch, n "
                "FROM revisions WHERE name = 'trackers' ON CONFLICT (name) DO NOTHING"
            )

    @classmethod
    def of(cls, store: Store) -> ConversationStore:
        """The store's conversation tables, opened once per store object."""
        found = getattr(store, "_conversations", None)
        if found is None:
            found = cls(store)
            store._conversations = found  # type: ignore[attr-defined]
        return found

    def _read(self) -> Any:
        return self.store._read()

    # -- writes ---------------------------------------------------------------------------

    def create(self, job: dict[str, Any], idempotency_key: str = "") -> tuple[dict[str, str], bool]:
        """A new conversation and its first job, in one transaction: ({"conversationId",
        "jobId"}, created). With an Idempotency-Key already used, the first answer instead."""
        with self.store.transaction() as db:
            if idempotency_key:
                row = db.execute(
                    "SELECT id, conversation_id FROM jobs WHERE idempotency_key = ?",
                    (idempotency_key,),
                ).fetchone()
                if row:
                    return {"conversationId": row["conversation_id"], "jobId": row["id"]}, False
            conversation_id = self._unused_id(db)
            start, end = span(job["messages"])
            seq = db.execute(
                "INSERT INTO conversations (id, name, type, start_time, end_time, start_epoch, "
                "end_epoch, members, metadata, created, processed) "
                "VALUES (?, ?, 'text', ?, ?, ?, ?, ?, ?, ?, 0) RETURNING seq",
                (
                    conversation_id,
                    job["name"] or conversation_id,
                    start,
                    end,
                    epoch(start),
                    epoch(end),
                    orjson.dumps(members_of(job["messages"], [])).decode(),
                    orjson.dumps(job["metadata"] or {}).decode(),
                    now_iso(),
                ),
            ).fetchone()["seq"]
            self._write_metadata(db, seq, job["metadata"] or {})
            job_id = self._enqueue(db, conversation_id, job, idempotency_key)
        return {"conversationId": conversation_id, "jobId": job_id}, True

    def append(self, conversation_id: str, job: dict[str, Any]) -> dict[str, str] | None:
        """A job appending messages to a conversation (None: no such conversation). Metadata
        in the body is merged into the conversation's now (its keys replace the same keys)."""
        with self.store.transaction() as db:
            row = self._row(db, conversation_id)
            if row is None:
                return None
            if job["metadata"]:
                merged = {**orjson.loads(row["metadata"]), **job["metadata"]}
                self._set_metadata(db, row["seq"], conversation_id, merged)
            job_id = self._enqueue(db, conversation_id, job, "")
        return {"conversationId": conversation_id, "jobId": job_id}

    def set_metadata(self, conversation_id: str, metadata: dict[str, str]) -> bool:
        with self.store.transaction() as db:
            row = self._row(db, conversation_id)
            if row is None:
                return False
            self._set_metadata(db, row["seq"], conversation_id, metadata)
        return True

    def delete(self, conversation_id: str) -> bool:
        with self.store.transaction() as db:
            row = self._row(db, conversation_id)
            if row is None:
                return False
            detection_store.delete_conversation(db, row["seq"])
            for table in ("messages", "conversation_metadata"):
                db.execute(f"DELETE FROM {table} WHERE conversation_seq = ?", (row["seq"],))  # noqa: S608
            db.execute("DELETE FROM jobs WHERE conversation_id = ?", (conversation_id,))
            db.execute("DELETE FROM conversations WHERE seq = ?", (row["seq"],))
        return True

    def add_messages(
        self,
        db: Any,
        conversation_id: str,
        messages: list[dict[str, Any]],
        inline: list[dict[str, Any]] | None = None,
    ) -> bool:
        """Store a job's sentences (in its transaction), with their vectors and detections
        when they have them (`inline`: the job's inline trackers), and mark the conversation
        processed; its end time and members grow with an append. False: it is gone."""
        row = self._row(db, conversation_id)
        if row is None:
            return False
        inline_ids = detection_store.register_inline(db, row["seq"], inline or [])
        for message in messages:
            message_seq = db.execute(
                "INSERT INTO messages (id, conversation_seq, text, speaker, start_time, end_time) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
                (
                    self._unused_message_id(db),
                    row["seq"],
                    message["text"],
                    orjson.dumps(message["from"]).decode(),
                    message["startTime"],
                    message["endTime"],
                ),
            ).fetchone()["seq"]
            detection_store.save_message(db, row["seq"], message_seq, message, inline_ids)
        members = members_of(messages, orjson.loads(row["members"]))
        end = row["end_time"]
        if row["processed"] and messages and messages[-1]["endTime"] > end:
            end = messages[-1]["endTime"]
        db.execute(
            "UPDATE conversations SET processed = 1, members = ?, end_time = ?, end_epoch = ? "
            "WHERE seq = ?",
            (orjson.dumps(members).decode(), end, epoch(end), row["seq"]),
        )
        return True

    def _set_metadata(
        self, db: Any, seq: int, conversation_id: str, metadata: dict[str, str]
    ) -> None:
        db.execute(
            "UPDATE conversations SET metadata = ? WHERE seq = ?",
            (orjson.dumps(metadata).decode(), seq),
        )
        db.execute("DELETE FROM conversation_metadata WHERE conversation_seq = ?", (seq,))
        self._write_metadata(db, seq, metadata)

    @staticmethod
    def _write_metadata(db: Any, seq: int, metadata: dict[str, str]) -> None:
        for key, value in metadata.items():
            db.execute(
                "INSERT INTO conversation_metadata (conversation_seq, key, value, num, instant) "
                "VALUES (?, ?, ?, ?, ?)",
                (seq, key, value, as_number(value), as_instant(value)),
            )

    @staticmethod
    def _enqueue(db: Any, conversation_id: str, job: dict[str, Any], key: str) -> str:
        job_id = secrets.token_hex(16)
        job_id = f"{job_id[:8]}-{job_id[8:12]}-{job_id[12:16]}-{job_id[16:20]}-{job_id[20:]}"
        db.execute(
            "INSERT INTO jobs (id, conversation_id, status, attempts, reason, payload, created, "
            "idempotency_key) VALUES (?, ?, 'scheduled', 0, '', ?, ?, ?)",
            (job_id, conversation_id, orjson.dumps(job).decode(), time.time(), key or None),
        )
        return job_id

    def _unused_id(self, db: Any) -> str:
        while True:
            candidate = new_id()
            if not db.execute("SELECT 1 FROM conversations WHERE id = ?", (candidate,)).fetchone():
                return candidate

    @staticmethod
    def _unused_message_id(db: Any) -> str:
        while True:
            candidate = new_id()
            if not db.execute("SELECT 1 FROM messages WHERE id = ?", (candidate,)).fetchone():
                return candidate

    # -- reads ----------------------------------------------------------------------------

    @staticmethod
    def _row(db: Any, conversation_id: str) -> Any:
        return db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()

    def get(self, conversation_id: str) -> dict[str, Any] | None:
        row = self._row(self._read(), conversation_id)
        return conversation_row(row) if row else None

    def trackers_detected(self, conversation_id: str) -> list[dict[str, Any]]:
        """The documented trackers-detected answer (detection_store.trackers_detected)."""
        db = self._read()
        row = self._row(db, conversation_id)
        return [] if row is None else detection_store.trackers_detected(self.store, db, row["seq"])

    def processed(self, conversation_id: str) -> bool | None:
        """Whether its first job completed (None: no such conversation)."""
        row = self._row(self._read(), conversation_id)
        return None if row is None else bool(row["processed"])

    def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        rows = self._read().execute(
            "SELECT m.id, m.text, m.speaker, m.start_time, m.end_time FROM messages m "
            "JOIN conversations c ON c.seq = m.conversation_seq WHERE c.id = ? ORDER BY m.seq",
            (conversation_id,),
        )
        return [
            {
                "id": row["id"],
                "text": row["text"],
                "from": orjson.loads(row["speaker"]),
                "startTime": row["start_time"],
                "endTime": row["end_time"],
                "conversationId": conversation_id,
            }
            for row in rows
        ]

    def query(self, query: ListQuery, criteria: list[Any] = ()) -> list[dict[str, Any]]:
        """A page of the conversations in the query's window that every criteria node (a
        group's, the filter) selects, in the query's order."""
        return self._page(query, *self._where(query, criteria, probe=self._prober(query, criteria)))

    def count(self, query: ListQuery, criteria: list[Any] = ()) -> int:
        return self._count(*self._where(query, criteria))

    def search(self, query: ListQuery, text: str, key: str) -> tuple[list[dict[str, Any]], int]:
        """Conversations whose name or a metadata value contains `text` (any case), and that
        have the metadata key `key` when given: (a page, the total)."""
        sql, params = self._where(query, [])
        if text:
            escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            sql += (
                " AND (lower(c.name) LIKE ? ESCAPE '\\' OR c.seq IN (SELECT s.conversation_seq "
                "FROM conversation_metadata s WHERE lower(s.value) LIKE ? ESCAPE '\\'))"
            )
            params += [f"%{escaped}%"] * 2
        if key:
            sql += " AND c.seq IN (SELECT k.conversation_seq FROM conversation_metadata k WHERE k.key = ?)"
            params.append(key)
        return self._page(query, sql, params), self._count(sql, params)

    # The WHERE clauses below are built from our own fragments (membership.py's, the ones
    # above); every value from a request is a `?` parameter.

    def _page(self, query: ListQuery, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        direction = "DESC" if query.order == "desc" else "ASC"
        order = ", ".join(f"c.{column} {direction}" for column in (*query.sort, "seq"))
        statement = f"SELECT {COLUMNS} FROM conversations c WHERE {sql} ORDER BY {order} "  # noqa: S608
        rows = self._read().execute(
            statement + "LIMIT ? OFFSET ?", (*params, query.limit, query.offset)
        )
        return [conversation_row(row) for row in rows]

    def _count(self, sql: str, params: list[Any]) -> int:
        statement = f"SELECT COUNT(*) AS n FROM conversations c WHERE {sql}"  # noqa: S608
        return int(self._read().execute(statement, tuple(params)).fetchone()["n"])

    def _prober(self, query: ListQuery, criteria: list[Any]) -> Probe:
        """A Probe for one page (membership.Probe). Reading the conversations in page order
        costs about (offset + limit) / density of them, the density being the product of the
        comparisons' (as if independent); starting from the rarest comparison's set costs its
        rows, each a few times dearer (a random row read, then a sort). The cheaper wins: the
        rarest comparison is the set to start from when it is cheaper than that scan, and
        every other comparison is a lookup per conversation."""
        top = self._read().execute("SELECT MAX(seq) AS n FROM conversations").fetchone()["n"]
        total = max(int(top or 0), 1)
        counts: dict[tuple[str, tuple[Any, ...]], int] = {}

        def count(select: str, params: list[Any]) -> str:
            statement = f"SELECT COUNT(*) AS n FROM ({select} LIMIT {total}) probe"  # noqa: S608
            row = self._read().execute(statement, tuple(params)).fetchone()
            counts[(select, tuple(params))] = int(row["n"])
            return "in"

        self._where(query, criteria, probe=count)
        if not counts:
            return count
        density = math.prod(max(n, 1) / total for n in counts.values())
        scan = (query.offset + query.limit) / density
        rarest = min(counts, key=counts.__getitem__)
        start = rarest if counts[rarest] * SET_ROW_COST < scan else None
        return lambda select, params: "in" if (select, tuple(params)) == start else "exists"

    @staticmethod
    def _where(
        query: ListQuery, criteria: list[Any], probe: Probe | None = None
    ) -> tuple[str, list[Any]]:
        parts = ["c.start_epoch >= ?", "c.end_epoch <= ?"]
        params: list[Any] = [query.start, query.end]
        for node in [*criteria, query.filter]:
            if node is not None:
                sql, more = where(node, probe)
                parts.append(f"({sql})")
                params += more
        return " AND ".join(parts), params
