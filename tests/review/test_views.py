"""Review screens per role, as full pages and htmx partials, with and without JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEntry
from review.reviews import object_reviews

from .conftest import PHRASES

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _key(tracker) -> str:
    return f"tracker:{tracker.id}:{object_reviews()[('tracker', tracker.id)].head}"


@pytest.fixture
def changed(people, write):
    return write(people["analyst"], "Promo <b>", PHRASES, reason="first try")


@pytest.mark.parametrize(("who", "status"), [("lead", 200), ("auditor", 200), ("analyst", 403)])
def test_queue_per_role(people, changed, who, status):
    assert _as(people[who]).get("/review/").status_code == status


def test_queue_full_page_shows_item_diff_note_and_escapes(people, changed):
    page = _as(people["lead"]).get("/review/").content.decode()
    assert "<html" in page and 'id="review-queue"' in page
    assert "Promo &lt;b&gt;" in page and "Promo <b>" not in page
    assert "“first try”" in page
    assert "Created with 5 phrases" in page


def test_queue_htmx_gets_the_region_only(people, changed):
    response = _as(people["lead"]).get("/review/", HTTP_HX_REQUEST="true")
    assert b'id="review-queue"' in response.content and b"<html" not in response.content


def test_auditor_reads_without_forms(people, changed):
    page = _as(people["auditor"]).get("/review/").content.decode()
    assert "Promo" in page and "/review/decide/" not in page


@pytest.mark.parametrize("who", ["auditor", "analyst"])
def test_only_leads_may_decide(people, changed, who):
    response = _as(people[who]).post(
        "/review/decide/", {"item": _key(changed), "decision": "approve"}
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="review_approved").exists()


def test_approve_without_javascript_redirects(people, changed):
    response = _as(people["lead"]).post(
        "/review/decide/", {"item": _key(changed), "decision": "approve"}
    )
    assert (response.status_code, response["Location"]) == (302, "/review/")
    assert AuditEntry.objects.filter(action="review_approved").count() == 1


def test_approve_with_htmx_swaps_the_queue_and_the_nav_count(people, changed):
    response = _as(people["lead"]).post(
        "/review/decide/",
        {"item": _key(changed), "decision": "approve"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'id="review-queue"' in body and "<html" not in body
    assert 'hx-swap-oob="innerHTML:.review-count"></span>' in body  # the count is now empty
    assert "Nothing to review" in body and "Approved “Promo &lt;b&gt;”" in body


def test_request_changes_without_comment_keeps_the_form(people, changed):
    response = _as(people["lead"]).post(
        "/review/decide/",
        {"item": _key(changed), "decision": "request_changes", "comment": "   "},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in body and "Say what should change" in body
    assert not AuditEntry.objects.filter(action="review_changes_requested").exists()


def test_a_refused_decision_keeps_the_typed_comment(people, write):
    tracker = write(people["lead"], "Mine", PHRASES)  # lead2 exists: not theirs to approve
    response = _as(people["lead"]).post(
        "/review/decide/", {"item": _key(tracker), "decision": "approve", "comment": "typed it"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and ">typed it</textarea>" in body


def test_bad_selection_is_a_message_not_a_500(people, changed):
    response = _as(people["lead"]).post(
        "/review/decide/", {"item": "nonsense", "decision": "approve"}
    )
    assert response.status_code == 200
    assert "not one this page offered" in response.content.decode()


def test_nothing_selected_says_so(people, changed):
    response = _as(people["lead"]).post("/review/decide/", {"decision": "approve"}, follow=True)
    assert "Select at least one change" in response.content.decode()


def test_csrf_is_required(people, changed):
    c = Client(enforce_csrf_checks=True)
    c.force_login(people["lead"])
    response = c.post("/review/decide/", {"item": _key(changed), "decision": "approve"})
    assert response.status_code == 403


def test_nav_counts_the_queue_for_leads(people, changed):
    page = _as(people["lead"]).get("/").content.decode()
    assert 'review-count">1</span>' in page


def test_nav_shows_analysts_the_quality_report_not_the_queue(people, changed):
    page = _as(people["analyst"]).get("/").content.decode()
    assert 'href="/review/quality/"' in page and 'href="/review/"' not in page


def test_overview_tells_the_author_what_needs_attention(people, changed):
    lead = _as(people["lead"])
    lead.post(
        "/review/decide/",
        {"item": _key(changed), "decision": "request_changes", "comment": "Add <plurals>"},
    )
    page = _as(people["analyst"]).get("/").content.decode()
    assert "1 of your changes needs attention" in page
    assert "Add &lt;plurals&gt;" in page
    assert f'href="/trackers/{changed.id}/edit/"' in page


def test_list_and_detail_show_the_review_state(people, changed):
    analyst = _as(people["analyst"])
    assert "Not reviewed yet" in analyst.get("/trackers/").content.decode()
    # Both pages seen first: their kept rows and main part must not outlive the decision.
    assert "Not reviewed yet" in analyst.get(f"/trackers/{changed.id}/").content.decode()
    _as(people["lead"]).post("/review/decide/", {"item": _key(changed), "decision": "approve"})
    assert "Approved by lee" in analyst.get("/trackers/").content.decode()
    assert "Approved by lee" in analyst.get(f"/trackers/{changed.id}/").content.decode()


def test_review_entries_are_in_the_audit_log_filter(people, changed):
    _as(people["lead"]).post("/review/decide/", {"item": _key(changed), "decision": "approve"})
    page = _as(people["auditor"]).get("/audit/?action=review_approved").content.decode()
    assert "Review: approved" in page and "Promo &lt;b&gt;" in page


def test_review_entries_are_in_the_audit_export(people, changed):
    _as(people["lead"]).post("/review/decide/", {"item": _key(changed), "decision": "approve"})
    response = _as(people["auditor"]).get("/audit/export.csv?action=review_approved")
    assert "review_approved" in b"".join(response.streaming_content).decode()


def test_a_delete_is_reviewed_too(people, changed, api):
    from resources import services
    from trackers.resource import TRACKERS

    from .conftest import ctx_for

    services.delete(
        client=api, resource=TRACKERS, object_id=changed.id, ctx=ctx_for(people["lead"])
    )
    page = _as(people["lead2"]).get("/review/").content.decode()
    assert "deleted</span>" in page and "Deleted; it had 5 phrases" in page
    assert f"/audit/?q={changed.id}" in page


# -- a refused decision brings back everything typed, wherever no single item takes it


@pytest.fixture
def two(people, write):
    return [write(people["analyst"], name, PHRASES) for name in ("First one", "Second one")]


@pytest.mark.parametrize("htmx", [False, True])
def test_request_changes_on_several_keeps_the_comment_and_says_why(people, two, htmx):
    data = {"item": [_key(t) for t in two], "decision": "request_changes", "comment": "fix it"}
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = _as(people["lead"]).post("/review/decide/", data, **extra)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Request changes on one item at a time." in body
    assert 'id="unsent-comment" rows="2" readonly>fix it</textarea>' in body
    assert not AuditEntry.objects.filter(action="review_changes_requested").exists()


@pytest.mark.parametrize("key", ["nonsense", "tracker:no-such-id:5"])
def test_request_changes_with_a_bad_key_keeps_the_comment(people, changed, key):
    data = {"item": key, "decision": "request_changes", "comment": "please rename it"}
    response = _as(people["lead"]).post("/review/decide/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was decided." in body
    assert ">please rename it</textarea>" in body


def test_a_decision_on_an_item_gone_from_the_queue_keeps_the_comment(people, changed):
    data = {"item": _key(changed), "decision": "request_changes", "comment": "first ask"}
    lead = _as(people["lead"])
    assert lead.post("/review/decide/", data).status_code == 302  # done: it leaves the queue
    again = {**data, "comment": "asked again from an old tab"}
    body = lead.post("/review/decide/", again).content.decode()
    assert "Already reviewed: nothing left to ask about." in body
    assert ">asked again from an old tab</textarea>" in body


def test_approve_selected_with_a_bad_key_keeps_comment_and_ticks(people, two):
    keys = [_key(two[0]), "nonsense"]
    data = {"item": keys, "decision": "approve", "comment": "all good"}
    body = _as(people["lead"]).post("/review/decide/", data).content.decode()
    assert "not one this page offered" in body
    assert 'name="comment" rows="1" maxlength="2000">all good</textarea>' in body
    assert f'value="{keys[0]}" form="review-bulk"' in body
    assert body.count('class="review-select" checked>') == 1


def test_a_kept_queue_follows_the_approval_rule(people, changed, make_user):
    lou = people["lead2"]
    lou.is_active = False  # lee's only fellow lead leaves: lee is the sole lead
    lou.save()
    lee = _as(people["lead"])
    assert "You are the only team lead" in lee.get("/review/").content.decode()
    assert "You are the only team lead" in lee.get("/review/").content.decode()  # kept
    make_user("lin", "Team lead")  # another lead joins: no audit entry, a new rule
    page = lee.get("/review/").content.decode()
    assert "You are the only team lead" not in page
    assert "another team lead approves them" in page


@pytest.mark.parametrize(("who", "shown"), [("auditor", False), ("lead", True)])
def test_findings_link_to_the_editor_only_for_who_may_edit(people, write, who, shown):
    """The queue item's quality findings: an auditor's "Open in the editor" led to a 403."""
    write(people["analyst"], "Few", ["one", "two"])  # fewer than five phrases: a finding
    page = _as(people[who]).get("/review/").content.decode()
    assert "Quality findings" in page
    assert ("Open in the editor" in page) is shown
