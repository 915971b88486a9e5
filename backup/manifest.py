"""Backup layer: a backup folder's manifest (manifest.json) — what each file is, what it
holds, and its checksum — and the check that a folder is a whole, undamaged backup.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from symbl_admin.checksums import sha256

from .parts import owner_only

FORMAT = "symbl-admin-backup/1"
MANIFEST = "manifest.json"
CHECKPOINTS_FOLDER = "audit-checkpoints"


class BackupError(Exception):
    """A backup cannot be taken or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Copied:
    """One database in a backup: its kind ("sqlite" or "postgres"), file and checksum."""

    kind: str
    file: str
    sha256: str


@dataclass
class Manifest:
    created: str
    dashboard: Copied | None  # None only in a before-restore copy of an empty checkout
    management_api: Copied | None  # None: no local Management API data was found
    checkpoints: dict[str, str] = field(default_factory=dict)  # file name → sha256
    counts: dict[str, int] = field(default_factory=dict)  # what it held, for the reports

    def write(self, directory: Path) -> None:
        data = {"format": FORMAT, **asdict(self)}
        with owner_only():
            (directory / MANIFEST).write_text(json.dumps(data, indent=2) + "\n")
        (directory / MANIFEST).chmod(0o600)


def _copied(data: Any) -> Copied | None:
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("kind") not in ("sqlite", "postgres"):
        raise ValueError("a database entry without a known kind")
    return Copied(str(data["kind"]), Path(str(data["file"])).name, str(data["sha256"]))


def read_manifest(directory: Path) -> Manifest:
    """The manifest of the backup in `directory`, each file checked against its checksum.

    Raises:
        BackupError: not a backup of this format, a file missing, or a file changed.
    """
    path = directory / MANIFEST
    try:
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, not {FORMAT!r}")
        dashboard = _copied(data["dashboard"])
        if dashboard is None:
            raise ValueError("no dashboard database")
        manifest = Manifest(
            created=str(data["created"]),
            dashboard=dashboard,
            management_api=_copied(data.get("management_api")),
            checkpoints={Path(k).name: str(v) for k, v in data.get("checkpoints", {}).items()},
            counts={str(k): int(v) for k, v in data.get("counts", {}).items()},
        )
    except FileNotFoundError:
        raise BackupError(f"{directory} is not a backup: it has no {MANIFEST}.") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{path} is not a backup manifest this version reads: {error}.") from None
    expected = {c.file: c.sha256 for c in (manifest.dashboard, manifest.management_api) if c}
    expected |= {f"{CHECKPOINTS_FOLDER}/{n}": s for n, s in manifest.checkpoints.items()}
    for name, checksum in expected.items():
        file = directory / name
        if not file.is_file():
            raise BackupError(f"The backup is incomplete: {file} is missing. Nothing was restored.")
        if sha256(file) != checksum:
            raise BackupError(
                f"The backup is damaged: {file} does not match its checksum. Nothing was restored."
            )
    return manifest
