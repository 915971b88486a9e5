"""The chain: numbering without gaps, hashing, the write lock, scrubbing and clipping."""

import pytest
from django.db import transaction

from audit.chain import append, append_outcomes, clip, intent_row, jsonable, outcome_row
from audit.integrity import walk_chain
from audit.models import GENESIS_HASH, AuditEntry
from audit.services import audit_record, audited

pytestmark = pytest.mark.django_db


def test_entries_are_numbered_without_gaps_and_chain(ctx):
    for i in range(5):
        with audited(ctx=ctx, action="delete", object_type="tracker", object_id=str(i)):
            pass
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 11)
    )
    assert walk_chain().ok


def test_first_entry_chains_from_genesis_and_each_from_the_last(ctx):
    first, second = append([intent_row(ctx, action="login", outcome="success")] * 2, durable=False)
    assert (first.prev_hash, second.prev_hash) == (GENESIS_HASH, first.hash)


def test_secret_looking_keys_are_replaced(ctx):
    entry = audit_record(
        ctx=ctx,
        action="update",
        object_type="group",
        object_id="1",
        after={"name": "g", "apiToken": "abc123", "nested": {"password": "pw"}},
    )
    assert AuditEntry.objects.get(seq=entry.seq).after == {
        "name": "g",
        "apiToken": "[removed]",
        "nested": {"password": "[removed]"},
    }


def test_jsonable_turns_tuples_and_objects_into_json():
    class Obj:
        def as_dict(self):
            return {"id": "1", "vocabulary": ("a", "b")}

    assert jsonable(Obj()) == {"id": "1", "vocabulary": ["a", "b"]}


def test_clip_cuts_text_columns_and_drops_nul():
    row = clip({"object_name": "a\x00" + "b" * 600, "reason": "ok"})
    assert (len(row["object_name"]), row["object_name"][:2], row["reason"]) == (512, "ab", "ok")


def test_durable_append_refuses_an_outer_transaction(ctx):
    with pytest.raises(RuntimeError), transaction.atomic():
        append([intent_row(ctx, action="login", outcome="success")], durable=True)


def test_a_second_final_outcome_is_refused_and_nothing_is_appended(ctx):
    entry = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="1")
    row = {
        "outcome": "success",
        "status": 200,
        "message": "",
        "object_id": None,
        "object_name": None,
        "after": None,
    }
    append_outcomes([(entry, outcome_row(entry, **row, by_system=False))])
    count = AuditEntry.objects.count()
    with pytest.raises(ValueError):
        append_outcomes([(entry, outcome_row(entry, **row, by_system=True))])
    assert AuditEntry.objects.count() == count


def test_outcome_row_by_the_system_keeps_no_client_details(ctx):
    entry = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="1")
    row = outcome_row(
        entry,
        outcome="failed",
        status=None,
        message="m",
        object_id=None,
        object_name=None,
        after=None,
        by_system=True,
    )
    assert (row["actor_id"], row["actor_username"], row["ip"], row["user_agent"]) == (
        None,
        "system:reconcile",
        "",
        "",
    )
