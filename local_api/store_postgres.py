"""Local Management API server: storage in PostgreSQL, behind the same interface as store.Store.

For running the system of record as several instances (processes or hosts) on one database:
`run_management_api --database postgres://...` or SYMBL_LOCAL_API_DATABASE_URL. One database
per account, like one SQLite file per account; the tables are the SQLite ones (same columns,
JSON lists as text, ISO stamps as text), so the queries in store.Store serve both: this
module only swaps the connection, the transactions, the schema and the write lock.

- Connections: one per thread and process (autocommit; `transaction()` opens explicit ones).
- Every write transaction first takes a transaction-scoped advisory lock, so writes are
  serialised exactly as SQLite's BEGIN IMMEDIATE serialises them (a name check and its insert,
  or a count and the insert it allows, can never interleave with another instance's).
- The tracker write lock is a session-level `pg_try_advisory_lock`: a second create/update
  on any instance answers 429 at once, and PostgreSQL releases the lock if the holder's
  connection dies, so a crash never wedges it.
- Schema: created on open (under the same advisory lock, so instances starting together
  agree); a column added later is one entry in its Table's `added`, applied with
  ADD COLUMN IF NOT EXISTS.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg.rows import dict_row

from local_api.plumbing import ApiError
from local_api.store import GROUPS, TRACKERS, Store, index_revisions, quoted, seed_revisions
from local_api.write_lock import Busy

CONNECT_TIMEOUT_SECONDS = 10
NUL_REFUSED = "Text fields cannot contain the character U+0000 (null) on this server."

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS trackers (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,   -- deterministic collation: names are case-sensitive
        vocabulary TEXT NOT NULL,    -- JSON list, in the order given
        created_on TEXT NOT NULL,
        updated_on TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS groups (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL,
        criteria TEXT NOT NULL,
        created_on TEXT NOT NULL,
        updated_on TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS tokens (
        token_hash TEXT PRIMARY KEY,
        expires_at DOUBLE PRECISION NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS revisions (
        name TEXT PRIMARY KEY,
        epoch TEXT NOT NULL,
        n BIGINT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS removed (
        tbl TEXT NOT NULL,
        id TEXT NOT NULL,
        rev BIGINT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS removed_by_rev ON removed (tbl, rev)",
)


def advisory_key(purpose: str) -> int:
    """A signed 64-bit advisory lock key for one purpose (advisory locks are per database)."""
    digest = hashlib.blake2b(f"symbl-local-api:{purpose}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


WRITES_KEY = advisory_key("writes")
TRACKER_WRITE_KEY = advisory_key("tracker-write")


class Connection:
    """A psycopg connection that speaks the SQLite module's dialect: `?` placeholders."""

    def __init__(self, url: str) -> None:
        self.raw = psycopg.connect(
            url, autocommit=True, row_factory=dict_row, connect_timeout=CONNECT_TIMEOUT_SECONDS
        )

    @property
    def usable(self) -> bool:
        return not (self.raw.closed or self.raw.broken)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> psycopg.Cursor[Any]:
        """Run one statement.

        Raises:
            ApiError: 400 for a text value with U+0000, which PostgreSQL text cannot hold
                (SQLite stores it; JSON list columns escape it and are unaffected).
        """
        # Our statements never contain a literal "?" or "%": placeholders are the only ones.
        try:
            return self.raw.execute(sql.replace("?", "%s"), params)
        except psycopg.DataError as error:
            if "NUL" not in str(error):
                raise
            raise ApiError(400, NUL_REFUSED) from None


class PostgresWriteLock:
    """One tracker write at a time per account, across every instance (non-blocking)."""

    def __init__(self, store: PostgresStore) -> None:
        self._store = store

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock for the block.

        Raises:
            Busy: someone else holds it right now.
        """
        db = self._store._connection()
        got = db.execute("SELECT pg_try_advisory_lock(?) AS got", (TRACKER_WRITE_KEY,)).fetchone()
        if not got["got"]:
            raise Busy
        try:
            yield
        finally:
            # A broken connection has already lost the lock along with its session.
            with contextlib.suppress(psycopg.Error):
                db.execute("SELECT pg_advisory_unlock(?)", (TRACKER_WRITE_KEY,))


class PostgresStore(Store):
    """Trackers, groups and tokens of one account in one PostgreSQL database."""

    def __init__(self, url: str) -> None:  # noqa: D107 - Store.__init__ opens a file instead
        self.path = url
        self.write_lock = PostgresWriteLock(self)
        self._local = threading.local()
        self._listings = {}
        with self.transaction() as db:
            for statement in _SCHEMA:
                db.execute(statement)
            self._migrate(db)

    def _connection(self) -> Connection:  # type: ignore[override]
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid() and conn.usable:
            return conn
        conn = Connection(self.path)
        self._local.conn = conn
        self._local.pid = os.getpid()
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:  # type: ignore[override]
        """A write transaction, one at a time per database: committed on success, rolled back
        on error."""
        db = self._connection()
        with db.raw.transaction():
            db.execute("SELECT pg_advisory_xact_lock(?)", (WRITES_KEY,))
            yield db

    @staticmethod
    def _migrate(db: Connection) -> None:  # type: ignore[override]
        """Add the columns an earlier schema lacks (each Table's `added`)."""
        added_rev = False
        for table in (TRACKERS, GROUPS):
            present = {
                row["column_name"]
                for row in db.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = ?",
                    (table.name,),
                ).fetchall()
            }
            for column, declaration in table.added:
                if column not in present:
                    db.execute(
                        f"ALTER TABLE {table.name} ADD COLUMN IF NOT EXISTS {quoted(column)} "
                        f"{declaration}"
                    )
                    added_rev |= column == "rev"
        seed_revisions(db)
        index_revisions(db, added_rev)

    def close(self) -> None:
        """Close this thread's connection (tests; a server simply exits)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.raw.close()
            self._local.conn = None
