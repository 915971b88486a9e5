"""`manage.py backup` / `restore` with both databases on PostgreSQL (pg_dump / pg_restore):
a populated dashboard and Management API, restored into fresh empty databases, give the same
trackers, groups, users and a verifying audit chain; a restore over data needs --force."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.backup.checkouts import Checkout

from .conftest import POSTGRES

pytestmark = POSTGRES


def _checkout(var, new_database) -> Checkout:
    return Checkout(
        var,
        {
            "DATABASE_URL": new_database("admin"),
            "SYMBL_LOCAL_API_DATABASE_URL": new_database("api"),
        },
    )


def test_a_postgres_backup_restores_into_fresh_databases(tmp_path, new_database):
    source = _checkout(tmp_path / "a", new_database)
    source.populate()
    backed_up = source.manage("backup", str(tmp_path / "backup"))
    assert "Backup written" in backed_up.stdout
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == [
        "audit-checkpoints", "dashboard.dump", "management-api.dump", "manifest.json",
    ]  # fmt: skip
    fresh = _checkout(tmp_path / "c", new_database)
    fresh.manage("restore", str(tmp_path / "backup"), "--yes")
    assert fresh.dump() == source.dump()
    verified = fresh.manage("verify_audit", check=False)
    assert verified.returncode == 0 and "Audit log OK" in verified.stdout, verified.stdout


def test_a_postgres_restore_over_data_needs_force(tmp_path, new_database):
    source = _checkout(tmp_path / "a", new_database)
    source.populate()
    source.manage("backup", str(tmp_path / "backup"))
    refused = source.manage("restore", str(tmp_path / "backup"), "--yes", check=False)
    assert refused.returncode == 1 and "Add --force" in refused.stdout, refused.stdout
    passwords = {urlsplit(url).password for url in source.extra.values()} - {None}
    assert not any(f":{password}@" in refused.stdout for password in passwords)
    source.manage("restore", str(tmp_path / "backup"), "--yes", "--force")
    verified = source.manage("verify_audit", check=False)
    assert verified.returncode == 0, verified.stdout
