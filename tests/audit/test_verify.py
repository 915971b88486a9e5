"""verify_audit: passes on a clean log; names the first broken entry after tampering."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.integrity import chain_status
from audit.models import AuditEntry
from audit.services import audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(ctx):
    for i in range(3):
        with audited(ctx=ctx, action="delete", object_type="tracker", object_id=str(i)):
            pass
    return AuditEntry.objects.count()  # 6 entries: 3 intents, 3 outcomes


def tamper(sql, params=()):
    """A tamperer with database access: drop the triggers, then change rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_entry_no_update ON audit_auditentry")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
        cursor.execute(sql, params)


def verify(*args):
    call_command("verify_audit", *args, stdout=io.StringIO())


def test_clean_log_verifies(log, capsys):
    call_command("verify_audit")
    assert "Audit log OK: 6 entries" in capsys.readouterr().out


def test_altered_entry_is_named(log):
    tamper("UPDATE audit_auditentry SET object_id = 'x' WHERE seq = 3")
    with pytest.raises(CommandError, match="entry #3") as error:
        verify()
    assert error.value.returncode == 1


def test_deleted_entry_is_named(log):
    tamper("DELETE FROM audit_auditentry WHERE seq = 4")
    with pytest.raises(CommandError, match="entry #4"):
        verify()


def test_directly_inserted_entry_is_named(log):
    head = AuditEntry.objects.get(seq=6)
    tamper(
        "INSERT INTO audit_auditentry (seq, time, actor_username, action, object_type, object_id,"
        " object_name, outcome, upstream_message, request_id, ip, user_agent, reason, prev_hash,"
        " hash) VALUES (7, %s, 'mallory', 'delete', 'tracker', '9', '', 'success', '', '', '',"
        " '', '', %s, %s)",
        [head.time.isoformat(), head.hash, "f" * 64],
    )
    with pytest.raises(CommandError, match="entry #7"):
        verify()


def test_truncated_tail_is_caught_by_the_checkpoint(log):
    verify()  # writes the checkpoint: 6 entries
    tamper("DELETE FROM audit_auditentry WHERE seq >= 5")
    with pytest.raises(CommandError, match="tail was removed"):
        verify()


def test_new_entries_after_a_checkpoint_verify(log, ctx):
    verify()
    with audited(ctx=ctx, action="delete", object_type="tracker", object_id="9"):
        pass
    verify()


def test_screen_status_is_ok_for_a_clean_log(log):
    verify()
    assert chain_status().state == "ok"


def test_screen_status_reports_the_last_failed_check(log):
    tamper("UPDATE audit_auditentry SET object_id = 'x' WHERE seq = 2")
    with pytest.raises(CommandError):
        verify()
    status = chain_status()
    assert (status.state, status.broken_seq) == ("broken", 2)


def test_screen_status_checks_new_entries_incrementally(log):
    verify()
    tamper(
        "INSERT INTO audit_auditentry (seq, time, actor_username, action, object_type,"
        " object_id, object_name, outcome, upstream_message, request_id, ip, user_agent,"
        " reason, prev_hash, hash) SELECT 7, time, 'm', action, object_type, object_id,"
        " object_name, outcome, upstream_message, request_id, ip, user_agent, reason, hash,"
        " 'bad' FROM audit_auditentry WHERE seq = 6"
    )
    assert chain_status().state == "broken"
