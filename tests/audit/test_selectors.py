"""Selectors: object history with merged outcome and diff, last state, deleted objects, diffs."""

import pytest

from symbl_admin.audit.selectors import (
    deleted_objects,
    diff_states,
    last_known_state,
    object_history,
    recent_entries,
)
from symbl_admin.audit.services import audit_complete, audit_record, audited
from symbl_admin.management_api.errors import NameTaken

from .conftest import GROUP_AFTER, GROUP_BEFORE, TRACKER_AFTER, TRACKER_BEFORE

pytestmark = pytest.mark.django_db


def create(ctx, state, object_type="tracker"):
    with audited(
        ctx=ctx,
        action="create",
        object_type=object_type,
        object_name=state["name"],
        after={k: v for k, v in state.items() if k != "id"},
    ) as audit:
        audit.succeed(after=state, object_id=state["id"], status=201)
    return audit.entry


def test_history_is_newest_first_with_merged_outcome(ctx):
    create(ctx, TRACKER_BEFORE)
    with audited(
        ctx=ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    ) as audit:
        audit.succeed(after=TRACKER_AFTER)
    history = object_history(object_type="tracker", object_id="101")
    assert [(h.action, h.outcome) for h in history] == [
        ("update", "success"),
        ("create", "success"),
    ]


def test_history_finds_a_create_by_the_id_in_its_answer(ctx):
    entry = create(ctx, TRACKER_BEFORE)
    [item] = object_history(object_type="tracker", object_id="101")
    assert (item.seq, item.object_id) == (entry.seq, "101")


def test_history_items_link_to_the_entry_detail(ctx):
    entry = create(ctx, TRACKER_BEFORE)
    [item] = object_history(object_type="tracker", object_id="101")
    assert item.url == f"/audit/{entry.seq}/"


def test_history_item_carries_its_diff(ctx):
    with audited(
        ctx=ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    ):
        pass
    [item] = object_history(object_type="tracker", object_id="101")
    assert (item.diff.added, item.diff.removed) == (1, 1)


def test_failed_write_shows_in_history_as_failed(ctx):
    with (
        pytest.raises(NameTaken),
        audited(
            ctx=ctx,
            action="update",
            object_type="group",
            object_id="201",
            before=GROUP_BEFORE,
            after=GROUP_AFTER,
        ),
    ):
        raise NameTaken("taken", status=409)
    [item] = object_history(object_type="group", object_id="201")
    assert (item.outcome, item.status, item.message) == ("failed", 409, "taken")


def test_last_known_state_is_the_latest_successful_answer(ctx):
    create(ctx, TRACKER_BEFORE)
    with (
        pytest.raises(NameTaken),
        audited(
            ctx=ctx,
            action="update",
            object_type="tracker",
            object_id="101",
            before=TRACKER_BEFORE,
            after=TRACKER_AFTER,
        ),
    ):
        raise NameTaken("taken", status=409)
    assert last_known_state(object_type="tracker", object_id="101") == TRACKER_BEFORE


def test_last_known_state_of_a_deleted_object_is_what_it_was(ctx):
    create(ctx, TRACKER_BEFORE)
    with audited(
        ctx=ctx,
        action="delete",
        object_type="tracker",
        object_id="101",
        object_name="Promo",
        before=TRACKER_BEFORE,
    ):
        pass
    assert last_known_state(object_type="tracker", object_id="101") == TRACKER_BEFORE


def test_deleted_objects_lists_successful_deletes(ctx):
    with audited(
        ctx=ctx,
        action="delete",
        object_type="tracker",
        object_id="101",
        object_name="Promo",
        before=TRACKER_BEFORE,
    ):
        pass
    [gone] = deleted_objects(object_type="tracker")
    assert (gone.object_id, gone.name, gone.state, gone.deleted_by) == (
        "101",
        "Promo",
        TRACKER_BEFORE,
        "writer",
    )


def test_failed_delete_is_not_listed_as_deleted(ctx):
    entry = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="101")
    audit_complete(entry, outcome="failed", status=404)
    assert deleted_objects(object_type="tracker") == []


def test_restored_object_is_no_longer_listed_as_deleted(ctx):
    with audited(
        ctx=ctx, action="delete", object_type="tracker", object_id="101", before=TRACKER_BEFORE
    ):
        pass
    with audited(
        ctx=ctx,
        action="restore",
        object_type="tracker",
        object_id="101",
        before=TRACKER_BEFORE,
        after=TRACKER_BEFORE,
    ) as audit:
        audit.succeed(object_id="999", after={**TRACKER_BEFORE, "id": "999"})
    assert deleted_objects(object_type="tracker") == []


def test_recent_entries_leave_out_sign_ins(ctx, client, make_user):
    make_user("ana")
    client.login(username="ana", password="pw-for-tests-1")
    create(ctx, TRACKER_BEFORE)
    assert [e.action for e in recent_entries(limit=10)] == ["create"]


def test_tracker_diff_is_order_aware():
    diff = diff_states(
        "tracker",
        {"name": "a", "vocabulary": ["x", "y", "z"]},
        {"name": "a", "vocabulary": ["y", "new", "z"]},
    )
    assert [(p.text, p.change) for p in diff.phrases] == [
        ("x", "removed"),
        ("y", "kept"),
        ("new", "added"),
        ("z", "kept"),
    ]


def test_tracker_diff_marks_a_reordered_phrase_as_moved():
    diff = diff_states(
        "tracker", {"name": "a", "vocabulary": ["x", "y"]}, {"name": "a", "vocabulary": ["y", "x"]}
    )
    assert (diff.moved, diff.added, diff.removed, diff.changed) == (1, 0, 0, True)


def test_group_diff_has_each_field():
    diff = diff_states("group", GROUP_BEFORE, GROUP_AFTER)
    assert [(f.name, f.changed) for f in diff.fields] == [
        ("name", True),
        ("description", True),
        ("criteria", False),
    ]


def test_create_diff_has_no_before():
    diff = diff_states("tracker", None, TRACKER_AFTER)
    assert (diff.has_before, diff.added) == (False, 3)


def test_server_timestamps_are_not_counted_as_changed_fields():
    from symbl_admin.audit.selectors import diff_states

    before = {"id": "1", "name": "A", "vocabulary": ["x"], "updatedOn": "2026-01-01T00:00:00Z"}
    after = {"id": "1", "name": "A", "vocabulary": ["x", "y"], "updatedOn": "2026-01-02T00:00:00Z"}
    diff = diff_states("tracker", before, after)
    assert diff.changed_fields == ()
    assert diff.added == 1
