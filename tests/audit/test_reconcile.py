"""Reconcile: unknown and stale pending entries are resolved by reading the server."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from audit.reconcile import reconcile_entry, reconcile_unresolved, unresolved_entries
from audit.services import audit_complete, audit_record

from .conftest import GROUP_AFTER, GROUP_BEFORE, TRACKER_AFTER, TRACKER_BEFORE

pytestmark = pytest.mark.django_db


def unknown(ctx, **kwargs):
    entry = audit_record(ctx=ctx, **kwargs)
    audit_complete(entry, outcome="unknown", message="timed out")
    return entry


def final(entry):
    return AuditEntry.objects.filter(completes=entry.seq).order_by("-seq").first()


def test_update_that_landed_becomes_success(ctx, fake_client):
    entry = unknown(
        ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    )
    fake_client.trackers.put(TRACKER_AFTER)
    reconcile_entry(entry, client=fake_client)
    assert (final(entry).outcome, final(entry).actor_username) == ("success", "system:reconcile")


def test_update_that_did_not_land_becomes_failed(ctx, fake_client):
    entry = unknown(
        ctx,
        action="update",
        object_type="group",
        object_id="201",
        before=GROUP_BEFORE,
        after=GROUP_AFTER,
    )
    fake_client.groups.put(GROUP_BEFORE)
    reconcile_entry(entry, client=fake_client)
    assert final(entry).outcome == "failed"


def test_update_changed_again_since_stays_unknown(ctx, fake_client):
    entry = unknown(
        ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    )
    fake_client.trackers.put({**TRACKER_AFTER, "vocabulary": ["other"]})
    assert reconcile_entry(entry, client=fake_client) is None
    assert (final(entry).outcome, final(entry).actor_username) == ("unknown", "writer")


def test_delete_that_landed_becomes_success(ctx, fake_client):
    entry = unknown(
        ctx, action="delete", object_type="tracker", object_id="101", before=TRACKER_BEFORE
    )
    reconcile_entry(entry, client=fake_client)
    assert final(entry).outcome == "success"


def test_delete_that_did_not_land_becomes_failed(ctx, fake_client):
    entry = unknown(
        ctx, action="delete", object_type="tracker", object_id="101", before=TRACKER_BEFORE
    )
    fake_client.trackers.put(TRACKER_BEFORE)
    reconcile_entry(entry, client=fake_client)
    assert final(entry).outcome == "failed"


def test_create_found_by_name_gets_its_id(ctx, fake_client):
    entry = unknown(
        ctx,
        action="create",
        object_type="tracker",
        object_name="Promotion",
        after={"name": "Promotion", "vocabulary": TRACKER_AFTER["vocabulary"]},
    )
    fake_client.trackers.put(TRACKER_AFTER)
    reconcile_unresolved(client=fake_client)
    assert (final(entry).outcome, final(entry).object_id) == ("success", "101")


def test_create_whose_name_belongs_to_an_older_object_becomes_failed(ctx, fake_client):
    older = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="101")
    audit_complete(older, outcome="failed", status=409)
    entry = unknown(
        ctx,
        action="create",
        object_type="tracker",
        object_name="Promotion",
        after={"name": "Promotion", "vocabulary": TRACKER_AFTER["vocabulary"]},
    )
    fake_client.trackers.put(TRACKER_AFTER)
    reconcile_entry(entry, client=fake_client)
    assert final(entry).upstream_message == "Reconciled: the name belongs to an older object."


def test_server_stamps_do_not_stop_a_match(ctx, fake_client):
    entry = unknown(
        ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    )
    fake_client.trackers.put({**TRACKER_AFTER, "updatedOn": "2026-01-02T00:00:00Z"})
    reconcile_entry(entry, client=fake_client)
    assert final(entry).outcome == "success"


def test_reconcile_is_the_only_audit_module_that_uses_the_client():
    import pathlib

    import audit as audit

    users = sorted(
        p.name
        for p in pathlib.Path(audit.__path__[0]).rglob("*.py")
        if "management_api import" in p.read_text() or "get_client" in p.read_text()
    )
    assert users == ["reconcile.py"]


def test_create_not_on_the_server_becomes_failed(ctx, fake_client):
    entry = unknown(
        ctx,
        action="create",
        object_type="group",
        object_name="Nope",
        after={"name": "Nope", "criteria": "conversation.x==1"},
    )
    reconcile_unresolved(client=fake_client)
    assert final(entry).outcome == "failed"


def test_stale_pending_is_reconciled(ctx, fake_client, settings):
    settings.AUDIT_PENDING_STALE_SECONDS = 0
    entry = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="5")
    found, resolved = reconcile_unresolved(client=fake_client)
    assert (found, [r.completes_id for r in resolved]) == (1, [entry.seq])


def test_fresh_pending_is_left_alone(ctx, fake_client):
    audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="5")
    assert reconcile_unresolved(client=fake_client) == (0, [])


def test_resolved_entries_are_not_unresolved(ctx, fake_client):
    entry = unknown(ctx, action="delete", object_type="tracker", object_id="5")
    audit_complete(entry, outcome="success")
    from django.utils import timezone

    assert not unresolved_entries(now=timezone.now() + timedelta(days=1)).exists()


def test_reconcile_command(ctx, fake_client, monkeypatch, capsys):
    import audit.reconcile as reconcile

    monkeypatch.setattr(reconcile, "_client", lambda client: fake_client)
    unknown(ctx, action="delete", object_type="tracker", object_id="5")
    call_command("reconcile_audit")
    assert "1 unresolved, 1 resolved, 0 left." in capsys.readouterr().out
