"""Backup layer: how one part is copied out and back in — a SQLite file (SQLite's online
backup API), a PostgreSQL database (pg_dump / pg_restore), a folder of plain files (the audit
checkpoints) — every file and folder written readable by the owner only.

No part knows what it holds; services.py decides which parts there are and when.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

PG_SECONDS = 3600  # a dump of a large database takes a while; a hung one must still end


class PartError(Exception):
    """A part could not be copied; the message says which and why (never a password)."""


@contextlib.contextmanager
def owner_only() -> Iterator[None]:
    """Files and folders created in the block (SQLite's -wal/-shm too) are the owner's only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def private_dir(path: Path) -> Path:
    """`path` as a folder only its owner may enter (created if missing)."""
    with owner_only():
        path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def sqlite_copy(source: Path, target: Path, *, single_file: bool) -> None:
    """Copy a live SQLite database page by page (a consistent snapshot while others write).
    `single_file`: leave the copy in rollback-journal mode, one self-contained file (a backup);
    otherwise the target keeps its mode (a restore into a database that others reopen).

    Raises:
        PartError: the source is not there or not a SQLite database.
    """
    if not source.is_file():
        raise PartError(f"No SQLite database at {source}.")
    with owner_only():
        try:
            src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
            dst = sqlite3.connect(target, timeout=60)
            try:
                src.backup(dst)
                if single_file:
                    dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
                src.close()
        except sqlite3.DatabaseError as error:
            raise PartError(f"Could not copy the SQLite database {source}: {error}.") from None
    for path in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        if path.exists():
            path.chmod(0o600)


def sqlite_has_data(path: Path) -> bool:
    """Whether a SQLite file exists and holds any table.

    Raises:
        PartError: it is there but not a SQLite database.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return False
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            return tables.fetchone()[0] > 0
    except sqlite3.DatabaseError as error:
        raise PartError(f"{path} is not a SQLite database ({error}).") from None


def copy_folder(source: Path, target: Path) -> list[str]:
    """Copy the plain files of `source` (not subfolders) into `target`; their names."""
    private_dir(target)
    names = []
    for path in sorted(source.iterdir()) if source.is_dir() else ():
        if path.is_file() and not path.name.startswith("."):
            with owner_only():
                shutil.copyfile(path, target / path.name)
            (target / path.name).chmod(0o600)
            names.append(path.name)
    return names


# -- PostgreSQL ---------------------------------------------------------------------------


def postgres_program(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest of Debian's /usr/lib/postgresql/*/bin.

    Raises:
        PartError: not installed.
    """
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise PartError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and the environment that carries the password instead
    (a command line is readable by every local user; an environment is not)."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is None:
        return url, env
    env["PGPASSWORD"] = unquote(parts.password)
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc)), env


def _pg(program: str, args: list[str], url: str, what: str) -> None:
    dbname, env = _libpq(url)
    command = [postgres_program(program), *args, f"--dbname={dbname}"]
    with owner_only():
        result = subprocess.run(  # noqa: S603 - our own arguments, no shell
            command, env=env, capture_output=True, text=True, timeout=PG_SECONDS, check=False
        )
    if result.returncode:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise PartError(f"{program} failed for {what}: {last}")


def pg_dump(url: str, target: Path, *, what: str) -> None:
    """Dump a PostgreSQL database to one file (custom format: pg_restore reads it).

    Raises:
        PartError: pg_dump is missing or failed.
    """
    _pg("pg_dump", ["--format=custom", "--no-owner", "--no-acl", f"--file={target}"], url, what)
    target.chmod(0o600)


def pg_restore(source: Path, url: str, *, what: str) -> None:
    """Replace the database's objects with the dump's, in one transaction (all or nothing).

    Raises:
        PartError: pg_restore is missing or failed (nothing was changed then).
    """
    args = ["--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction"]
    _pg("pg_restore", [*args, "--exit-on-error", str(source)], url, what)


def pg_has_tables(url: str) -> bool:
    """Whether a PostgreSQL database holds any table of its own (public schema).

    Raises:
        PartError: it cannot be reached.
    """
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10) as db:
            row = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            return row.fetchone()[0] > 0
    except psycopg.Error as error:
        first = (str(error).strip().splitlines() or ["no message"])[0]
        raise PartError(f"Could not reach the database: {first}") from None
