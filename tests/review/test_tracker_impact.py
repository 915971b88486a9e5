"""A tracker change in the review queue: the sentences it newly catches and no longer
catches, per phrase added or removed, loaded on demand (a fragment, never kept) over
conversations processed with the account's trackers on the embedded server."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from review.reviews import object_reviews
from tests.management_api.fake_server import Reply
from tests.support.tracker_preview import preview_answering, processed_with_trackers

pytestmark = pytest.mark.django_db

PRICE = "Send me the price list, please."
REFUND = "Could I get a refund for the broken one?"


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _impact_url(page: str) -> str:
    found = re.search(r'hx-get="(/review/impact/tracker/\d+/\d+/)"', page)
    assert found, "no tracker impact fragment on the queue"
    return found.group(1)


@pytest.fixture
def changed(api, people, write):
    """ "Pricing" on "price list", approved, then changed to "refund"; a conversation with
    a sentence for each stored."""
    tracker = write(people["analyst"], "Pricing", ["price list"])
    processed_with_trackers(api, "Pricing call", [PRICE, REFUND, "Thanks, bye."])
    key = f"tracker:{tracker.id}:{object_reviews()[('tracker', tracker.id)].head}"
    _as(people["lead"]).post("/review/decide/", {"item": key, "decision": "approve"})
    write(people["analyst"], "Pricing", ["refund"])
    return tracker


def test_the_queue_offers_the_impact_on_demand(people, changed):
    page = _as(people["lead"]).get("/review/").content.decode()
    url = _impact_url(page)
    assert 'hx-trigger="toggle once"' in page and f'href="{url}"' in page
    assert "Show the sentences this change newly catches" in page
    assert "Newly catches" not in page  # not computed with the queue


def test_the_fragment_shows_what_is_newly_and_no_longer_caught_per_phrase(people, changed):
    lead = _as(people["lead"])
    url = _impact_url(lead.get("/review/").content.decode())
    body = lead.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and 'class="review-impact small"' in body
    assert "Newly catches 1 sentence, no longer catches 1." in body
    assert re.search(r"“refund”</span> <span class=\"badge badge-info\">added</span>: 1", body)
    assert re.search(r"“price list”</span> <span class=\"badge badge-info\">removed</span>", body)
    assert REFUND in body and PRICE in body and "exact match on “refund”" in body


def test_the_fragment_follows_the_stored_conversations(api, people, changed):
    lead = _as(people["lead"])
    url = _impact_url(lead.get("/review/").content.decode())
    processed_with_trackers(api, "Another call", ["Is a refund possible for this order?"])
    assert "Newly catches 2 sentences" in lead.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_a_new_tracker_newly_catches_all_it_catches(api, people, write):
    processed_with_trackers(api, "Pricing call", [PRICE, "Thanks, bye."])
    write(people["analyst"], "Pricing", ["price list"])
    lead = _as(people["lead"])
    body = lead.get(_impact_url(lead.get("/review/").content.decode())).content.decode()
    assert "<html" in body  # without JavaScript: a page
    assert "Newly catches 1 sentence, no longer catches 0." in body


def test_an_auditor_sees_counts_only(people, changed):
    url = _impact_url(_as(people["lead"]).get("/review/").content.decode())
    body = _as(people["auditor"]).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Newly catches 1 sentence" in body and "Counts only" in body
    assert REFUND not in body and PRICE not in body


def test_analysts_may_not_read_it(people, changed):
    url = _impact_url(_as(people["lead"]).get("/review/").content.decode())
    assert _as(people["analyst"]).get(url).status_code == 403


def test_entries_that_are_not_one_trackers_change_are_404(people, changed, write):
    lead = _as(people["lead"])
    assert lead.get("/review/impact/tracker/999999/999999/").status_code == 404
    seq = object_reviews()[("tracker", changed.id)].head
    assert lead.get(f"/review/impact/tracker/{seq}/{seq - 1}/").status_code == 404


def test_hidden_with_a_note_against_a_server_without_the_extension(people, changed, settings):
    url = _impact_url(_as(people["lead"]).get("/review/").content.decode())
    with preview_answering(settings, Reply(404, {"message": "No such path"})):
        body = _as(people["lead"]).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "does not offer our tracker preview extension" in body and "Newly" not in body


def test_an_upstream_failure_says_the_effect_is_missing(people, changed, settings):
    url = _impact_url(_as(people["lead"]).get("/review/").content.decode())
    with preview_answering(settings, Reply(503, {"message": "down"})):
        response = _as(people["lead"]).get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "The effect on conversations is missing" in response.content.decode()
