"""The database itself refuses UPDATE and DELETE on the audit log (SQLite and PostgreSQL).

The one UPDATE allowed is the one Django's SET_NULL issues when a user is deleted: actor_id
goes from a value to NULL and every other column stays the same. The actor FK is not part of
the hash chain (the hashed actor_username copy is), so this cannot rewrite history.
A tamperer with DB rights can drop these triggers; the hash chain and verify_audit catch that.
"""

from django.db import migrations

TABLE = "audit_auditentry"

# Every column but actor_id, frozen here as of this migration (a later migration that adds a
# column must recreate the triggers).
COLUMNS = [
    "seq",
    "time",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_name",
    "before",
    "after",
    "outcome",
    "upstream_status",
    "upstream_message",
    "request_id",
    "ip",
    "user_agent",
    "reason",
    "completes_id",
    "prev_hash",
    "hash",
]

_SQLITE_SAME = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in COLUMNS)

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT (OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL AND {_SQLITE_SAME})
    BEGIN
        SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused');
    END
    """,
    f"""
    CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, 'audit log is append-only: DELETE refused');
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]

POSTGRES_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
    DECLARE
        unchanged {TABLE};
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL THEN
                unchanged := NEW;
                unchanged.actor_id := OLD.actor_id;
                IF unchanged IS NOT DISTINCT FROM OLD THEN
                    RETURN NEW;
                END IF;
            END IF;
        END IF;
        RAISE EXCEPTION 'audit log is append-only: % refused', TG_OP;
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()
    """,
    f"""
    CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()
    """,
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_entry_no_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
]


def _run(schema_editor, statements):
    for statement in statements:
        # params=None: the PL/pgSQL body contains a literal % that must not be a placeholder.
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)
    # Other databases: the model still refuses changes in Python; verify_audit still checks.


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
