"""The revert screen names its version by date and author, and offers no Revert that would
change nothing (resources/generic/history.py, issue 23)."""

from __future__ import annotations

import pytest
from django.utils.timezone import localtime

from audit.models import AuditEntry
from tests.trackers.writes import form as _form

pytestmark = pytest.mark.django_db


def _history(role_client, api):
    """A lead creates a tracker and adds a phrase; returns (client, tracker, create entry)."""
    lead = role_client("lead")
    lead.post("/trackers/new/", _form(name="Hist", phrases=["one", "two"]))
    tracker = api.trackers.find_by_name("Hist")
    lead.post(f"/trackers/{tracker.id}/edit/", _form(name="Hist", phrases=["one", "two", "three"]))
    created = AuditEntry.objects.get(action="create", completes__isnull=True)
    return lead, tracker, created


def test_revert_names_the_version_by_its_date_and_author(role_client, api):
    lead, tracker, created = _history(role_client, api)
    body = lead.get(f"/trackers/{tracker.id}/revert/{created.seq}/").content.decode()
    assert f"history entry #{created.seq}" not in body
    assert "the version lead-user saved on" in body
    assert f'<time datetime="{localtime(created.time).isoformat()}"' in body


def test_a_revert_that_changes_nothing_offers_no_revert_button(role_client, api):
    lead, tracker, _ = _history(role_client, api)
    latest = AuditEntry.objects.filter(action="update", completes__isnull=True).get()
    body = lead.get(f"/trackers/{tracker.id}/revert/{latest.seq}/").content.decode()
    assert "reverting would change nothing" in body
    assert '<button type="submit" class="btn btn-primary">Revert</button>' not in body


def test_a_posted_revert_that_changes_nothing_writes_nothing(role_client, api):
    lead, tracker, _ = _history(role_client, api)
    latest = AuditEntry.objects.filter(action="update", completes__isnull=True).get()
    before = AuditEntry.objects.count()
    response = lead.post(
        f"/trackers/{tracker.id}/revert/{latest.seq}/",
        {"fingerprint": api.trackers.get(tracker.id).fingerprint, "reason": "typed"},
        follow=True,
    )
    # Already that version (e.g. another lead reverted first): back to the tracker, saying so;
    # nothing written, and nothing typed is lost that could still be used.
    assert response.redirect_chain[-1][0] == f"/trackers/{tracker.id}/"
    assert "is already that version: nothing changed" in response.content.decode()
    assert AuditEntry.objects.count() == before
