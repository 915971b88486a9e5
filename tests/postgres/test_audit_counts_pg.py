"""The audit log's count tables on PostgreSQL: kept right by several writer processes at once
(the advisory write lock orders their appends), filled by the migration from an existing log,
and made again by `rebuild_audit_counts`."""

from __future__ import annotations

import psycopg
import pytest

from tests.postgres.conftest import POSTGRES
from tests.postgres.test_dashboard_database import _shell
from tests.support.dashboard import django_env, manage

pytestmark = POSTGRES

WRITE = """
from audit.context import AuditContext
from audit.services import audit_complete, audit_record, record_event
for i in range({count}):
    ctx = AuditContext.system("writer-{n}" if i % 3 else "shared")
    entry = audit_record(ctx=ctx, action="update", object_type="tracker", object_id=str(i))
    if i % 2:
        audit_complete(entry, outcome="success", status=200)
    record_event(action="login_failed", ctx=AuditContext.system(f"guess-{{i % 4}}"), outcome="failed")
"""

FRESH = (
    "SELECT max(seq), count(*), count(completes_id) FROM audit_auditentry",
    "SELECT actor_username, count(*) FROM audit_auditentry WHERE actor_username <> '' "
    "GROUP BY actor_username ORDER BY actor_username",
)
KEPT = (
    "SELECT up_to, entries, outcomes FROM audit_logcount WHERE id = 1",
    "SELECT actor_username, entries FROM audit_actorcount ORDER BY actor_username",
)


def _read(url: str, queries: tuple[str, str]) -> tuple:
    with psycopg.connect(url) as conn:
        return conn.execute(queries[0]).fetchone(), conn.execute(queries[1]).fetchall()


@pytest.fixture
def dashboard_db(new_database, tmp_path):
    url = new_database("counts")
    env = django_env(url, tmp_path / "var")
    manage(env, "migrate", "--noinput", "-v", "0")
    return url, env


def test_writer_processes_at_once_keep_the_tables_equal_to_a_count(dashboard_db):
    url, env = dashboard_db
    writers = [_shell(env, WRITE.format(n=n, count=12)) for n in range(4)]
    codes = [writer.wait(timeout=120) for writer in writers]
    assert codes == [0, 0, 0, 0], [w.stderr.read()[-2000:] for w in writers]
    fresh = _read(url, FRESH)
    assert fresh[0] == (4 * 12 * 2 + 4 * 6, 4 * 12 * 2 + 4 * 6, 4 * 6)
    assert _read(url, KEPT) == fresh


def test_the_migration_fills_the_tables_and_the_command_rebuilds_them(dashboard_db):
    url, env = dashboard_db
    writer = _shell(env, WRITE.format(n=0, count=5))
    assert writer.wait(timeout=60) == 0, writer.stderr.read()[-2000:]
    fresh = _read(url, FRESH)
    manage(env, "migrate", "audit", "0004", "--noinput", "-v", "0")  # drops the tables
    manage(env, "migrate", "--noinput", "-v", "0")  # makes and fills them from the log
    filled = _read(url, KEPT)
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE audit_logcount SET entries = 0, outcomes = 0")
        conn.execute("DELETE FROM audit_actorcount")
    rebuilt = manage(env, "rebuild_audit_counts").stdout
    assert filled == _read(url, KEPT) == fresh
    assert "Audit counts rebuilt: 12 entries, 2 outcome records." in rebuilt
