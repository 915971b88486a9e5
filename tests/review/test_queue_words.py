"""What the review screens say (issue 23, low items): a change made after a request for
changes awaits re-review; the queue names who actually approves a lead's own changes; the
quality report is in the menu of every role that may see it; a decision's message is said
once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from review.reviews import object_reviews

from .conftest import PHRASES

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _key(tracker) -> str:
    return f"tracker:{tracker.id}:{object_reviews()[('tracker', tracker.id)].head}"


# -- the badge after an analyst addresses a change request


def test_a_change_after_a_request_for_changes_awaits_re_review(people, write):
    tracker = write(people["analyst"], "Promo", PHRASES)
    data = {"item": _key(tracker), "decision": "request_changes", "comment": "add plurals"}
    _as(people["lead"]).post("/review/decide/", data)
    analyst = _as(people["analyst"])
    assert "Changes requested" in analyst.get("/trackers/").content.decode()
    write(people["analyst"], "Promo", [*PHRASES, "special promotions"])
    for path in ("/trackers/", f"/trackers/{tracker.id}/"):
        page = analyst.get(path).content.decode()
        assert "awaits re-review" in page
        assert "Not reviewed yet" not in page


# -- who approves a lead's own changes


@pytest.fixture
def sole_lead_and_an_admin(people, make_user):
    people["lead2"].is_active = False
    people["lead2"].save()
    return make_user("adm", "Admin", is_staff=True, is_superuser=True)


def test_a_sole_lead_is_told_an_admin_approves_their_changes(people, sole_lead_and_an_admin):
    page = _as(people["lead"]).get("/review/").content.decode()
    assert "another team lead" not in page
    assert "you are the only team lead, so an admin approves them" in page


def test_a_sole_leads_own_change_is_refused_naming_the_admin(people, write, sole_lead_and_an_admin):
    write(people["lead"], "Own change", PHRASES)
    page = _as(people["lead"]).get("/review/").content.decode()
    assert "You made a change here, so an admin must approve it." in page


def test_a_kept_queue_follows_who_else_may_approve(
    people, write, make_user, sole_lead_and_an_admin
):
    write(people["analyst"], "Promo", PHRASES)
    lee = _as(people["lead"])
    for _ in range(2):  # the second answer may be the kept page
        assert "so an admin approves them" in lee.get("/review/").content.decode()
    make_user("lin", "Team lead")  # no audit entry: only the rule's words change
    page = lee.get("/review/").content.decode()
    assert "another team lead or an admin approves them" in page


def test_with_no_one_else_to_approve_the_queue_says_so(people, settings):
    settings.REVIEW_SELF_APPROVAL = "never"
    people["lead2"].delete()
    page = _as(people["lead"]).get("/review/").content.decode()
    assert "no one else may approve them yet" in page
    assert "another team lead" not in page


# -- the quality report in the menu


def _nav(page: str) -> str:
    return re.search(r'<nav class="mainnav" aria-label="Main">(.*?)</nav>', page, re.S).group(1)


@pytest.mark.parametrize("who", ["analyst", "lead", "auditor", "admin"])
def test_every_role_that_may_see_quality_has_it_in_the_menu(role_client, who):
    nav = _nav(role_client(who).get("/").content.decode())
    assert '<a href="/review/quality/">Quality</a>' in nav


def test_the_quality_entry_is_current_on_the_report_not_the_queue(role_client):
    nav = _nav(role_client("lead").get("/review/quality/").content.decode())
    assert '<a href="/review/quality/" aria-current="page">Quality</a>' in nav
    assert '<a href="/review/" aria-current' not in nav


# -- a decision's message, once


@pytest.mark.parametrize("decision", ["approve", "request_changes"])
def test_a_decision_says_its_message_once(people, write, decision):
    tracker = write(people["analyst"], "Promo", PHRASES)
    data = {"item": _key(tracker), "decision": decision, "comment": "fine"}
    body = _as(people["lead"]).post("/review/decide/", data, HTTP_HX_REQUEST="true")
    text = body.content.decode()
    said = "Approved “Promo”." if decision == "approve" else "Changes requested on “Promo”."
    assert text.count(said) == 1


def test_a_decision_without_an_item_says_its_message_once(people, write):
    write(people["analyst"], "Promo", PHRASES)
    body = _as(people["lead"]).post(
        "/review/decide/", {"decision": "approve"}, HTTP_HX_REQUEST="true"
    )
    text = body.content.decode()
    said = re.search(r'<div class="toast[^>]*>\s*<span>([^<]+)</span>', text).group(1)
    assert text.count(said) == 1
