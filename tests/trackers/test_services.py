"""Every trackers write path leaves exactly one audit entry per object, with its outcome,
also when the Management API refuses, fails or may have acted without answering."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from audit.services import AuditContext
from resources.writes import EditConflict
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import NameTaken, Unavailable
from tests.trackers import writes as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(make_user):
    return AuditContext(
        actor=make_user("svc"), username="svc", request_id="req-1", ip="127.0.0.1", user_agent="t"
    )


def _entries(action):
    return list(AuditEntry.objects.filter(action=action, completes__isnull=True))


def _outcome(entry):
    latest = AuditEntry.objects.filter(completes=entry.seq).order_by("-seq").first()
    return latest.outcome if latest else "pending"


def _faulty_client(settings, monkeypatch, **env):
    """A second client on the same account whose embedded server misbehaves as told (a new
    deadline value makes get_client build a new client, which picks up the fault settings)."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings.SYMBL_API_DEADLINE = 2.5
    return get_client()


def test_update_dropped_after_write_is_unknown(api, settings, monkeypatch, ctx):
    tracker = api.trackers.create(name="A", vocabulary=["x"])
    client = _faulty_client(
        settings, monkeypatch, SYMBL_FAULT_DROP_AFTER_WRITE="1", SYMBL_FAULT_DROP_RATE="1"
    )
    # The re-read answers (GETs are dropped too, so answer it from the healthy client).
    monkeypatch.setattr(type(client.trackers), "get", lambda self, tracker_id: tracker)
    with pytest.raises(Unavailable) as raised:
        services.tracker_update(
            client=client,
            tracker_id=tracker.id,
            name="A",
            vocabulary=["y"],
            fingerprint=tracker.fingerprint,
            ctx=ctx,
        )
    assert raised.value.may_have_landed
    [entry] = _entries("update")
    assert _outcome(entry) == "unknown"


def test_update_conflict_writes_nothing(api, ctx):
    tracker = api.trackers.create(name="A", vocabulary=["x"])
    stale = tracker.fingerprint
    api.trackers.update(tracker.id, name="A", vocabulary=["z"])
    with pytest.raises(EditConflict):
        services.tracker_update(
            client=api,
            tracker_id=tracker.id,
            name="A",
            vocabulary=["y"],
            fingerprint=stale,
            ctx=ctx,
        )
    assert _entries("update") == []


def test_delete_upstream_failure_is_not_success(api, settings, monkeypatch, ctx):
    tracker = api.trackers.create(name="A", vocabulary=["x"])
    client = _faulty_client(settings, monkeypatch, SYMBL_FAULT_ERROR_RATE="1")
    monkeypatch.setattr(type(client.trackers), "get", lambda self, tracker_id: tracker)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    with pytest.raises(Unavailable):
        services.tracker_delete(client=client, tracker_id=tracker.id, ctx=ctx)
    [entry] = _entries("delete")
    assert _outcome(entry) in {"failed", "unknown"}


def test_import_one_entry_per_tracker_linked_by_request(api, ctx):
    report = services.ImportReport()
    items = [{"name": f"T{i}", "vocabulary": ["x"]} for i in range(3)]
    services.tracker_import_chunk(client=api, items=items, ctx=ctx, report=report)
    entries = _entries("import")
    assert len(entries) == 3
    assert {e.request_id for e in entries} == {"req-1"}
    assert all(_outcome(e) == "success" for e in entries)
    assert [c["name"] for c in report.created] == ["T0", "T1", "T2"]


def test_import_refused_batch_falls_back_and_reports_exactly(api, ctx):
    api.trackers.create(name="T1", vocabulary=["x"])
    report = services.ImportReport()
    items = [{"name": f"T{i}", "vocabulary": ["x"]} for i in range(3)]
    services.tracker_import_chunk(client=api, items=items, ctx=ctx, report=report)
    assert [c["name"] for c in report.created] == ["T0", "T2"]
    assert [f["name"] for f in report.failed] == ["T1"]
    assert {t.name for t in api.trackers.list()} == {"T0", "T1", "T2"}


def test_restore_logs_under_old_id_and_completes_with_new(api, ctx):
    tracker = api.trackers.create(name="A", vocabulary=["x"])
    services.tracker_delete(client=api, tracker_id=tracker.id, ctx=ctx)
    restored = services.tracker_restore(client=api, state=tracker.as_dict(), ctx=ctx)
    [entry] = _entries("restore")
    assert entry.object_id == tracker.id
    assert AuditEntry.objects.get(completes=entry.seq).object_id == restored.id


def test_create_success(api, ctx):
    tracker = services.tracker_create(client=api, name="A", vocabulary=["x"], ctx=ctx)
    [entry] = _entries("create")
    assert (_outcome(entry), entry.object_name) == ("success", "A")
    assert AuditEntry.objects.get(completes=entry.seq).object_id == tracker.id


def test_create_refused_name_is_failed(api, ctx):
    api.trackers.create(name="A", vocabulary=["x"])
    with pytest.raises(NameTaken):
        services.tracker_create(client=api, name="A", vocabulary=["y"], ctx=ctx)
    [entry] = _entries("create")
    assert _outcome(entry) == "failed"


def test_update_success_records_before_and_after(api, ctx):
    tracker = api.trackers.create(name="A", vocabulary=["x"])
    services.tracker_update(
        client=api,
        tracker_id=tracker.id,
        name="A",
        vocabulary=["y"],
        fingerprint=tracker.fingerprint,
        ctx=ctx,
    )
    [entry] = _entries("update")
    assert entry.before["vocabulary"] == ["x"]
    assert entry.after["vocabulary"] == ["y"]
    assert _outcome(entry) == "success"
