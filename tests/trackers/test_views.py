"""Trackers screens against the embedded local Management API (the real client path)."""

from __future__ import annotations

import json

import pytest

from symbl_admin.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PHRASES = [
    "special promotion",
    "discount for new customers",
    "month special",
    "sale right now",
    "limited offer",
]


@pytest.fixture
def tracker(api):
    return api.trackers.create(name="Promotion Mention", vocabulary=PHRASES)


def _form(
    name="Leads Tracker", phrases=("I need", "require", "use case", "discounts", "quotes"), **extra
):
    return {"name": name, "phrases": "\n".join(phrases), **extra}


# ------------------------------------------------------------------ list


def test_list_full_page_shows_total_and_rows(role_client, tracker):
    response = role_client("analyst").get("/trackers/")
    assert response.status_code == 200
    assert b"<html" in response.content
    assert b"Promotion Mention" in response.content
    assert b"<strong>1</strong> tracker " in response.content


def test_list_htmx_gets_only_the_table(role_client, tracker):
    response = role_client("analyst").get("/trackers/?q=promo", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="tracker-table"' in response.content
    assert b"<html" not in response.content


def test_search_matches_phrases_and_highlights(role_client, tracker):
    response = role_client("analyst").get("/trackers/?q=DISCOUNT")
    assert b"<mark>discount</mark>" in response.content


def test_no_match_state(role_client, tracker):
    response = role_client("analyst").get("/trackers/?q=zzz")
    assert b"No tracker matches your search" in response.content


def test_empty_account_state(role_client, api):
    response = role_client("analyst").get("/trackers/")
    assert b"No trackers yet" in response.content
    assert b"Create the first tracker" in response.content


def test_list_escapes_upstream_text(role_client, api):
    api.trackers.create(name="<script>alert(1)</script>", vocabulary=["x"])
    response = role_client("analyst").get("/trackers/")
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_list_upstream_down_shows_message_not_500(role_client, api, monkeypatch):
    from symbl_admin.management_api.errors import Unavailable

    def down(*a, **k):
        raise Unavailable("connection refused")

    monkeypatch.setattr(type(api.trackers), "list", down)
    response = role_client("analyst").get("/trackers/")
    assert response.status_code == 200
    assert b"not answering" in response.content


# ------------------------------------------------------------------ detail


def test_detail_shows_phrases_id_and_copy_snippet(role_client, tracker):
    response = role_client("auditor").get(f"/trackers/{tracker.id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert tracker.id in body
    assert all(p in body for p in PHRASES)
    assert json.dumps({"trackers": [{"id": tracker.id}]}).replace('"', "&quot;") in body


def test_detail_unknown_id_is_404(role_client, api):
    assert role_client("analyst").get("/trackers/9999999999999999/").status_code == 404


def test_auditor_sees_no_edit_or_delete(role_client, tracker):
    body = role_client("auditor").get(f"/trackers/{tracker.id}/").content
    assert b">Edit<" not in body
    assert b">Delete<" not in body


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
    from symbl_admin.audit.services import AuditContext
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
    from symbl_admin.audit.services import AuditContext
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


# ------------------------------------------------------------------ delete


def test_delete_confirmation_names_tracker_and_count(role_client, tracker):
    body = role_client("lead").get(f"/trackers/{tracker.id}/delete/").content.decode()
    assert "“Promotion Mention”" in body
    assert "5 phrases" in body


def test_delete_htmx_confirmation_is_a_dialog(role_client, tracker):
    response = role_client("lead").get(f"/trackers/{tracker.id}/delete/", HTTP_HX_REQUEST="true")
    assert b"<dialog" in response.content
    assert b"<html" not in response.content


def test_delete_removes_and_offers_restore(role_client, tracker, api):
    client = role_client("lead")
    response = client.post(f"/trackers/{tracker.id}/delete/", follow=True)
    assert response.status_code == 200
    assert b"Restore it" in response.content
    assert api.trackers.find_by_name("Promotion Mention") is None


def test_analyst_cannot_delete(role_client, tracker, api):
    assert role_client("analyst").post(f"/trackers/{tracker.id}/delete/").status_code == 403
    assert api.trackers.get(tracker.id)


def test_restore_deleted_tracker_gets_new_id(role_client, tracker, api):
    client = role_client("lead")
    client.post(f"/trackers/{tracker.id}/delete/")
    page = client.get("/trackers/deleted/").content.decode()
    assert "Promotion Mention" in page
    response = client.post(f"/trackers/deleted/{tracker.id}/restore/")
    assert response.status_code == 302
    restored = api.trackers.find_by_name("Promotion Mention")
    assert restored.id != tracker.id
    assert list(restored.vocabulary) == PHRASES


# ------------------------------------------------------------------ import / export


def test_import_preview_marks_rows_and_sends_nothing(role_client, tracker, api):
    csv_text = "name,phrases\nGood One,a|b|c|d|e\nPromotion Mention,x\nBad,why?\n"
    response = role_client("lead").post(
        "/trackers/import/", {"text": csv_text, "format": "auto", "step": "preview"}
    )
    body = response.content.decode()
    assert "1 ready" in body
    assert "2 with problems" in body
    assert "already exists" in body
    assert api.trackers.find_by_name("Good One") is None


def test_import_run_creates_valid_ones_and_reports(role_client, api):
    payload = json.dumps(
        [{"name": "Imp A", "vocabulary": ["a", "b"]}, {"name": "Imp B", "vocabulary": ["c"]}]
    )
    response = role_client("lead").post(
        "/trackers/import/", {"step": "run", "payload": payload, "total": "2"}
    )
    body = response.content.decode()
    assert "2 created" in body
    assert api.trackers.find_by_name("Imp A") and api.trackers.find_by_name("Imp B")
    assert AuditEntry.objects.filter(action="import").exclude(outcome="pending").count() >= 2


def test_import_forbidden_for_analyst(role_client, api):
    assert role_client("analyst").get("/trackers/import/").status_code == 403


def test_export_json_is_reimportable_bulk_format(role_client, tracker):
    response = role_client("auditor").get("/trackers/export.json")
    assert json.loads(response.content) == [
        {"id": tracker.id, "name": "Promotion Mention", "vocabulary": PHRASES}
    ]


def test_export_csv_respects_filter(role_client, tracker, api):
    api.trackers.create(name="Other", vocabulary=["hello"])
    response = role_client("auditor").get("/trackers/export.csv?q=other")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    [other] = [t for t in api.trackers.list() if t.name == "Other"]
    assert text.splitlines() == ["id,name,phrase", f"{other.id},Other,hello"]


# ------------------------------------------------------------------ history and revert


def _edit(client, tracker, phrases):
    current = tracker
    return client.post(
        f"/trackers/{tracker.id}/edit/",
        _form(name=current.name, phrases=phrases, fingerprint=""),
    )


def test_detail_shows_history_with_revert_for_lead(role_client, api):
    lead = role_client("lead")
    lead.post("/trackers/new/", _form(name="Hist", phrases=["one", "two"]))
    tracker = api.trackers.find_by_name("Hist")
    _edit(lead, tracker, ["one", "two", "three"])
    body = lead.get(f"/trackers/{tracker.id}/").content.decode()
    assert "Revert to this version" in body
    analyst_body = role_client("analyst").get(f"/trackers/{tracker.id}/").content.decode()
    assert "Revert to this version" not in analyst_body


def test_revert_restores_earlier_phrases_and_is_audited(role_client, api):
    lead = role_client("lead")
    lead.post("/trackers/new/", _form(name="Hist", phrases=["one", "two"]))
    tracker = api.trackers.find_by_name("Hist")
    _edit(lead, tracker, ["one", "two", "three"])
    create_entry = AuditEntry.objects.filter(action="create", completes__isnull=True).get()
    page = lead.get(f"/trackers/{tracker.id}/revert/{create_entry.seq}/").content.decode()
    assert "three" in page  # shown as removed
    response = lead.post(
        f"/trackers/{tracker.id}/revert/{create_entry.seq}/",
        {"fingerprint": api.trackers.get(tracker.id).fingerprint},
    )
    assert response.status_code == 302
    assert list(api.trackers.get(tracker.id).vocabulary) == ["one", "two"]
    assert AuditEntry.objects.filter(action="revert", completes__isnull=True).count() == 1


def test_revert_forbidden_for_analyst(role_client, api):
    tracker = api.trackers.create(name="X", vocabulary=["a"])
    assert role_client("analyst").get(f"/trackers/{tracker.id}/revert/1/").status_code == 403


def test_revert_to_unknown_entry_is_404(role_client, api):
    tracker = api.trackers.create(name="X", vocabulary=["a"])
    assert role_client("lead").get(f"/trackers/{tracker.id}/revert/999/").status_code == 404


def test_detail_labels_api_fields_in_plain_words(role_client, tracker):
    body = role_client("analyst").get(f"/trackers/{tracker.id}/").content.decode()
    assert "<dt>Created</dt>" in body
    assert "<dt>createdOn</dt>" not in body


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


def test_import_report_names_the_rows_the_preview_skipped(role_client):
    skipped = json.dumps([{"name": "Bad", "reason": "remove “?”"}])
    payload = json.dumps([{"name": "Good One", "vocabulary": ["a", "b"]}])
    response = role_client("lead").post(
        "/trackers/import/",
        {"step": "run", "payload": payload, "skipped": skipped, "total": "1"},
    )
    body = response.content.decode()
    assert "1 of 1 processed: <strong>1 created</strong>; <strong>1 skipped</strong>" in body
    assert "Skipped in the preview" in body and "remove “?”" in body
