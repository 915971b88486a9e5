"""The audit chain's full check from the screen (audit/full_check.py): the banner says what the
quick check did without contradicting itself; an auditor starts a full check (POST, CSRF, one
at a time), sees its progress while it runs, and the last check's time, who ran it and its
result, recorded as an audit entry. The run in a background thread over real HTTP is
tests/browser/test_audit.py::test_an_auditor_runs_a_full_check_from_the_screen."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from audit import full_check
from audit.context import AuditContext
from audit.models import AuditEntry
from audit.services import audited

from .test_verify import tamper

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def log(ctx):
    for i in range(3):
        with audited(ctx=ctx, action="delete", object_type="tracker", object_id=str(i)):
            pass


def _page(client) -> str:
    """The page's integrity region, in one line."""
    page = " ".join(client.get("/audit/").content.decode().split())
    return page.split('id="audit-integrity"')[1].split("</section>")[0]


def _as_auditor(make_user) -> tuple[Client, AuditContext]:
    user = make_user("aud", "Auditor")
    client = Client()
    client.force_login(user)
    ctx = AuditContext(actor=user, username="aud", request_id="r", ip="", user_agent="")
    return client, ctx


def test_the_banner_does_not_contradict_itself(role_client, log):
    """ "all 95 records chain correctly… no full check has been run yet" read as a
    contradiction: the page now says what it checked, and what a full check adds."""
    page = _page(role_client("auditor"))
    assert re.search(r"all \d+ records chain correctly: .* checked as this page opened", page)
    assert "; no full check has been run yet" not in page
    assert "No full check has been run yet. A full check reads every record" in page
    assert "Run a full check" in page


def test_a_run_records_who_when_and_the_result(make_user, log):
    client, ctx = _as_auditor(make_user)
    entry = full_check.run(ctx=ctx)
    assert (entry.action, entry.outcome, entry.actor_username) == (
        "audit_verified",
        "success",
        "aud",
    )
    assert entry.after == {"ok": True, "count": entry.seq - 1, "problem": "", "broken_seq": None}
    page = _page(client)
    assert "Last full check:" in page and "by <strong>aud</strong>" in page
    assert (
        f"passed</span>: {entry.seq - 1} records chain correctly and match the last checkpoint"
        in page
    )
    assert "No full check has been run yet" not in page


def test_a_failed_run_says_where_the_chain_breaks(make_user, log):
    client, ctx = _as_auditor(make_user)
    tamper("UPDATE audit_auditentry SET object_id = 'x' WHERE seq = 3")
    entry = full_check.run(ctx=ctx)
    assert entry.outcome == "failed" and entry.after["broken_seq"] == 3
    page = _page(client)
    assert "failed</span>: Entry #3 was altered" in page


def test_a_later_command_line_check_is_said_as_such(make_user, log):
    client, ctx = _as_auditor(make_user)
    full_check.run(ctx=ctx)
    call_command("verify_audit", stdout=io.StringIO())
    # The command ran a few seconds after the screen's run (its file keeps whole seconds).
    result = full_check._directory() / "last-verification.json"
    later = full_check.last_check().time + timedelta(seconds=5)
    data = {**json.loads(result.read_text()), "time": later.strftime("%Y-%m-%dT%H:%M:%SZ")}
    result.write_text(json.dumps(data))
    assert "from the command line" in _page(client)


def test_an_analyst_may_not_run_one(role_client, log):
    response = role_client("analyst").post("/audit/verify/")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="audit_verified").exists()
    assert not full_check.progress().running


def test_starting_one_needs_the_csrf_token(make_user, log):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("aud", "Auditor"))
    assert client.post("/audit/verify/").status_code == 403
    assert not full_check.progress().running


def test_one_run_at_a_time(role_client, log):
    held = full_check._lock()  # a run in another worker holds the lock
    try:
        body = role_client("auditor").post("/audit/verify/", **HX).content.decode()
        assert "A full check is running" in body  # its progress, not a second run
        plain = role_client("auditor").post("/audit/verify/", follow=True).content.decode()
        assert "A full check is already running" in plain
    finally:
        full_check._release(held)
    assert not AuditEntry.objects.filter(action="audit_verified").exists()


def test_progress_is_shown_and_polled_while_a_run_goes_on(role_client, log):
    held = full_check._lock()
    try:
        full_check._write_progress(full_check.Progress(True, 3000, 12000, "aud", "x"))
        body = " ".join(role_client("auditor").get("/audit/verify/", **HX).content.decode().split())
    finally:
        full_check._release(held)
    assert "started by aud: 3000 of 12000 records checked (25%)" in body
    assert 'hx-trigger="every 1s"' in body and '<progress max="12000" value="3000"' in body
    after = role_client("auditor").get("/audit/verify/", **HX).content.decode()
    assert "every 1s" not in after  # the lock is free: nothing runs, no more polling


def test_an_auditor_starts_one_with_a_post_and_sees_its_result(make_user, log):
    client, _ = _as_auditor(make_user)
    body = " ".join(client.post("/audit/verify/", **HX).content.decode().split())
    assert body.startswith('<section id="audit-integrity"')
    assert "by <strong>aud</strong>" in body and "passed</span>" in body
    entry = AuditEntry.objects.get(action="audit_verified")
    assert (entry.actor_username, entry.outcome) == ("aud", "success")
    response = client.post("/audit/verify/")  # without JavaScript: back to the page
    assert response.status_code == 302 and response["Location"] == "/audit/"


def test_a_checks_entry_reads_like_any_other(make_user, log):
    client, ctx = _as_auditor(make_user)
    entry = full_check.run(ctx=ctx)
    page = client.get(f"/audit/{entry.seq}/").content.decode()
    assert "Full integrity check" in page
    listed = client.get("/audit/?action=audit_verified", **HX).content.decode()
    assert f'aria-label="Entry {entry.seq}"' in listed


def test_a_start_is_not_refused_by_a_pages_look_at_the_lock(make_user, log):
    """progress() takes the run's lock for an instant to see whether a check runs; a start
    that lands in that instant (another worker) is not told one is already running."""
    import threading
    import time

    _, ctx = _as_auditor(make_user)
    looking = full_check._lock()  # a page's progress() holding the lock for its instant

    def let_go():
        time.sleep(0.03)
        full_check._release(looking)

    threading.Thread(target=let_go).start()
    assert full_check.start(ctx=ctx) is True
