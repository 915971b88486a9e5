"""The log's count tables (audit/counts.py): kept by every append, equal to a fresh count of
the log after any sequence of appends and rebuilds, and what the audit page reads."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import chain, counts
from audit.models import ActorCount, AuditEntry, LogCount
from audit.services import (
    AuditContext,
    audit_complete,
    audit_complete_many,
    audit_record,
    audit_record_many,
    record_event,
)

pytestmark = pytest.mark.django_db

NAMES = ["ana", "bob", "Bob", "lee", "zoë", "x" * 150, ""]
name = st.sampled_from(NAMES)
step = st.one_of(
    st.tuples(st.just("write"), name, st.sampled_from(["success", "failed", "unknown", None])),
    st.tuples(st.just("bulk"), name, st.integers(0, 4)),
    st.tuples(st.just("reconciled"), name),
    st.tuples(st.sampled_from(["login", "logout", "login_failed", "permission_denied"]), name),
    st.tuples(st.just("rebuild")),
)


def _do(action: str, *args) -> None:
    if action == "rebuild":
        call_command("rebuild_audit_counts", stdout=None)
        return
    ctx = AuditContext.system(args[0])
    if action == "write":
        entry = audit_record(ctx=ctx, action="update", object_type="tracker", object_id="7")
        if args[1]:
            audit_complete(entry, outcome=args[1], status=200)
    elif action == "bulk":
        items = [{"object_name": f"n{i}"} for i in range(args[1])]
        entries = audit_record_many(ctx=ctx, action="import", object_type="group", items=items)
        if entries:
            audit_complete_many(entries, outcome="success", status=201)
    elif action == "reconciled":  # an unknown outcome, settled later by the reconcile step
        entry = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="9")
        audit_complete(entry, outcome="unknown")
        row = chain.outcome_row(
            entry,
            outcome="success",
            status=None,
            message="",
            object_id=None,
            object_name=None,
            after=None,
            by_system=True,
        )
        chain.append_outcomes([(entry, row)])
    else:
        record_event(action=action, ctx=ctx, outcome="success")


def _fresh() -> tuple:
    """The counts as the log itself says them, counted now."""
    per_actor = (
        AuditEntry.objects.exclude(actor_username="")
        .order_by()
        .values_list("actor_username")
        .annotate(n=Count("seq"))
    )
    return (
        AuditEntry.objects.count(),
        AuditEntry.objects.filter(completes__isnull=False).count(),
        dict(per_actor),
    )


def _kept() -> tuple:
    row = LogCount.objects.get(pk=1)
    assert row.up_to == (AuditEntry.objects.order_by("-seq").values_list("seq", flat=True)[0])
    return (
        row.entries,
        row.outcomes,
        dict(ActorCount.objects.values_list("actor_username", "entries")),
    )


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(step, min_size=1, max_size=12))
def test_the_tables_equal_a_fresh_count_after_any_appends_and_rebuilds(steps):
    for action, *args in steps:
        _do(action, *args)
    if AuditEntry.objects.exists():
        assert _kept() == _fresh()


def test_a_migrated_log_is_counted():
    record_event(action="login", ctx=AuditContext.system("ana"), outcome="success")
    LogCount.objects.all().delete()
    ActorCount.objects.all().delete()
    counts.rebuild()  # what migration 0005 runs over the log as it stands
    assert _kept() == _fresh() == (1, 0, {"ana": 1})


def test_the_rebuild_command_says_what_it_counted():
    entry = audit_record(ctx=AuditContext.system("ana"), action="create", object_type="group")
    audit_complete(entry, outcome="success", status=201)
    from io import StringIO

    out = StringIO()
    call_command("rebuild_audit_counts", stdout=out)
    assert out.getvalue().strip() == "Audit counts rebuilt: 2 entries, 1 outcome records."


def _written_around_the_chain(username: str) -> None:
    """An entry inserted without the chain (as a hand-restored or hand-edited database may)."""
    last = AuditEntry.objects.order_by("-seq").first()
    entry = AuditEntry(
        seq=last.seq + 1,
        time=last.time,
        actor_username=username,
        action="login",
        outcome="success",
        prev_hash=last.hash,
    )
    entry.hash = entry.compute_hash()
    AuditEntry.objects.bulk_create([entry])


def test_tables_out_of_step_with_the_log_are_not_read():
    record_event(action="login", ctx=AuditContext.system("ana"), outcome="success")
    _written_around_the_chain("eve")
    assert (counts.totals(), counts.actors(10)) == (None, None)


def test_the_next_append_brings_tables_out_of_step_back_to_the_log():
    record_event(action="login", ctx=AuditContext.system("ana"), outcome="success")
    _written_around_the_chain("eve")
    record_event(action="logout", ctx=AuditContext.system("ana"), outcome="success")
    assert _kept() == _fresh() == (3, 0, {"ana": 2, "eve": 1})
    assert counts.actors(10) == ["ana", "eve"]


# ---------------------------------------------------------------------------------------------
# The audit page reads them


def _some_log() -> None:
    for step_ in [("write", "ana", "success"), ("bulk", "bob", 3), ("reconciled", "lee")]:
        _do(*step_)
    for who in ["zoë", "ana", "", "eve"]:
        _do("login_failed", who)


def _figures(client, query: str = "") -> tuple:
    context = client.get(f"/audit/{query}").context
    page = context["page"]
    return (
        page.total,
        page.total_capped,
        context["outcome_records"],
        context["entry_records"],
        context["actors"],
    )


def test_the_unfiltered_page_counts_no_entries(role_client):
    from django.db import connection

    _some_log()
    viewer = role_client("auditor")
    seen: list[str] = []

    def spy(execute, sql, params, many, context):  # not CaptureQueriesContext: it logs params
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        assert viewer.get("/audit/").status_code == 200
    log = connection.ops.quote_name(AuditEntry._meta.db_table)
    assert [sql for sql in seen if log in sql and ("COUNT(" in sql or "DISTINCT" in sql)] == []


@pytest.mark.parametrize("cap", [10_000, 3])
def test_the_page_shows_the_numbers_a_count_of_the_log_gives(role_client, monkeypatch, cap):
    monkeypatch.setattr("audit.table.COUNT_CAP", cap)
    _some_log()
    viewer = role_client("auditor")
    from_tables = _figures(viewer)
    LogCount.objects.all().delete()  # out of step: the page counts the log instead
    assert from_tables == _figures(viewer)
    listed = AuditEntry.objects.filter(completes__isnull=True).count()
    assert from_tables[:2] == (min(listed, cap), listed > cap)


def test_a_filtered_total_is_still_counted(role_client):
    _some_log()
    assert _figures(role_client("auditor"), "?actor=an")[0] == 2  # ana's write, ana's sign-in
