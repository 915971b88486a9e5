"""A conversation's metadata change enters the review queue like a tracker's or a group's:
shown with its difference, linked to the conversation, approved by a lead."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from conversations.services import metadata_version

pytestmark = pytest.mark.django_db


def _edit(role_client, api, cid):
    seen = metadata_version(api.conversations.get(cid).metadata)
    response = role_client("analyst").post(
        f"/conversations/{cid}/metadata/",
        {"key": ["agentId"], "value": ["jane"], "seen": seen, "action": "save"},
    )
    assert response.status_code == 302


def test_a_metadata_change_is_in_the_review_queue(role_client, api, calls):
    cid = calls["renewal"]
    _edit(role_client, api, cid)
    response = role_client("lead").get("/review/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Renewal call" in html and f'href="/conversations/{cid}/"' in html
    assert "jane" in html  # the difference: agentId johndoe → jane


def test_a_lead_approves_it(role_client, api, calls):
    cid = calls["renewal"]
    _edit(role_client, api, cid)
    head = AuditEntry.objects.get(object_type="conversation", completes__isnull=True).seq
    response = role_client("lead").post(
        "/review/decide/",
        {"item": f"conversation:{cid}:{head}", "decision": "approve", "comment": ""},
    )
    assert response.status_code in (200, 302)
    assert AuditEntry.objects.filter(action="review_approved", object_type="conversation").exists()
    html = role_client("lead").get("/review/").content.decode()
    assert f'href="/conversations/{cid}/"' not in html  # out of the queue


def test_the_overview_of_an_analyst_asked_to_change_it(role_client, api, calls):
    cid = calls["renewal"]
    _edit(role_client, api, cid)
    head = AuditEntry.objects.get(object_type="conversation", completes__isnull=True).seq
    role_client("lead").post(
        "/review/decide/",
        {"item": f"conversation:{cid}:{head}", "decision": "request_changes", "comment": "why?"},
    )
    html = role_client("analyst").get("/").content.decode()
    assert "why?" in html and f'href="/conversations/{cid}/metadata/"' in html


def test_the_audit_log_shows_the_change(role_client, api, calls):
    cid = calls["renewal"]
    _edit(role_client, api, cid)
    entry = AuditEntry.objects.get(object_type="conversation", completes__isnull=True)
    listed = role_client("auditor").get("/audit/?q=Renewal")
    assert listed.status_code == 200 and "Renewal call" in listed.content.decode()
    page = role_client("auditor").get(f"/audit/{entry.seq}/")
    assert page.status_code == 200 and "jane" in page.content.decode()


def test_the_overviews_recent_changes_link_to_the_conversation(role_client, api, calls):
    cid = calls["renewal"]
    _edit(role_client, api, cid)
    html = role_client("lead").get("/").content.decode()
    assert f'href="/conversations/{cid}/"' in html
