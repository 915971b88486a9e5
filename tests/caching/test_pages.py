"""Whole pages kept in the worker (caching/pages.py): never another viewer's, never another
request's CSRF token, never past a change, a message or a history still waiting."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.test import Client

from audit.services import AuditContext, audit_record
from resources import services
from symbl_admin.caching import pages
from trackers.resource import TRACKERS

pytestmark = pytest.mark.django_db
PHRASES = ["sale now", "half price", "limited offer", "discount code", "special deal"]


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture
def tracker(api):
    ctx = AuditContext.system("pytest")
    data = {"name": "Promo", "vocabulary": PHRASES}
    return services.create(client=api, resource=TRACKERS, data=data, ctx=ctx)


def test_a_kept_page_carries_each_requests_own_csrf_token(role_client, make_user, tracker):
    url = f"/trackers/{tracker.id}/"
    first = role_client("lead").get(url).content.decode()
    again = role_client("lead").get(url).content.decode()
    assert pages._MARKER not in first + again
    assert _token(first) != _token(again)  # masked afresh: the page was kept, not the token
    other = Client(enforce_csrf_checks=True)
    other.force_login(make_user("lead-two", "Team lead"))
    page = other.get(url).content.decode()
    assert "lead-two" in page and "lead-user" not in page  # keyed by viewer
    answer = other.post("/accounts/logout/", {"csrfmiddlewaretoken": _token(page)})
    assert answer.status_code == 302  # the token on the kept page is this session's


def test_each_role_gets_its_own_page(role_client, tracker):
    url = f"/trackers/{tracker.id}/"
    lead, auditor = role_client("lead").get(url), role_client("auditor").get(url)
    assert ">Edit</a>" in lead.content.decode()
    assert ">Edit</a>" not in auditor.content.decode()
    assert ">Edit</a>" not in role_client("auditor").get(url).content.decode()


def test_a_waiting_message_is_shown_not_a_kept_page(role_client, tracker, rf):
    client = role_client("lead")
    url = f"/trackers/{tracker.id}/"
    client.get(url)  # kept
    session = client.session
    request = rf.get(url)
    request.session = session
    from django.contrib.messages.storage.session import SessionStorage

    storage = SessionStorage(request)
    storage.add(messages.SUCCESS, "Saved it for you")
    storage.update(_response())
    session.save()
    page = client.get(url).content.decode()
    assert "Saved it for you" in page


def test_a_list_follows_a_change_made_outside(role_client, api, tracker):
    client = role_client("auditor")
    assert "Renamed outside" not in client.get("/trackers/").content.decode()
    api.trackers.update(tracker.id, name="Renamed outside", vocabulary=PHRASES)
    assert "Renamed outside" in client.get("/trackers/").content.decode()


def test_a_history_waiting_for_an_outcome_is_never_kept(role_client, tracker):
    client = role_client("lead")
    url = f"/trackers/{tracker.id}/"
    pages._pages._values.clear()
    client.get(url)
    assert len(pages._pages._values) == 1  # settled: kept
    audit_record(
        ctx=AuditContext.system("pytest"),
        action="update",
        object_type="tracker",
        object_id=tracker.id,
        object_name="Promo",
        after={"name": "Promo", "vocabulary": PHRASES},
    )  # sent, no answer recorded yet: it reads "No answer recorded" once old enough
    pages._pages._values.clear()
    page = client.get(url).content.decode()
    assert "Pending" in page or "No answer recorded" in page
    assert len(pages._pages._values) == 0  # a timeline that may still change is not kept


def _response():
    from django.http import HttpResponse

    return HttpResponse()
