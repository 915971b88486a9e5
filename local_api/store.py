"""Local Management API server: storage in its own SQLite file (never the dashboard's database),
or in PostgreSQL (store_postgres.py, the same interface; `open_store` picks one by location).

One file per account. WAL mode with synchronous=FULL, so a write that was answered survives
the process being killed; a busy timeout and BEGIN IMMEDIATE for every write, so several
worker processes can share the file. One connection per thread (and per process: a forked
worker opens its own). Rows keep creation order through an autoincrement sequence column.

The tracker write lock (`WriteLock`) is an `fcntl.flock` on a file next to the data file:
it works across threads and processes, and the kernel releases it if a process dies.

Schema changes are additive: `_SCHEMA` is the first schema, and a column added later is
listed in its table's `added` with its SQL default. Opening a file adds whatever columns it
lacks (`Store._migrate`, in one BEGIN IMMEDIATE, so workers opening it together agree), and
old rows read back with the defaults. New files go through the same path.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson

from local_api.write_lock import WriteLock, lock_path_for
from symbl_admin import private_files
from symbl_admin.contract import GROUP, TRACKER

BUSY_TIMEOUT_SECONDS = 20.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS trackers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,   -- BINARY collation: names are case-sensitive
    vocabulary TEXT NOT NULL,    -- JSON list, in the order given
    created_on TEXT NOT NULL,
    updated_on TEXT NOT NULL
    -- the later tracker fields are added by Store._migrate (TRACKERS.added)
);
CREATE TABLE IF NOT EXISTS groups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    criteria TEXT NOT NULL,
    created_on TEXT NOT NULL,
    updated_on TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,  -- sha256 of the token: the token itself is never stored
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS revisions (  -- one row per object table: see Store.listing
    name TEXT PRIMARY KEY,
    epoch TEXT NOT NULL,
    n INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS removed (  -- deleted ids and the revision that deleted them
    tbl TEXT NOT NULL,
    id TEXT NOT NULL,
    rev INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS removed_by_rev ON removed (tbl, rev);
"""


def now_iso() -> str:
    """The current UTC time as ISO 8601 with milliseconds, e.g. 2026-11-28T09:15:02.123Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    """A random 16-digit id (no leading zero), as a string."""
    return str(10**15 + secrets.randbelow(9 * 10**15))


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def seed_revisions(db: Any) -> None:
    """A revision row per object table (both backends); a new epoch for a new database, so a
    kept listing of another file at the same path never matches."""
    for table in (TRACKERS.name, GROUPS.name):
        db.execute(
            "INSERT INTO revisions (name, epoch, n) VALUES (?, ?, 0) ON CONFLICT (name) DO NOTHING",
            (table, secrets.token_hex(8)),
        )


def renew_epochs(db: Any) -> None:
    """A new epoch per object table: after a restore, whose revisions rewind, no ETag a client
    kept from before can name a different state (both backends)."""
    for table in (TRACKERS.name, GROUPS.name):
        db.execute("UPDATE revisions SET epoch = ? WHERE name = ?", (secrets.token_hex(8), table))


def bump_revision(db: Any, table: Table) -> None:
    db.execute("UPDATE revisions SET n = n + 1 WHERE name = ?", (table.name,))


# The revision a write makes, stamped on what it wrote (changes.py answers from these).
_THIS_REVISION = "(SELECT n FROM revisions WHERE name = ?)"
REV_COLUMN = ("rev", "INTEGER NOT NULL DEFAULT 0")


def index_revisions(db: Any, added_rev: bool) -> None:
    """Both backends: an index on each table's `rev`; and when the column was just added (a
    file of an earlier version), new epochs, since the rows' revisions start unknown (0)."""
    for table in (TRACKERS, GROUPS):
        db.execute(f"CREATE INDEX IF NOT EXISTS {table.name}_by_rev ON {table.name} (rev)")
    if added_rev:
        renew_epochs(db)


def quoted(column: str) -> str:
    """A column name as SQL: double-quoted, so "excludeVocabulary" keeps its case on PostgreSQL
    (SQLite matches names case-insensitively, so its earlier unquoted columns still match)."""
    return f'"{column}"'


def is_database_url(location: str) -> bool:
    """Whether a store location is a PostgreSQL URL rather than a SQLite file path."""
    return location.startswith(("postgres://", "postgresql://"))


def safe_location(location: str) -> str:
    """A store location fit for a log line: a database URL without its password."""
    if not is_database_url(location):
        return location
    parts = urlsplit(location)
    if parts.password is None:
        return location
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def open_store(location: str | os.PathLike[str]) -> Store:
    """The store at `location`: a PostgreSQL URL, or else the path of a SQLite file."""
    location = os.fspath(location)
    if is_database_url(location):
        from local_api.store_postgres import PostgresStore

        return PostgresStore(location)
    return Store(location)


@dataclass(frozen=True)
class Table:
    """Where one resource's objects live: the SQL table and its columns, which are the API's
    field names in the contract's order (JSON columns hold lists). `added`: the columns a
    data file of an earlier version lacks, each with its declaration (type and default)."""

    name: str
    columns: tuple[str, ...]
    json_columns: frozenset[str] = frozenset()
    added: tuple[tuple[str, str], ...] = ()

    def encode(self, fields: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            json.dumps(fields[c], ensure_ascii=False) if c in self.json_columns else fields[c]
            for c in self.columns
        )

    def row(self, row: sqlite3.Row) -> dict[str, Any]:
        """A stored row as the API shows it: id, the fields, then the server's stamps."""
        return {
            "id": row["id"],
            **{c: json.loads(row[c]) if c in self.json_columns else row[c] for c in self.columns},
            "createdOn": row["created_on"],
            "updatedOn": row["updated_on"],
        }


TRACKERS = Table(
    "trackers",
    (*TRACKER.names, "type"),  # the contract's fields, plus the server-set type
    json_columns=frozenset(f.name for f in TRACKER.fields if f.is_list),  # JSON lists
    added=(
        ("description", "TEXT NOT NULL DEFAULT ''"),
        ("categories", "TEXT NOT NULL DEFAULT '[]'"),  # JSON lists, like vocabulary
        ("languages", "TEXT NOT NULL DEFAULT '[]'"),
        ("excludeVocabulary", "TEXT NOT NULL DEFAULT '[]'"),
        ("type", "TEXT NOT NULL DEFAULT 'custom'"),
        REV_COLUMN,
    ),
)
GROUPS = Table("groups", GROUP.names, added=(REV_COLUMN,))


class Store:
    """Trackers, groups and tokens of one account in one SQLite file.

    Its queries (tokens, objects) are written once for both backends: `?` placeholders and
    quoted column names. store_postgres.PostgresStore reuses them and replaces only the
    connection, the transactions, the schema and the write lock.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        Path(self.path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        private_files.sqlite_file(self.path)  # 0600, and so its -wal and -shm
        self.write_lock = WriteLock(lock_path_for(self.path))
        self._local = threading.local()
        self._listings: dict[str, tuple[tuple[str, int], bytes]] = {}
        self._connection().executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")
        with self.transaction() as db:
            self._migrate(db)

    # -- connections and transactions -------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        # isolation_level=None: we issue BEGIN/COMMIT ourselves; check_same_thread stays on.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        self._local.conn = conn
        self._local.pid = os.getpid()
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        """Add the columns a file of an earlier version lacks (see the module docstring)."""
        added_rev = False
        for table in (TRACKERS, GROUPS):
            present = {row["name"] for row in db.execute(f"PRAGMA table_info({table.name})")}
            for column, declaration in table.added:
                if column not in present:
                    db.execute(
                        f"ALTER TABLE {table.name} ADD COLUMN {quoted(column)} {declaration}"
                    )
                    added_rev |= column == "rev"
        seed_revisions(db)
        index_revisions(db, added_rev)

    def _read(self) -> sqlite3.Connection:
        return self._connection()

    def _unused_id(self, db: sqlite3.Connection) -> str:
        while True:
            candidate = new_id()
            taken = db.execute(
                "SELECT 1 FROM trackers WHERE id = ? UNION ALL SELECT 1 FROM groups WHERE id = ?",
                (candidate, candidate),
            ).fetchone()
            if not taken:
                return candidate

    # -- tokens ------------------------------------------------------------------------

    def issue_token(self, ttl_seconds: int) -> str:
        """Create and remember a new access token valid for ttl_seconds."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self.transaction() as db:
            db.execute("DELETE FROM tokens WHERE expires_at <= ?", (now,))
            db.execute(
                "INSERT INTO tokens (token_hash, expires_at) VALUES (?, ?)",
                (_hash_token(token), now + ttl_seconds),
            )
        return token

    def token_valid(self, token: str) -> bool:
        """Whether a token was issued here and has not expired."""
        row = (
            self._read()
            .execute("SELECT expires_at FROM tokens WHERE token_hash = ?", (_hash_token(token),))
            .fetchone()
        )
        return row is not None and row["expires_at"] > time.time()

    # -- objects (one table per resource) ----------------------------------------------
    # Table and column names come from the Table constants above, never from a request.

    def objects(self, table: Table, *, name: str | None = None) -> list[dict[str, Any]]:
        """All objects in creation order, or those with exactly this name."""
        sql, params = f"SELECT * FROM {table.name}", ()  # noqa: S608
        if name is not None:
            sql, params = sql + " WHERE name = ?", (name,)
        rows = self._read().execute(sql + " ORDER BY seq", params).fetchall()
        return [table.row(row) for row in rows]

    def listing(self, table: Table, key: str) -> tuple[str, bytes]:
        """(ETag, JSON answer) for GET /v1/manage/{key} ({key: [...]}), encoded once per
        revision of the table: every write bumps its revision in the write's transaction, and
        the revision is read before the rows, so a kept answer is never older than its stamp
        (the ETag names the stamp)."""
        stamp = self.revision(table)
        kept = self._listings.get(table.name)
        etag = f'"{stamp[0]}-{stamp[1]}"'
        if kept and kept[0] == stamp:
            return etag, kept[1]
        body = orjson.dumps({key: self.objects(table)})
        self._listings[table.name] = (stamp, body)
        return etag, body

    @staticmethod
    def object_in(db: sqlite3.Connection, table: Table, object_id: str) -> dict[str, Any] | None:
        row = db.execute(f"SELECT * FROM {table.name} WHERE id = ?", (object_id,)).fetchone()  # noqa: S608
        return table.row(row) if row else None

    def object(self, table: Table, object_id: str) -> dict[str, Any] | None:
        return self.object_in(self._read(), table, object_id)

    def revision(self, table: Table) -> tuple[str, int]:
        """(epoch, n): the table's revision, which every write to it moves (in the write's
        transaction). What is read after it is at least that new."""
        row = (
            self._read()
            .execute("SELECT epoch, n FROM revisions WHERE name = ?", (table.name,))
            .fetchone()
        )
        return (row["epoch"], row["n"])

    @staticmethod
    def count(db: sqlite3.Connection, table: Table) -> int:
        return db.execute(f"SELECT COUNT(*) AS n FROM {table.name}").fetchone()["n"]  # noqa: S608

    @staticmethod
    def id_named(db: sqlite3.Connection, table: Table, name: str) -> str | None:
        row = db.execute(f"SELECT id FROM {table.name} WHERE name = ?", (name,)).fetchone()  # noqa: S608
        return row["id"] if row else None

    def insert(
        self, db: sqlite3.Connection, table: Table, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Store a new object with a fresh id; `fields` has every column."""
        stamp = now_iso()
        object_id = self._unused_id(db)
        columns = ", ".join(quoted(c) for c in table.columns)
        marks = ", ".join("?" for _ in table.columns)
        bump_revision(db, table)
        db.execute(
            f"INSERT INTO {table.name} (id, {columns}, created_on, updated_on, rev) "  # noqa: S608
            f"VALUES (?, {marks}, ?, ?, {_THIS_REVISION})",
            (object_id, *table.encode(fields), stamp, stamp, table.name),
        )
        created = self.object_in(db, table, object_id)
        assert created is not None
        return created

    def replace(
        self, db: sqlite3.Connection, table: Table, object_id: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Overwrite an existing object's fields and its updatedOn stamp."""
        assignments = ", ".join(f"{quoted(c)} = ?" for c in table.columns)
        bump_revision(db, table)
        db.execute(
            f"UPDATE {table.name} SET {assignments}, updated_on = ?, "  # noqa: S608
            f"rev = {_THIS_REVISION} WHERE id = ?",
            (*table.encode(fields), now_iso(), table.name, object_id),
        )
        replaced = self.object_in(db, table, object_id)
        assert replaced is not None
        return replaced

    @staticmethod
    def delete(db: sqlite3.Connection, table: Table, object_id: str) -> bool:
        bump_revision(db, table)
        db.execute(
            f"INSERT INTO removed (tbl, id, rev) SELECT ?, id, {_THIS_REVISION} "  # noqa: S608
            f"FROM {table.name} WHERE id = ?",
            (table.name, table.name, object_id),
        )
        return db.execute(f"DELETE FROM {table.name} WHERE id = ?", (object_id,)).rowcount > 0  # noqa: S608
