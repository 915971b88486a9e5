"""The dashboard's database on PostgreSQL: migrations, the append-only triggers, one gap-free
audit chain with several writer processes, and the advisory write lock across processes."""

from __future__ import annotations

import subprocess
import sys
import time

import psycopg
import pytest

from tests.postgres.conftest import POSTGRES
from tests.support.dashboard import PROJECT_DIR, django_env, manage

pytestmark = POSTGRES

APPEND = """
from audit.context import AuditContext
from audit.services import audit_record
ctx = AuditContext.system("writer-{n}")
for i in range({count}):
    audit_record(ctx=ctx, action="create", object_type="tracker", object_name=f"w{n}-{{i}}")
"""

HOLD_LOCK = """
import sys
from resources.locks import write_lock
with write_lock("trackers", timeout=5):
    print("held", flush=True)
    sys.stdin.readline()
"""

TRY_LOCK = """
from resources.locks import LockTimeout, write_lock
try:
    with write_lock("trackers", timeout=0.5):
        print("acquired")
except LockTimeout:
    print("timed out")
"""


@pytest.fixture
def dashboard_db(new_database, tmp_path):
    url = new_database("dashboard")
    env = django_env(url, tmp_path / "var")
    manage(env, "migrate", "--noinput", "-v", "0")
    return url, env


def _shell(env, code: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, str(PROJECT_DIR / "manage.py"), "shell", "-v", "0", "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_migrations_apply_and_create_the_shared_cache_table(dashboard_db):
    url, env = dashboard_db
    plan = manage(env, "showmigrations", "--plan").stdout
    with psycopg.connect(url) as conn:
        cache_table = conn.execute("SELECT to_regclass('symbl_cache')::text").fetchone()[0]
    assert "[X]" in plan and "[ ]" not in plan
    assert cache_table == "symbl_cache"


def test_migrate_again_changes_nothing(dashboard_db):
    _, env = dashboard_db
    result = manage(env, "migrate", "--noinput")
    assert "No migrations to apply." in result.stdout


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET object_name = 'rewritten'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
    ],
)
def test_the_database_refuses_to_change_the_audit_log(dashboard_db, statement):
    url, env = dashboard_db
    writer = _shell(env, APPEND.format(n=0, count=1))
    assert writer.wait(timeout=60) == 0, writer.stderr.read()
    with psycopg.connect(url) as conn, pytest.raises(psycopg.errors.RaiseException) as refused:
        conn.execute(statement)
    assert "audit log is append-only" in str(refused.value)


def test_several_writer_processes_make_one_gap_free_chain(dashboard_db):
    url, env = dashboard_db
    writers = [_shell(env, APPEND.format(n=n, count=25)) for n in range(4)]
    codes = [writer.wait(timeout=90) for writer in writers]
    with psycopg.connect(url) as conn:
        seqs = [row[0] for row in conn.execute("SELECT seq FROM audit_auditentry ORDER BY seq")]
    verified = manage(env, "verify_audit", "--no-checkpoint", check=False)
    assert codes == [0, 0, 0, 0], [w.stderr.read()[-2000:] for w in writers]
    assert seqs == list(range(1, 101))
    assert verified.returncode == 0, verified.stderr
    assert "Audit log OK: 100 entries" in verified.stdout


def test_the_write_lock_is_shared_by_processes_with_separate_var_dirs(dashboard_db, tmp_path):
    url, _ = dashboard_db
    # One Management API account (the lock's key) seen from two "hosts": each its own var/
    # (own lock files), the same database. No call is made to that address.
    account = {"SYMBL_API_BASE_URL": "http://127.0.0.1:9", "SYMBL_APP_ID": "team"}
    holder = _shell(django_env(url, tmp_path / "host-a", **account), HOLD_LOCK)
    try:
        assert holder.stdout.readline().strip() == "held"
        other_env = django_env(url, tmp_path / "host-b", **account)
        blocked = manage(other_env, "shell", "-v", "0", "-c", TRY_LOCK).stdout.strip()
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    started = time.monotonic()
    freed = manage(other_env, "shell", "-v", "0", "-c", TRY_LOCK).stdout.strip()
    assert blocked == "timed out"
    assert freed == "acquired" and time.monotonic() - started < 30


def test_the_write_lock_is_per_account(dashboard_db, tmp_path):
    url, _ = dashboard_db
    holder = _shell(
        django_env(url, tmp_path / "a", SYMBL_API_BASE_URL="http://127.0.0.1:9"), HOLD_LOCK
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        other_env = django_env(url, tmp_path / "b", SYMBL_API_BASE_URL="http://127.0.0.1:10")
        other = manage(other_env, "shell", "-v", "0", "-c", TRY_LOCK).stdout.strip()
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    assert other == "acquired"
