"""The trackers editor: create, edit, the live check and edit conflicts (trackers/views.py)."""

from __future__ import annotations

import json

import pytest

from audit.models import AuditEntry
from tests.trackers.writes import PHRASES
from tests.trackers.writes import form as _form

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ create


def test_create_redirects_to_detail_and_audits(role_client, api):
    response = role_client("analyst").post("/trackers/new/", _form(reason="for Q3"))
    assert response.status_code == 302
    created = api.trackers.find_by_name("Leads Tracker")
    assert response["Location"] == f"/trackers/{created.id}/"
    entries = list(AuditEntry.objects.filter(object_type="tracker", action="create"))
    assert len(entries) >= 1
    assert entries[0].object_name == "Leads Tracker"


def test_create_htmx_success_uses_hx_redirect(role_client, api):
    response = role_client("analyst").post("/trackers/new/", _form(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/trackers/")


def test_create_invalid_keeps_everything_typed(role_client, api):
    response = role_client("analyst").post(
        "/trackers/new/", _form(name="Mine", phrases=["fine one", "why?"], reason="keep me")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Mine"' in body
    assert "why?" in body
    assert 'value="keep me"' in body
    assert "Phrase 2 (“why?”)" in body
    assert api.trackers.find_by_name("Mine") is None


def test_create_invalid_htmx_returns_form_partial_200(role_client, api):
    response = role_client("analyst").post("/trackers/new/", _form(name=""), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="tracker-form"' in response.content
    assert b"<html" not in response.content
    assert b"Give the tracker a name." in response.content


def test_create_taken_name_shows_at_name_field(role_client, tracker):
    response = role_client("analyst").post("/trackers/new/", _form(name="Promotion Mention"))
    assert response.status_code == 200
    assert "A tracker named “Promotion Mention” already exists".encode() in response.content
    assert b'id="field-name"' in response.content


def test_create_forbidden_for_auditor(role_client, api):
    assert role_client("auditor").post("/trackers/new/", _form()).status_code == 403
    assert role_client("auditor").get("/trackers/new/").status_code == 403
    assert api.trackers.find_by_name("Leads Tracker") is None


def test_live_check_returns_feedback_partial(role_client, api):
    response = role_client("analyst").post(
        "/trackers/check/", _form(phrases=["I think prices are high", "x?"])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="tracker-feedback"' in body
    assert "<html" not in body
    assert "adds no meaning" in body
    assert "Phrase 2" in body
    assert "&quot;vocabulary&quot;" in body


# ------------------------------------------------------------------ edit


def test_edit_form_prefilled_with_fingerprint(role_client, tracker):
    body = role_client("analyst").get(f"/trackers/{tracker.id}/edit/").content.decode()
    assert tracker.fingerprint in body
    assert "special promotion" in body


def test_edit_saves_and_audits_before_and_after(role_client, tracker, api):
    response = role_client("analyst").post(
        f"/trackers/{tracker.id}/edit/",
        _form(
            name="Promotion Mention",
            phrases=PHRASES[:4] + ["flash sale"],
            fingerprint=tracker.fingerprint,
        ),
    )
    assert response.status_code == 302
    assert api.trackers.get(tracker.id).vocabulary[-1] == "flash sale"
    entry = AuditEntry.objects.filter(action="update").order_by("-pk").first()
    assert entry is not None


def test_invalid_field_points_screen_readers_at_its_error(role_client, api):
    body = role_client("analyst").post("/trackers/new/", _form(name="")).content.decode()
    assert 'aria-describedby="id_name_helptext id_name_error"' in body
    assert '<div id="id_name_error"><p class="error">Give the tracker a name.</p></div>' in body


def test_edit_conflict_shows_both_versions_and_does_not_overwrite(role_client, tracker, api):
    stale = tracker.fingerprint
    base = json.dumps(tracker.to_api())
    api.trackers.update(tracker.id, name=tracker.name, vocabulary=[*PHRASES, "theirs"])
    response = role_client("analyst").post(
        f"/trackers/{tracker.id}/edit/",
        _form(name=tracker.name, phrases=[*PHRASES, "mine"], fingerprint=stale, base=base),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else changed" in body or "changed after you opened it" in body
    assert "Keep mine" in body and "Merge phrases" in body and "Take current" in body
    assert "theirs" in api.trackers.get(tracker.id).vocabulary
    assert "mine" not in api.trackers.get(tracker.id).vocabulary


def test_edit_conflict_names_who_changed_it_last(role_client, tracker, api):
    from audit.services import AuditContext
    from tests.trackers import writes as services

    services.tracker_update(
        client=api,
        tracker_id=tracker.id,
        name=tracker.name,
        vocabulary=[*PHRASES, "theirs"],
        fingerprint=tracker.fingerprint,
        ctx=AuditContext.system("alice"),
    )
    response = role_client("analyst").post(
        f"/trackers/{tracker.id}/edit/",
        _form(name=tracker.name, phrases=PHRASES, fingerprint=tracker.fingerprint),
    )
    assert "changed after you opened it — last by alice." in response.content.decode()


def test_edit_conflict_from_outside_the_dashboard_names_nobody(role_client, api):
    from audit.services import AuditContext
    from tests.trackers import writes as services

    tracker = services.tracker_create(
        client=api, name="Promotion Mention", vocabulary=PHRASES, ctx=AuditContext.system("alice")
    )
    api.trackers.update(tracker.id, name=tracker.name, vocabulary=[*PHRASES, "theirs"])
    response = role_client("analyst").post(
        f"/trackers/{tracker.id}/edit/",
        _form(name=tracker.name, phrases=PHRASES[1:], fingerprint=tracker.fingerprint),
    )
    body = response.content.decode()
    assert "changed after you opened it, outside this dashboard." in body
    assert "last by alice" not in body


def test_edit_conflict_merge_offers_both_additions(role_client, tracker, api):
    base = json.dumps(tracker.to_api())
    api.trackers.update(tracker.id, name=tracker.name, vocabulary=[*PHRASES, "theirs"])
    response = role_client("analyst").post(
        f"/trackers/{tracker.id}/edit/",
        _form(
            name=tracker.name,
            phrases=[*PHRASES[1:], "mine"],
            fingerprint=tracker.fingerprint,
            base=base,
        ),
    )
    body = response.content.decode()
    merged = body.split('name="review" value="1"')[1].split("</textarea>")[0]
    assert "theirs" in merged and "mine" in merged and PHRASES[0] not in merged


def test_edit_conflict_over_htmx_replaces_the_whole_screen(role_client, tracker, api):
    base = json.dumps(tracker.to_api())
    api.trackers.update(tracker.id, name=tracker.name, vocabulary=[*PHRASES, "theirs"])
    response = role_client("analyst").post(
        f"/trackers/{tracker.id}/edit/",
        _form(name=tracker.name, phrases=PHRASES, fingerprint=tracker.fingerprint, base=base),
        HTTP_HX_REQUEST="true",
    )
    # The heading must change with the screen: htmx swaps <main>, not the form region.
    assert response["HX-Retarget"] == "#main"
    assert response["HX-Reselect"] == "#main"
    assert "<h1>Someone else changed this tracker</h1>" in response.content.decode()


def test_merge_review_over_htmx_is_the_edit_screen_again(role_client, tracker):
    response = role_client("analyst").post(
        f"/trackers/{tracker.id}/edit/",
        _form(name=tracker.name, phrases=PHRASES, review="1"),
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == "#main"
    body = response.content.decode()
    assert "<h1>Edit tracker</h1>" in body
    assert "Review, then save." in body


def test_edit_forbidden_for_auditor(role_client, tracker):
    assert role_client("auditor").post(f"/trackers/{tracker.id}/edit/", _form()).status_code == 403


def test_live_check_refuses_a_name_another_tracker_has(role_client, tracker):
    response = role_client("analyst").post(
        "/trackers/check/", _form(name=tracker.name, phrases=PHRASES)
    )
    body = response.content.decode()
    assert f"A tracker named “{tracker.name}” already exists" in body
    assert "you can save as it is" not in body and "Ready to save" not in body


def test_live_check_lets_an_edit_keep_its_own_name(role_client, tracker):
    base = json.dumps(tracker.to_api())
    response = role_client("analyst").post(
        "/trackers/check/", _form(name=tracker.name, phrases=PHRASES, base=base)
    )
    assert "already exists" not in response.content.decode()


def test_merge_keeps_their_categories_and_adds_mine(role_client, api):
    tracker = api.trackers.create(
        name="Pricing", vocabulary=PHRASES, categories=["sales"], description="old"
    )
    base = json.dumps(tracker.to_api())
    api.trackers.update(
        tracker.id,
        name="Pricing",
        vocabulary=PHRASES,
        categories=["sales", "theirs"],
        description="old",
    )
    response = role_client("analyst").post(
        f"/trackers/{tracker.id}/edit/",
        _form(
            name="Pricing",
            phrases=PHRASES,
            categories="sales, mine",
            description="new words",
            fingerprint=tracker.fingerprint,
            base=base,
        ),
    )
    body = response.content.decode()
    merged = body.split('name="review" value="1"')[1].split("</form>")[0]
    assert 'name="categories" value="sales, theirs, mine"' in merged
    assert 'name="description" value="new words"' in merged


def test_every_field_is_saved_and_shown(role_client, api):
    response = role_client("analyst").post(
        "/trackers/new/",
        _form(
            name="Pricing",
            description="Price talk",
            categories="sales, billing",
            languages="en-US, fr-FR",
            excluded="price list download",
        ),
    )
    created = api.trackers.find_by_name("Pricing")
    assert response.status_code == 302
    assert created.categories == ("sales", "billing")
    assert created.languages == ("en-US", "fr-FR")
    assert created.exclude_vocabulary == ("price list download",)
    body = role_client("analyst").get(f"/trackers/{created.id}/").content.decode()
    assert "Price talk" in body and "French (France)" in body
    assert "price list download" in body and "?category=billing" in body


def test_a_bad_language_comes_back_with_everything_typed(role_client, api):
    response = role_client("analyst").post(
        "/trackers/new/", _form(name="Pricing", languages="englsh", description="kept")
    )
    body = response.content.decode()
    assert "“englsh” is not a language tag" in body
    assert "kept</textarea>" in body and 'value="englsh"' in body
    assert api.trackers.find_by_name("Pricing") is None
