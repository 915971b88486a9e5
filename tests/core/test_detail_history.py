"""The detail page shows an object's latest five changes and links to the whole history."""

from __future__ import annotations

import pytest

from audit.services import AuditContext
from resources import services
from trackers.resource import TRACKERS

pytestmark = pytest.mark.django_db


def test_the_latest_five_changes_then_the_whole_history(api, role_client):
    ctx = AuditContext.system("pytest")
    data = {"name": "Promo", "vocabulary": ["sale now"]}
    tracker = services.create(client=api, resource=TRACKERS, data=data, ctx=ctx)
    for n in range(11):
        data = {"name": "Promo", "vocabulary": ["sale now", f"offer {n}"]}
        services.update(
            client=api,
            resource=TRACKERS,
            object_id=tracker.id,
            data=data,
            fingerprint="",
            ctx=ctx,
        )
    client = role_client("lead")
    page = client.get(f"/trackers/{tracker.id}/").content.decode()
    assert page.count('class="audit-timeline-item ') == 5
    assert f'href="/trackers/{tracker.id}/?history=all#history-heading"' in page
    whole = client.get(f"/trackers/{tracker.id}/?history=all").content.decode()
    assert (
        whole.count('class="audit-timeline-item ') == 12 and "Show the whole history" not in whole
    )
