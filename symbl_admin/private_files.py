"""Owner-only data files and folders: var/, the SQLite databases, audit checkpoints.

Every process that writes data (make run, gunicorn in the image, manage.py, the standalone
Management API) goes through settings, the local API's store or the audit checkpoints, and
those call these helpers:

- folders are created 0700, files 0600, from the first byte (whatever the umask);
- an SQLite database file is created 0600 before SQLite opens it: SQLite gives its -wal,
  -shm and -journal files the database file's own mode, so they follow;
- what an older version left readable by others (a 0644 database, a 0755 var/) is tightened
  at start: group and other bits dropped, the owner's kept. Symbolic links are left alone.

Not a process umask: that would also make what these processes write for others unreadable
(collectstatic's files, which the image builds as one user and serves as another).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def tighten(path: str | os.PathLike[str]) -> None:
    """Drop group and other permissions from `path` if it exists (not through a symlink)."""
    with contextlib.suppress(FileNotFoundError):
        mode = os.lstat(path).st_mode
        if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & 0o700)


def private_dir(path: str | os.PathLike[str], *, children: bool = False) -> Path:
    """Create the folder `path` 0700 (its missing parents too), or tighten it; with
    `children`, also every file and folder directly in it. Returns it as a Path."""
    folder = Path(path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    tighten(folder)
    if children:
        for entry in os.scandir(folder):
            tighten(entry.path)
    return folder


def create_private(path: str | os.PathLike[str], flags: int) -> int:
    """os.open(path, flags | O_CREAT, 0o600), tightening a file that already existed: the
    descriptor of an owner-only file."""
    fd = os.open(path, flags | os.O_CREAT | os.O_CLOEXEC, 0o600)
    tighten(path)
    return fd


def sqlite_file(path: str | os.PathLike[str]) -> None:
    """Make the SQLite database at `path` owner-only before it is opened (module docstring).
    ":memory:" and "file:" URIs are left alone."""
    name = os.fspath(path)
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    os.close(create_private(name, os.O_RDONLY))
    for suffix in SQLITE_COMPANIONS:
        tighten(name + suffix)


def write_private(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` to `path` (replacing it), the file owner-only."""
    fd = create_private(path, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
