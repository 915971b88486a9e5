"""The audit table: filters (partial names, ids), keyset pages, the actor list."""

import pytest

from audit.services import AuditContext, audited, record_event
from audit.table import (
    EntryFilters,
    EntryPage,
    actor_choices,
    entry_page,
    export_items,
    outcome_record_count,
)

from .conftest import TRACKER_BEFORE

pytestmark = pytest.mark.django_db


def sign_in(name):
    record_event(action="login", ctx=AuditContext.system(name), outcome="success")


def names(page):
    return [i.actor_username for i in page.items]


def test_who_matches_part_of_a_username_in_any_case():
    for name in ("leandra", "sam.lee", "bob"):
        sign_in(name)
    assert names(entry_page(EntryFilters(actor="LEA"))) == ["leandra"]
    assert names(entry_page(EntryFilters(actor="lee"))) == ["sam.lee"]


def test_actor_choices_are_the_logs_actors_once_each_sorted():
    for name in ("sam.lee", "leandra", "sam.lee", "system:reconcile"):
        sign_in(name)
    assert actor_choices() == ["leandra", "sam.lee", "system:reconcile"]


def test_search_by_id_finds_a_create_whose_id_is_only_on_the_answer(ctx):
    with audited(ctx=ctx, action="create", object_type="tracker", object_name="Promo") as audit:
        audit.succeed(after=TRACKER_BEFORE, object_id="101", status=201)
    [item] = entry_page(EntryFilters(q="101")).items
    assert (item.action, item.object_id) == ("create", "101")


def test_export_items_follow_the_filters():
    for name in ("leandra", "sam.lee"):
        sign_in(name)
    assert [i.actor_username for i in export_items(EntryFilters(actor="sam"))] == ["sam.lee"]


def test_empty_page_has_nothing():
    page = EntryPage.empty()
    assert (page.items, page.total, page.newer_cursor, page.older_cursor) == ([], 0, None, None)


def test_outcome_records_are_counted_apart(ctx):
    with audited(ctx=ctx, action="delete", object_type="tracker", object_id="1"):
        pass
    sign_in("ana")
    assert (outcome_record_count(), entry_page(EntryFilters()).total) == (1, 2)
