"""Backup layer: back up and restore everything that matters, consistent with each other —
the dashboard database (users, sessions, the audit log), the local Management API's data
(trackers, groups) and the audit checkpoints.

Both copies are taken while the dashboard's write locks are held (core/locks.py, the ones
every tracker and group write takes around its audit entry and its API call), so no write
of ours is in one copy and not the other. A restore writes new ETag epochs into the
restored Management API data: its revision numbers rewind, and a client's kept ETag must
never match a different state (see local_api/store.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connections

from audit.models import AuditEntry
from local_api.store import (
    GROUPS,
    TRACKERS,
    Store,
    is_database_url,
    open_store,
    renew_epochs,
    safe_location,
)
from resources.locks import LockTimeout, write_lock
from symbl_admin.checksums import sha256
from symbl_admin.contract import GROUP, TRACKER

from . import parts
from .manifest import CHECKPOINTS_FOLDER, BackupError, Copied, Manifest, read_manifest

LOCK_SECONDS = 60.0  # longer than any one write holds the lock (the client's deadline is 20 s)


@dataclass(frozen=True)
class Place:
    """Where one database lives in this checkout: a SQLite file or a PostgreSQL URL."""

    label: str
    location: str

    @property
    def kind(self) -> str:
        return "postgres" if is_database_url(self.location) else "sqlite"

    @property
    def shown(self) -> str:
        return safe_location(self.location)

    def has_data(self) -> bool:
        if self.kind == "postgres":
            return parts.pg_has_tables(self.location)
        return parts.sqlite_has_data(Path(self.location))

    def copy_out(self, directory: Path, stem: str) -> Copied:
        file = directory / f"{stem}.{'dump' if self.kind == 'postgres' else 'sqlite3'}"
        if self.kind == "postgres":
            parts.pg_dump(self.location, file, what=self.label)
        else:
            parts.sqlite_copy(Path(self.location), file, single_file=True)
        return Copied(self.kind, file.name, sha256(file))

    def copy_in(self, source: Path) -> None:
        if self.kind == "postgres":
            parts.pg_restore(source, self.location, what=self.label)
        else:
            with parts.owner_only():
                Path(self.location).parent.mkdir(parents=True, exist_ok=True)
            parts.sqlite_copy(source, Path(self.location), single_file=False)


def dashboard_place() -> Place:
    """The dashboard's database, as the settings name it."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return Place("the dashboard database", str(db["NAME"]))
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    url = f"postgresql://{auth}{db.get('HOST') or ''}{port}/{quote(str(db['NAME']), safe='')}"
    return Place("the dashboard database", url)


def api_place(location: str = "") -> Place:
    """The local Management API's data: `location`, else the settings' database URL or file."""
    where = location or settings.SYMBL_LOCAL_API_DATABASE_URL or settings.SYMBL_LOCAL_API_DATA
    return Place("the Management API's data", str(where))


def checkpoint_folder() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextlib.contextmanager
def dashboard_writes_held() -> Iterator[None]:
    """Hold every dashboard write lock: no write of ours (audit entry, API call, outcome) is
    half done meanwhile. Raises: BackupError when a write keeps a lock for LOCK_SECONDS."""
    try:
        with (
            write_lock(GROUP.plural, timeout=LOCK_SECONDS),
            write_lock(TRACKER.plural, timeout=LOCK_SECONDS),
        ):
            yield
    except LockTimeout:
        raise BackupError(
            f"A dashboard write held its lock for over {LOCK_SECONDS:.0f} s; nothing was "
            "copied. Try again."
        ) from None


def _dashboard_counts() -> dict[str, int]:
    head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    return {"users": get_user_model().objects.count(), "audit_entries": head or 0}


def _api_counts(place: Place) -> dict[str, int]:
    with open_store(place.location).transaction() as db:
        return {"trackers": Store.count(db, TRACKERS), "groups": Store.count(db, GROUPS)}


def _copy_out(directory: Path, dashboard: Place | None, api: Place | None) -> Manifest:
    """Copy whichever of the places hold data, and the checkpoints, into `directory` (under
    the caller's locks)."""
    counts: dict[str, int] = {}
    copied_api = None
    if api is not None and api.has_data():
        copied_api = api.copy_out(directory, "management-api")
        counts |= _api_counts(api)
    copied_dashboard = None
    if dashboard is not None and dashboard.has_data():
        copied_dashboard = dashboard.copy_out(directory, "dashboard")
        counts |= _dashboard_counts()
    folder = directory / CHECKPOINTS_FOLDER
    names = parts.copy_folder(checkpoint_folder(), folder)
    return Manifest(
        created=_now(),
        dashboard=copied_dashboard,
        management_api=copied_api,
        checkpoints={name: sha256(folder / name) for name in names},
        counts=counts,
    )


def take_backup(directory: Path, *, api_location: str = "") -> Manifest:
    """Back up into `directory` (new or empty; folder 0700, files 0600).

    Raises:
        BackupError: the folder is not empty, there is no dashboard database, a lock stayed
            taken, or a copy failed.
    """
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"{directory} is not an empty folder: a backup goes into a new one.")
    dashboard, api = dashboard_place(), api_place(api_location)
    try:
        if not dashboard.has_data():
            raise BackupError(
                f"There is no dashboard database at {dashboard.shown} (run `make run` first)."
            )
        parts.private_dir(directory)
        with dashboard_writes_held():
            manifest = _copy_out(directory, dashboard, api)
    except parts.PartError as error:
        raise BackupError(f"{error} The backup in {directory} is incomplete.") from None
    manifest.write(directory)
    return manifest


@dataclass(frozen=True)
class RestorePlan:
    """What a restore of one backup would put where, and what it would replace."""

    directory: Path
    manifest: Manifest
    dashboard: Place
    api: Place | None  # None: the backup holds no Management API data
    checkpoints: Path

    def steps(self) -> list[str]:
        steps = [f"{self.dashboard.label} into {self.dashboard.shown}"]
        if self.api is not None:
            steps.append(f"{self.api.label} into {self.api.shown} (with new ETag epochs)")
        steps.append(f"{len(self.manifest.checkpoints)} audit checkpoint file(s) into "
                     f"{self.checkpoints}")  # fmt: skip
        return steps

    def occupied(self) -> list[str]:
        """The targets that hold data now (a restore would replace it)."""
        found = [p.shown for p in (self.dashboard, self.api) if p is not None and p.has_data()]
        if self.checkpoints.is_dir() and any(p.is_file() for p in self.checkpoints.iterdir()):
            found.append(str(self.checkpoints))
        return found


def plan_restore(directory: Path, *, api_location: str = "") -> RestorePlan:
    """Check the backup and this checkout's targets; nothing is changed.

    Raises:
        BackupError: not a whole, undamaged backup, or a target of another kind (a SQLite
            backup into a checkout configured for PostgreSQL, or the other way round).
    """
    manifest = read_manifest(directory)
    plan = RestorePlan(
        directory,
        manifest,
        dashboard_place(),
        api_place(api_location) if manifest.management_api else None,
        checkpoint_folder(),
    )
    pairs = [(manifest.dashboard, plan.dashboard), (manifest.management_api, plan.api)]
    for copied, place in pairs:
        if copied is not None and place is not None and copied.kind != place.kind:
            raise BackupError(
                f"The backup holds {place.label} as {copied.kind}, but this checkout keeps it "
                f"in {place.kind} ({place.shown}). Nothing was restored."
            )
    return plan


def restore(plan: RestorePlan, *, force: bool) -> list[str]:
    """Restore the plan; returns what was done, one line each.

    Raises:
        BackupError: a target holds data and not `force`, a lock stayed taken, or a copy
            failed (the data it was replacing is in the before-restore backup named).
    """
    if not force:
        refuse_occupied(plan)
    done: list[str] = []
    try:
        with dashboard_writes_held():
            if force and _occupied(plan):
                done.append(_keep_aside(plan))
            done += _restore_locked(plan)
    except parts.PartError as error:
        raise BackupError(f"The restore stopped: {error} " + " ".join(done)) from None
    return done


def _occupied(plan: RestorePlan) -> list[str]:
    try:
        return plan.occupied()
    except parts.PartError as error:
        raise BackupError(str(error)) from None


def refuse_occupied(plan: RestorePlan) -> None:
    """Raises: BackupError naming the targets that hold data now, if any."""
    occupied = _occupied(plan)
    if occupied:
        raise BackupError(
            "Not restored: these already hold data: " + ", ".join(occupied) + ". Add --force "
            "to replace them (they are backed up first, beside the other backups)."
        )


def _keep_aside(plan: RestorePlan) -> str:
    aside = Path(settings.VAR_DIR) / "backups" / f"before-restore-{_now().replace(':', '')}"
    parts.private_dir(aside)
    _copy_out(aside, plan.dashboard, plan.api).write(aside)
    return f"The data it replaced is backed up in {aside} (restore it the same way)."


def _restore_locked(plan: RestorePlan) -> list[str]:
    done = []
    if plan.api is not None and plan.manifest.management_api is not None:
        plan.api.copy_in(plan.directory / plan.manifest.management_api.file)
        store = open_store(plan.api.location)
        with store.transaction() as db:
            renew_epochs(db)
        counts = _api_counts(plan.api)
        done.append(
            f"Restored {plan.api.label} ({counts['trackers']} trackers, {counts['groups']} "
            f"groups) into {plan.api.shown}, under new ETag epochs."
        )
    if plan.dashboard.kind == "sqlite":
        connections.close_all()  # the copy replaces the file's pages under any open handle
    assert plan.manifest.dashboard is not None  # read_manifest refuses a backup without it
    plan.dashboard.copy_in(plan.directory / plan.manifest.dashboard.file)
    counts = _dashboard_counts()
    done.append(
        f"Restored {plan.dashboard.label} ({counts['users']} users, the audit log to entry "
        f"#{counts['audit_entries']}) into {plan.dashboard.shown}."
    )
    folder = parts.private_dir(plan.checkpoints)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    names = parts.copy_folder(plan.directory / CHECKPOINTS_FOLDER, folder)
    done.append(f"Restored {len(names)} audit checkpoint file(s) into {folder}.")
    # Sessions' cached copies, the API token and sign-in counts from after the backup must
    # not outlive it (PostgreSQL: the restored cache table holds the backup's).
    caches["default"].clear()
    done.append("Cleared the dashboard's shared cache (cached sessions, the API token).")
    return done
