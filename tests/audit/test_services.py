"""Every public service path writes one intent per object and the right outcome."""

import pytest
from django.db import transaction

from audit.models import AuditEntry
from audit.services import (
    audit_complete,
    audit_complete_many,
    audit_record,
    audit_record_many,
    audited,
)
from symbl_admin.management_api.errors import NameTaken, Unavailable

from .conftest import TRACKER_AFTER, TRACKER_BEFORE

pytestmark = pytest.mark.django_db


def intents():
    return AuditEntry.objects.filter(completes__isnull=True)


def outcomes_of(entry):
    return list(AuditEntry.objects.filter(completes=entry.seq).order_by("seq"))


def test_audit_record_writes_one_pending_entry(ctx):
    entry = audit_record(
        ctx=ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        object_name="Promo",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    )
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert (stored.outcome, stored.actor_username, stored.before, stored.after) == (
        "pending",
        "writer",
        TRACKER_BEFORE,
        TRACKER_AFTER,
    )


def test_audit_record_keeps_who_and_where(ctx):
    entry = audit_record(ctx=ctx, action="delete", object_type="group", object_id="9")
    stored = AuditEntry.objects.get(seq=entry.seq)
    assert (stored.actor_id, stored.request_id, stored.ip, stored.user_agent, stored.reason) == (
        ctx.actor.pk,
        "req-1",
        "127.0.0.1",
        "pytest",
        "because",
    )


def test_audit_complete_appends_an_outcome_row(ctx):
    entry = audit_record(ctx=ctx, action="create", object_type="tracker", object_name="New")
    outcome = audit_complete(
        entry, outcome="success", status=201, object_id="555", after={"id": "555"}
    )
    assert (outcome.completes_id, outcome.outcome, outcome.upstream_status, outcome.object_id) == (
        entry.seq,
        "success",
        201,
        "555",
    )
    assert AuditEntry.objects.get(seq=entry.seq).outcome == "pending"  # never rewritten


def test_audit_complete_refuses_a_second_final_outcome(ctx):
    entry = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="1")
    audit_complete(entry, outcome="failed", status=404)
    with pytest.raises(ValueError):
        audit_complete(entry, outcome="success")


def test_unknown_can_be_followed_by_a_final_outcome(ctx):
    entry = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="1")
    audit_complete(entry, outcome="unknown")
    audit_complete(entry, outcome="success")
    assert [o.outcome for o in outcomes_of(entry)] == ["unknown", "success"]


def test_audited_success_via_succeed(ctx):
    with audited(
        ctx=ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    ) as audit:
        audit.succeed(after=TRACKER_AFTER)
    assert intents().count() == 1
    assert [(o.outcome, o.upstream_status, o.after) for o in outcomes_of(audit.entry)] == [
        ("success", 200, TRACKER_AFTER)
    ]


def test_audited_block_without_succeed_counts_as_success(ctx):
    with audited(ctx=ctx, action="delete", object_type="tracker", object_id="101") as audit:
        pass
    assert [o.outcome for o in outcomes_of(audit.entry)] == ["success"]


def test_audited_upstream_refusal_is_failed_with_status_and_message(ctx):
    with (
        pytest.raises(NameTaken),
        audited(ctx=ctx, action="create", object_type="tracker", object_name="Dup") as audit,
    ):
        raise NameTaken("Name already exists", status=409)
    [outcome] = outcomes_of(audit.entry)
    assert (outcome.outcome, outcome.upstream_status, outcome.upstream_message) == (
        "failed",
        409,
        "Name already exists",
    )


def test_audited_may_have_landed_is_unknown(ctx):
    with (
        pytest.raises(Unavailable),
        audited(ctx=ctx, action="update", object_type="group", object_id="7") as audit,
    ):
        raise Unavailable("read timed out", status=None, may_have_landed=True)
    assert [o.outcome for o in outcomes_of(audit.entry)] == ["unknown"]


def test_audited_other_exception_is_unknown_without_its_text(ctx):
    with (
        pytest.raises(RuntimeError),
        audited(ctx=ctx, action="update", object_type="group", object_id="7") as audit,
    ):
        raise RuntimeError("secret-ish detail")
    [outcome] = outcomes_of(audit.entry)
    assert outcome.outcome == "unknown"
    assert "secret-ish" not in outcome.upstream_message


def test_exception_after_succeed_keeps_the_success(ctx):
    with (
        pytest.raises(KeyError),
        audited(ctx=ctx, action="delete", object_type="tracker", object_id="3") as audit,
    ):
        audit.succeed()
        raise KeyError("later")
    assert [o.outcome for o in outcomes_of(audit.entry)] == ["success"]


def test_pending_entry_is_committed_before_the_block_runs(ctx):
    # durable=True: inside someone else's transaction it refuses rather than hold the commit.
    with transaction.atomic(), pytest.raises(RuntimeError):
        audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="3")


def test_bulk_writes_one_entry_per_object_linked_by_request_id(ctx):
    entries = audit_record_many(
        ctx=ctx,
        action="bulk_create",
        object_type="tracker",
        items=[
            {"object_name": f"T{i}", "after": {"name": f"T{i}", "vocabulary": ["a"]}}
            for i in range(3)
        ],
    )
    audit_complete_many(
        entries,
        outcome="success",
        status=200,
        results=[{"object_id": str(100 + i), "after": {"id": str(100 + i)}} for i in range(3)],
    )
    assert intents().filter(request_id="req-1", action="bulk_create").count() == 3
    assert sorted(
        AuditEntry.objects.filter(completes__isnull=False).values_list("object_id", flat=True)
    ) == ["100", "101", "102"]


def test_bulk_failure_marks_every_object_failed(ctx):
    entries = audit_record_many(
        ctx=ctx,
        action="import",
        object_type="group",
        items=[{"object_name": "A"}, {"object_name": "B"}],
    )
    audit_complete_many(entries, outcome="failed", status=400, message="item 1: bad criteria")
    assert list(
        AuditEntry.objects.filter(completes__isnull=False).values_list("outcome", flat=True)
    ) == ["failed", "failed"]


def test_unknown_action_is_refused(ctx):
    with pytest.raises(ValueError):
        audit_record(ctx=ctx, action="login", object_type="tracker")
