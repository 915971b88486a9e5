"""Times on every screen are written in the dashboard's TIME_ZONE (DJANGO_TIME_ZONE), with the
zone named, and marked for the browser to show in the viewer's own zone: the audit log, the
review queue and each object's review state, and the breaker's "unreachable since ...".
Here TIME_ZONE is Europe/Paris, so a time labelled "UTC", or one with no zone, is wrong."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from symbl_admin.management_api import Unavailable, get_client
from symbl_admin.management_api.breaker import CircuitBreaker, CircuitOpen

from .conftest import PHRASES

pytestmark = pytest.mark.django_db

PARIS = "Europe/Paris"
# 1_800_000_000 is 2027-01-15 08:00:00 UTC: 09:00 in Paris, in winter.
STAMP = r'<time datetime="[^"]+" data-local>\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? CES?T</time>'


@pytest.fixture
def paris(settings):
    settings.TIME_ZONE = PARIS
    return settings


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def changed(paris, people, write):
    return write(people["analyst"], "Zoned", PHRASES)


@pytest.fixture
def approved(people, changed):
    lead = _as(people["lead"])
    key = lead.get("/review/").context["queue"].items[0].key
    assert lead.post("/review/decide/", {"item": key, "decision": "approve"}).status_code == 302
    return changed


def test_the_review_state_names_the_zone(people, approved):
    page = _as(people["analyst"]).get(f"/trackers/{approved.id}/").content.decode()
    assert re.search(r"Approved by lee, " + STAMP, page), page


def test_the_review_queue_names_the_zone(people, changed):
    page = _as(people["lead"]).get("/review/").content.decode()
    assert re.search(STAMP, page)
    assert "UTC</time>" not in page


def test_the_audit_log_names_the_zone(people, approved):
    page = _as(people["auditor"]).get("/audit/").content.decode()
    assert re.search(STAMP, page)
    assert "UTC</time>" not in page


def test_the_breaker_says_since_when_in_that_zone():
    breaker = CircuitBreaker(threshold=1, now=lambda: 1_800_000_000.0, zone=ZoneInfo(PARIS))
    with pytest.raises(Unavailable), breaker.guard():
        raise Unavailable()
    with pytest.raises(CircuitOpen) as caught, breaker.guard():
        pass
    assert caught.value.title == "The Management API is unreachable since 2027-01-15 09:00:00 CET."


def test_the_dashboards_client_takes_the_zone_from_settings(paris):
    assert get_client().breaker.zone == ZoneInfo(PARIS)
