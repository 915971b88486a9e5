"""Reconcile: an update changed again since is settled by what the next write read first
(its `before`), found by the fault soak."""

import pytest

from audit.models import AuditEntry
from audit.reconcile import reconcile_entry
from audit.services import audit_complete, audit_record

from .conftest import TRACKER_AFTER, TRACKER_BEFORE

pytestmark = pytest.mark.django_db
LATER = {**TRACKER_AFTER, "vocabulary": ["later"]}


def write(ctx, outcome, *, before, after, action="update"):
    entry = audit_record(
        ctx=ctx, action=action, object_type="tracker", object_id="101", before=before, after=after
    )
    audit_complete(entry, outcome=outcome, message="")
    return entry


def final(entry):
    return AuditEntry.objects.filter(completes=entry.seq).order_by("-seq").first()


def test_next_write_that_found_it_as_sent_makes_it_success(ctx, fake_client):
    entry = write(ctx, "unknown", before=TRACKER_BEFORE, after=TRACKER_AFTER)
    write(ctx, "success", before=TRACKER_AFTER, after=LATER)
    fake_client.trackers.put(LATER)
    reconcile_entry(entry, client=fake_client)
    assert final(entry).outcome == "success"


def test_next_write_that_found_the_old_version_makes_it_failed(ctx, fake_client):
    entry = write(ctx, "unknown", before=TRACKER_BEFORE, after=TRACKER_AFTER)
    write(ctx, "success", before=TRACKER_BEFORE, after=LATER)
    fake_client.trackers.put(LATER)
    reconcile_entry(entry, client=fake_client)
    assert final(entry).outcome == "failed"


def test_a_delete_since_still_settles_it_by_what_the_delete_read(ctx, fake_client):
    entry = write(ctx, "unknown", before=TRACKER_BEFORE, after=TRACKER_AFTER)
    write(ctx, "success", before=TRACKER_AFTER, after=None, action="delete")
    reconcile_entry(entry, client=fake_client)
    assert final(entry).outcome == "success"


def test_next_write_that_found_something_else_leaves_it_unknown(ctx, fake_client):
    entry = write(ctx, "unknown", before=TRACKER_BEFORE, after=TRACKER_AFTER)
    write(ctx, "success", before={**TRACKER_AFTER, "vocabulary": ["else"]}, after=LATER)
    fake_client.trackers.put(LATER)
    assert reconcile_entry(entry, client=fake_client) is None


def test_a_delete_followed_by_a_write_that_found_it_still_there_is_failed(ctx, fake_client):
    entry = write(ctx, "unknown", before=TRACKER_AFTER, after=None, action="delete")
    write(ctx, "success", before=TRACKER_AFTER, after=None, action="delete")
    reconcile_entry(entry, client=fake_client)  # gone from the server: by the second delete
    assert final(entry).outcome == "failed"


def test_a_create_deleted_since_is_settled_by_what_the_delete_read(ctx, fake_client):
    entry = audit_record(
        ctx=ctx,
        action="create",
        object_type="tracker",
        object_name="Promotion",
        after=TRACKER_AFTER,
    )
    audit_complete(entry, outcome="unknown", message="")
    write(ctx, "success", before=TRACKER_AFTER, after=None, action="delete")
    reconcile_entry(entry, client=fake_client)
    assert (final(entry).outcome, final(entry).object_id) == ("success", "101")


def test_a_create_edited_since_is_settled_by_what_the_edit_read(ctx, fake_client):
    entry = audit_record(
        ctx=ctx,
        action="create",
        object_type="tracker",
        object_name="Promotion",
        after=TRACKER_AFTER,
    )
    audit_complete(entry, outcome="unknown", message="")
    write(ctx, "success", before=TRACKER_AFTER, after=LATER)
    fake_client.trackers.put(LATER)
    reconcile_entry(entry, client=fake_client)
    assert (final(entry).outcome, final(entry).object_id) == ("success", "101")
