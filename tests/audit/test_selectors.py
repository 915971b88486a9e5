"""Selectors: object history with merged outcome and diff, last state, deleted objects, diffs."""

import pytest

from audit.deleted import deleted_objects
from audit.selectors import (
    last_known_state,
    object_history,
    recent_entries,
)
from audit.services import audit_complete, audit_record, audited
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


def delete_and_restore(ctx, state=TRACKER_BEFORE, new_id="999"):
    with audited(
        ctx=ctx,
        action="delete",
        object_type="tracker",
        object_id=state["id"],
        object_name=state["name"],
        before=state,
    ):
        pass
    with audited(
        ctx=ctx,
        action="restore",
        object_type="tracker",
        object_id=state["id"],
        object_name=state["name"],
        before=state,
        after={k: v for k, v in state.items() if k != "id"},
    ) as audit:
        audit.succeed(object_id=new_id, after={**state, "id": new_id})
    return audit.entry


def test_a_restore_shows_the_phrases_that_came_back(ctx):
    delete_and_restore(ctx)
    [restore] = object_history(object_type="tracker", object_id="999")
    assert (restore.diff.added, restore.diff.removed, restore.summary) == (
        3,
        0,
        "Restored with 3 phrases",
    )


def test_a_restore_links_to_the_deleted_objects_history(ctx):
    delete_and_restore(ctx)
    [restore] = object_history(object_type="tracker", object_id="999")
    assert (restore.restored_from, restore.restored_from_url) == ("101", "/audit/?q=101")


def test_the_deleted_objects_delete_links_to_its_new_id(ctx):
    delete_and_restore(ctx)
    delete = next(
        i for i in object_history(object_type="tracker", object_id="101") if i.action == "delete"
    )
    assert (delete.restored_as, delete.restored_as_url) == ("999", "/audit/?q=999")


def test_a_delete_not_restored_links_nowhere(ctx):
    with audited(
        ctx=ctx, action="delete", object_type="tracker", object_id="101", before=TRACKER_BEFORE
    ):
        pass
    [delete] = object_history(object_type="tracker", object_id="101")
    assert (delete.restored_as, delete.restored_as_url) == ("", "")


def test_entry_item_of_a_delete_knows_its_restore(ctx):
    from audit.models import AuditEntry
    from audit.selectors import entry_item

    delete_and_restore(ctx)
    entry = AuditEntry.objects.get(action="delete", completes__isnull=True)
    assert entry_item(entry).restored_as == "999"


def test_recent_changes_link_names_to_the_objects_page(ctx, make_user):
    from audit.selectors import recent_changes

    create(ctx, TRACKER_BEFORE)
    create(ctx, GROUP_BEFORE, object_type="group")
    items = recent_changes(user=make_user("ana", "Analyst"))
    assert [i.object_url for i in items] == ["/groups/201/", "/trackers/101/"]


def test_recent_changes_do_not_link_a_deleted_object(ctx, make_user):
    from audit.selectors import recent_changes

    create(ctx, TRACKER_BEFORE)
    delete_and_restore(ctx)
    urls = {(i.action, i.object_url) for i in recent_changes(user=make_user("ana", "Analyst"))}
    assert urls == {("create", ""), ("delete", ""), ("restore", "/trackers/999/")}


def test_recent_changes_do_not_link_what_the_viewer_may_not_open(ctx, make_user):
    from audit.selectors import recent_changes

    create(ctx, TRACKER_BEFORE)
    [item] = recent_changes(user=make_user("nobody"))
    assert item.object_url == ""
