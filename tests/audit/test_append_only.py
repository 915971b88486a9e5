"""The log refuses UPDATE and DELETE in Python and in the database (SQLite triggers)."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.integrity import walk_chain
from audit.models import AppendOnlyError, AuditEntry
from audit.services import audit_record

pytestmark = pytest.mark.django_db


def raw(sql):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def entry(ctx):
    return audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="1")


def test_save_of_an_existing_entry_is_refused(entry):
    stored = AuditEntry.objects.get(seq=entry.seq)
    stored.object_name = "rewritten"
    with pytest.raises(AppendOnlyError):
        stored.save()


def test_delete_of_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.get(seq=entry.seq).delete()


def test_queryset_update_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=entry.seq).update(outcome="success")


def test_queryset_delete_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_raw_sql_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_auditentry SET outcome = 'success'")


def test_raw_sql_delete_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditentry")


def test_raw_sql_cannot_hide_a_change_behind_the_actor_exception(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_auditentry SET actor_id = NULL, outcome = 'success'")


def test_deleting_a_user_keeps_the_entries_and_the_chain(entry, ctx):
    ctx.actor.delete()
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert (stored.actor_id, stored.actor_username) == (None, "writer")
    assert walk_chain().ok


def test_bare_create_outside_the_services_is_refused():
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.create(
            seq=1, time="2026-01-01T00:00:00Z", action="login", outcome="success"
        )
