"""`manage.py backup` / `manage.py restore`: a backup of a populated checkout, restored into a
fresh one (another var/, its own processes), brings back the same trackers, groups, users
and a verifying audit chain; the files are the owner's only; a restore asks, refuses to
replace data unless forced, and refuses a damaged backup; a backup waits for a dashboard
write in flight (it is taken under the dashboard's write locks)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .checkouts import PROJECT_DIR, Checkout


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory) -> tuple[Checkout, Path, dict]:
    """A populated checkout, its backup folder, and its dump at the time of the backup."""
    root = tmp_path_factory.mktemp("backup")
    source = Checkout(root / "a")
    source.populate()
    source.manage("backup", str(root / "backup"))
    return source, root / "backup", source.dump()


def test_a_restore_into_a_fresh_checkout_finds_the_same_data(backed_up, tmp_path):
    _, backup, before = backed_up
    fresh = Checkout(tmp_path / "fresh")
    restored = fresh.manage("restore", str(backup), "--yes")
    assert "Restore complete" in restored.stdout
    after = fresh.dump()
    assert after == before
    assert [t["name"] for t in after["trackers"]] == ["Kept tracker"]  # the delete is kept too
    assert [g["name"] for g in after["groups"]] == ["Sales calls"]
    assert "backup-owner" in [user[0] for user in after["users"]]


def test_the_restored_audit_chain_verifies_against_its_restored_checkpoints(backed_up, tmp_path):
    _, backup, _ = backed_up
    fresh = Checkout(tmp_path / "fresh")
    fresh.manage("restore", str(backup), "--yes")
    verified = fresh.manage("verify_audit", check=False)
    assert verified.returncode == 0 and "Audit log OK" in verified.stdout, verified.stdout
    assert (fresh.var / "audit-checkpoints" / "checkpoints.jsonl").read_text().count("\n") == 2


def test_backup_and_restored_files_are_the_owners_only(backed_up, tmp_path):
    _, backup, _ = backed_up
    fresh = Checkout(tmp_path / "fresh")
    fresh.manage("restore", str(backup), "--yes")
    written = [backup, *backup.rglob("*")]
    written += [fresh.var / "dashboard.sqlite3", fresh.var / "management-api.sqlite3"]
    written += [fresh.var / "audit-checkpoints", *(fresh.var / "audit-checkpoints").iterdir()]
    modes = {str(p): oct(p.stat().st_mode & 0o777) for p in written}
    wanted = {str(p): oct(0o700 if p.is_dir() else 0o600) for p in written}
    assert modes == wanted


def test_restore_without_yes_asks_and_changes_nothing(backed_up, tmp_path):
    _, backup, _ = backed_up
    fresh = Checkout(tmp_path / "fresh")
    refused = fresh.manage("restore", str(backup), check=False)
    assert refused.returncode == 1 and "nothing was changed" in refused.stdout
    _nothing_restored(fresh)


def _nothing_restored(checkout: Checkout) -> None:
    for name in ("dashboard.sqlite3", "management-api.sqlite3"):
        path = checkout.var / name  # the settings may create it empty, owner-only, for SQLite
        assert not path.exists() or path.stat().st_size == 0, name


def test_restore_refuses_to_replace_data_unless_forced(backed_up):
    source, backup, before = backed_up
    refused = source.manage("restore", str(backup), "--yes", check=False)
    assert refused.returncode == 1 and "Add --force" in refused.stdout, refused.stdout
    assert "dashboard.sqlite3" in refused.stdout and "management-api.sqlite3" in refused.stdout


def test_a_forced_restore_backs_up_what_it_replaces(backed_up, tmp_path):
    _, backup, before = backed_up
    target = Checkout(tmp_path / "target")
    target.manage("migrate", "--noinput")
    target.manage("create_demo_users")
    replaced = target.dump()
    forced = target.manage("restore", str(backup), "--yes", "--force")
    assert target.dump() == before
    aside = next((target.var / "backups").iterdir())
    assert str(aside) in forced.stdout
    target.manage("restore", str(aside), "--yes", "--force")  # and it restores the same way
    assert target.dump() == replaced


def test_a_damaged_backup_is_refused_and_nothing_is_changed(backed_up, tmp_path):
    _, backup, _ = backed_up
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    with (damaged / "management-api.sqlite3").open("r+b") as handle:
        handle.seek(5000)
        byte = handle.read(1)
        handle.seek(5000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    fresh = Checkout(tmp_path / "fresh")
    refused = fresh.manage("restore", str(damaged), "--yes", check=False)
    assert refused.returncode == 1 and "does not match its checksum" in refused.stdout
    _nothing_restored(fresh)


def test_backup_refuses_a_folder_that_is_not_empty(backed_up):
    source, backup, _ = backed_up
    refused = source.manage("backup", str(backup), check=False)
    assert refused.returncode == 1 and "not an empty folder" in refused.stdout


def test_a_backup_waits_for_a_dashboard_write_in_flight(backed_up, tmp_path):
    """A tracker write holds var/locks/trackers.lock from its audit entry to its outcome; the
    backup starts only after it ends, so the write is in both copies or in neither."""
    source, _, _ = backed_up
    fd = os.open(source.var / "locks" / "trackers.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a write in flight
    try:
        backup = subprocess.Popen(  # noqa: S603
            [sys.executable, str(PROJECT_DIR / "manage.py"), "backup", str(tmp_path / "b")],
            cwd=PROJECT_DIR,
            env=source.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        time.sleep(4)  # Django starts and asks for the lock within this
        assert backup.poll() is None and not (tmp_path / "b" / "dashboard.sqlite3").exists()
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    output, _ = backup.communicate(timeout=60)
    assert backup.returncode == 0 and "Backup written" in output, output
