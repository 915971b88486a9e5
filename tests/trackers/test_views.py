"""Trackers screens against the embedded local Management API (the real client path)."""

from __future__ import annotations

import json

import pytest

from audit.models import AuditEntry
from resources.import_plan import version_of
from tests.trackers.writes import PHRASES
from tests.trackers.writes import form as _form

pytestmark = pytest.mark.django_db


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


def test_the_kept_main_part_follows_a_change_made_anywhere(role_client, api, tracker):
    auditor = role_client("auditor")
    assert "discount later" not in auditor.get(f"/trackers/{tracker.id}/").content.decode()
    api.trackers.update(tracker.id, name=tracker.name, vocabulary=[*PHRASES, "discount later"])
    assert "discount later" in auditor.get(f"/trackers/{tracker.id}/").content.decode()


def test_detail_unknown_id_is_404(role_client, api):
    assert role_client("analyst").get("/trackers/9999999999999999/").status_code == 404


def test_auditor_sees_no_edit_or_delete(role_client, tracker):
    body = role_client("auditor").get(f"/trackers/{tracker.id}/").content
    assert b">Edit<" not in body
    assert b">Delete<" not in body


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
    # Every editable field, the later ones included (Tracker.to_api), as a bulk create takes them.
    assert json.loads(response.content) == [
        {
            "id": tracker.id,
            "name": "Promotion Mention",
            "vocabulary": PHRASES,
            "description": "",
            "categories": [],
            "languages": [],
            "excludeVocabulary": [],
            "version": version_of(tracker),
        }
    ]


def test_export_csv_respects_filter(role_client, tracker, api):
    api.trackers.create(name="Other", vocabulary=["hello"])
    response = role_client("auditor").get("/trackers/export.csv?q=other")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    [other] = [t for t in api.trackers.list() if t.name == "Other"]
    assert text.splitlines() == [
        '"id","version","name","phrase","description","categories","languages","phrase_to_ignore"',
        f'"#{other.id}","{version_of(other)}","Other","hello","","","",""',
    ]


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


def test_list_filters_by_category_and_language_in_the_url(role_client, api):
    api.trackers.create(name="A", vocabulary=["x"], categories=["sales"], languages=["en-US"])
    api.trackers.create(name="B", vocabulary=["y"], categories=["billing"], languages=["fr-FR"])
    client = role_client("analyst")
    body = client.get("/trackers/?category=sales").content.decode()
    assert "1 of 2 trackers matches · category: sales" in body
    assert ">A</a>" in body and ">B</a>" not in body
    rows = client.get("/trackers/?language=fr-FR", HTTP_HX_REQUEST="true").content.decode()
    assert ">B</a>" in rows and ">A</a>" not in rows
    full = client.get("/trackers/").content.decode()
    assert '<option value="fr-FR">French (France)</option>' in full
    exported = client.get("/trackers/export.json?category=billing")
    assert [t["name"] for t in json.loads(exported.content)] == ["B"]
