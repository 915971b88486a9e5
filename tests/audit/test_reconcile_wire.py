"""reconcile_audit over real HTTP: the real client (from settings) against a socket test double."""

import io

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from audit.services import audit_complete, audit_record
from symbl_admin.management_api import reset_client
from tests.management_api.fake_server import APP_ID, APP_SECRET, FakeManagementAPI, Reply

from .conftest import TRACKER_AFTER, TRACKER_BEFORE

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(settings):
    api = FakeManagementAPI().start()
    settings.SYMBL_API_BASE_URL = api.url
    settings.SYMBL_APP_ID = APP_ID
    settings.SYMBL_APP_SECRET = APP_SECRET
    settings.SYMBL_API_DEADLINE = 5.0
    reset_client()
    yield api
    reset_client()
    api.stop()


def test_reconcile_command_reads_the_server(ctx, server):
    server.on("GET", "/v1/manage/tracker/101", Reply(200, {"tracker": TRACKER_AFTER}))
    update = audit_record(
        ctx=ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    )
    delete = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="5")
    for entry in (update, delete):
        audit_complete(entry, outcome="unknown", message="read timed out")
    out = io.StringIO()
    call_command("reconcile_audit", stdout=out)
    finals = {
        e.completes_id: e.outcome
        for e in AuditEntry.objects.filter(actor_username="system:reconcile")
    }
    assert finals == {update.seq: "success", delete.seq: "success"}  # 404 = the delete landed
    assert "2 unresolved, 2 resolved, 0 left." in out.getvalue()
