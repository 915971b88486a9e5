"""A group change in the review queue: how many conversations it adds and removes, loaded
on demand (a fragment, never kept) over conversations made through process_text."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from groups.resource import GROUPS
from resources import services
from review.reviews import object_reviews
from tests.groups.conversation_support import processed

from .conftest import ctx_for

pytestmark = pytest.mark.django_db

JOHN = "conversation.metadata.agentId==john"
SALES = "conversation.metadata.callType==sales"


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def calls(api):
    processed(api, "John sales", agentId="john", callType="sales")
    processed(api, "John support", agentId="john", callType="support")
    processed(api, "Mary sales", agentId="mary", callType="sales")
    processed(api, "Ann sales", agentId="ann", callType="sales")


def _group(api, user, criteria, group=None):
    data = {"name": "Chosen", "description": "", "criteria": criteria}
    if group is None:
        return services.create(client=api, resource=GROUPS, data=data, ctx=ctx_for(user))
    return services.update(
        client=api,
        resource=GROUPS,
        object_id=group.id,
        data=data,
        fingerprint="",
        ctx=ctx_for(user),
    )


def _impact_url(page: str) -> str:
    found = re.search(r'hx-get="(/review/impact/\d+/\d+/)"', page)
    assert found, "no impact fragment on the queue"
    return found.group(1)


@pytest.fixture
def changed(api, people, calls):
    """John's group, approved, then changed to the sales calls."""
    group = _group(api, people["analyst"], JOHN)
    lead = _as(people["lead"])
    key = f"group:{group.id}:{object_reviews()[('group', group.id)].head}"
    lead.post("/review/decide/", {"item": key, "decision": "approve", "comment": ""})
    _group(api, people["analyst"], SALES, group)
    return group


def test_the_queue_offers_the_impact_on_demand(people, changed):
    page = _as(people["lead"]).get("/review/").content.decode()
    url = _impact_url(page)
    assert 'hx-trigger="toggle once"' in page and f'href="{url}"' in page
    assert "Adds " not in page  # not computed with the queue


def test_the_fragment_counts_what_the_change_adds_and_removes(people, changed):
    lead = _as(people["lead"])
    url = _impact_url(lead.get("/review/").content.decode())
    body = lead.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and 'class="review-impact small"' in body
    assert "Adds 2 conversations, removes 1." in body  # + Mary, Ann; − John support
    assert "before, 2 selected; after, 3 selected" in body


def test_the_fragment_follows_the_conversations(api, people, changed):
    lead = _as(people["lead"])
    url = _impact_url(lead.get("/review/").content.decode())
    processed(api, "Bob sales", agentId="bob", callType="sales")
    assert "Adds 3 conversations" in lead.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_a_new_group_adds_all_it_selects(api, people, calls):
    _group(api, people["analyst"], JOHN)
    lead = _as(people["lead"])
    body = lead.get(_impact_url(lead.get("/review/").content.decode())).content.decode()
    assert "<html" in body  # without JavaScript: a page
    assert "Adds 2 conversations, removes 0." in body and "did not exist before" in body


def test_entries_that_are_not_one_groups_change_are_404(people, changed, write):
    tracker = write(people["analyst"], "Promo", ["special promotion"])
    lead = _as(people["lead"])
    seq = object_reviews()[("tracker", tracker.id)].head
    assert lead.get(f"/review/impact/{seq}/{seq}/").status_code == 404
    assert lead.get("/review/impact/999999/999999/").status_code == 404


def test_analysts_may_not_read_it(people, changed):
    url = _impact_url(_as(people["lead"]).get("/review/").content.decode())
    assert _as(people["analyst"]).get(url).status_code == 403


def test_hidden_with_a_note_against_a_server_without_the_extension(
    api, people, changed, settings, no_extension
):
    url = _impact_url(_as(people["lead"]).get("/review/").content.decode())
    body = _as(people["lead"]).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "The effect on conversations is not shown" in body and "Adds" not in body
