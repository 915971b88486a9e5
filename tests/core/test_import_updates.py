"""Import that updates (resources/import_plan.py, the generic import view): a file exported
from the dashboard, edited and imported again, changes the objects it names; the preview says
what each row would do before anything is written; an object changed on the server since the
export is a conflict, never overwritten; each write is one audited update that the review
queue sees."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

from audit.models import AuditEntry
from resources.import_plan import version_of
from review import services as review_services
from review.reviews import object_reviews
from review.standings import review_states
from tests.review.conftest import ctx_for

pytestmark = pytest.mark.django_db

PHRASES = ["special promotion", "discount for new customers", "sale now"]
CRITERIA = "conversation.metadata.agentId==johndoe"


def _text(response) -> str:
    content = getattr(response, "streaming_content", None)
    data = b"".join(content) if content is not None else response.content
    return data.decode("utf-8-sig")


def _preview(client, plural: str, text: str, **extra) -> str:
    data = {"text": text, "format": "auto", "step": "preview", **extra}
    response = client.post(f"/{plural}/import/", data)
    assert response.status_code == 200
    return response.content.decode()


def _hidden(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def _run(client, plural: str, preview: str) -> str:
    data = {name: _hidden(preview, name) for name in ("payload", "updates", "skipped", "total")}
    return client.post(f"/{plural}/import/", {"step": "run", **data}).content.decode()


def _kinds(preview: str) -> list[str]:
    return re.findall(r'<tr class="import-(\w+) ', preview)


def test_a_json_export_edited_and_imported_updates_with_a_diff_in_the_preview(role_client, api):
    edited = api.trackers.create(name="Promo", vocabulary=PHRASES)
    api.trackers.create(name="Same", vocabulary=["hello there"])
    lead = role_client("lead")
    items = json.loads(lead.get("/trackers/export.json").content)
    items[0]["vocabulary"].append("coupon code")
    items.append({"name": "Brand new", "vocabulary": ["fresh phrase"]})
    preview = _preview(lead, "trackers", json.dumps(items))
    assert _kinds(preview) == ["update", "unchanged", "create"]
    assert "1 to create, 1 to update, 1 unchanged, 0 in conflict, 0 refused" in preview
    assert "Phrases: 1 added" in preview and "coupon code" in preview
    assert api.trackers.get(edited.id).vocabulary == tuple(PHRASES)  # nothing written yet
    done = _run(lead, "trackers", preview)
    assert "1 created" in done and "1 updated" in done
    assert api.trackers.get(edited.id).vocabulary == (*PHRASES, "coupon code")
    assert api.trackers.find_by_name("Brand new")


def test_a_csv_export_edited_in_a_spreadsheet_updates_and_keeps_its_16_digit_id(role_client, api):
    tracker = api.trackers.create(
        name="Promo", vocabulary=PHRASES, description="old", excludeVocabulary=["sale nowhere"]
    )
    assert len(tracker.id) == 16
    lead = role_client("lead")
    records = list(csv.reader(io.StringIO(_text(lead.get("/trackers/export.csv")))))
    header, rows = records[0], records[1:]
    assert rows[0][0] == f"#{tracker.id}"  # text to a spreadsheet: no rounding to 15 digits
    # The spreadsheet edit: a new description on every row, one phrase row deleted; saved with
    # semicolons, as spreadsheets do in many locales.
    col, phrase = header.index("description"), header.index("phrase")
    rows = [[*r[:col], "new words", *r[col + 1 :]] for r in rows if r[phrase] != "sale now"]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([header, *rows])
    preview = _preview(lead, "trackers", out.getvalue())
    assert "CSV separated by semicolons" in preview
    assert _kinds(preview) == ["update"]
    assert "Description changed; Phrases: 1 removed" in preview
    assert "1 updated" in _run(lead, "trackers", preview)
    after = api.trackers.get(tracker.id)
    assert (after.description, after.vocabulary) == ("new words", tuple(PHRASES[:2]))
    assert after.exclude_vocabulary == ("sale nowhere",)  # on its own row: read back as it was


def test_a_group_csv_export_edited_and_imported_updates_it(role_client, api):
    group = api.groups.create(name="John", description="old", criteria=CRITERIA)
    lead = role_client("lead")
    text = _text(lead.get("/groups/export.csv")).replace('"old"', '"All of John"')
    preview = _preview(lead, "groups", text)
    assert _kinds(preview) == ["update"]
    assert "1 updated" in _run(lead, "groups", preview)
    assert api.groups.get(group.id).description == "All of John"


def test_a_group_json_export_imported_as_it_is_is_unchanged_not_already_exists(role_client, api):
    api.groups.create(name="John", description="", criteria=CRITERIA)
    lead = role_client("lead")
    preview = _preview(lead, "groups", lead.get("/groups/export.json").content.decode())
    assert _kinds(preview) == ["unchanged"]
    assert "already exists" not in preview


def test_a_row_without_an_id_updates_by_name_only_when_the_user_chooses_so(role_client, api):
    tracker = api.trackers.create(name="Promo", vocabulary=PHRASES)
    lead = role_client("lead")
    text = "name,phrase\nPromo,special promotion\nPromo,big sale\n"
    by_id = _preview(lead, "trackers", text)
    assert _kinds(by_id) == ["refused"] and "already exists" in by_id
    by_name = _preview(lead, "trackers", text, match="name")
    assert _kinds(by_name) == ["update"]
    _run(lead, "trackers", by_name)
    assert api.trackers.get(tracker.id).vocabulary == ("special promotion", "big sale")


def test_an_update_keeps_the_fields_the_file_has_no_column_for(role_client, api):
    tracker = api.trackers.create(name="Promo", vocabulary=PHRASES, categories=["sales"])
    lead = role_client("lead")
    text = f"id,name,phrase\n{tracker.id},Promo,only this\n"
    _run(lead, "trackers", _preview(lead, "trackers", text))
    after = api.trackers.get(tracker.id)
    assert (after.vocabulary, after.categories) == (("only this",), ("sales",))


def test_an_object_changed_on_the_server_after_the_export_is_a_conflict(
    role_client, settings, tmp_path
):
    """Over real HTTP against the standalone server: someone changes the tracker with the API
    client after the export; the edited file's row is shown as a conflict and not written."""
    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
    from symbl_admin.management_api import get_client
    from tests.support.standalone import standalone_server

    with standalone_server(tmp_path / "remote.sqlite3") as url:
        settings.SYMBL_API_BASE_URL = url
        settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = LOCAL_APP_ID, LOCAL_APP_SECRET
        api = get_client()
        tracker = api.trackers.create(name="Promo", vocabulary=PHRASES)
        lead = role_client("lead")
        items = json.loads(lead.get("/trackers/export.json").content)
        api.trackers.update(tracker.id, name="Promo", vocabulary=[*PHRASES, "theirs"])
        items[0]["vocabulary"].append("mine")
        preview = _preview(lead, "trackers", json.dumps(items))
        assert _kinds(preview) == ["conflict"]
        assert "changed on the server after the file was exported" in preview
        assert 'name="step" value="run"' not in preview  # nothing to send
        assert api.trackers.get(tracker.id).vocabulary == (*PHRASES, "theirs")
        assert not AuditEntry.objects.filter(action="update").exists()


def test_an_object_changed_between_preview_and_run_is_not_overwritten(role_client, api):
    tracker = api.trackers.create(name="Promo", vocabulary=PHRASES)
    lead = role_client("lead")
    items = json.loads(lead.get("/trackers/export.json").content)
    items[0]["vocabulary"] = ["mine"]
    preview = _preview(lead, "trackers", json.dumps(items))
    assert _kinds(preview) == ["update"]
    api.trackers.update(tracker.id, name="Promo", vocabulary=["theirs"])
    done = _run(lead, "trackers", preview)
    assert "changed after the preview" in done
    assert api.trackers.get(tracker.id).vocabulary == ("theirs",)


def test_each_update_is_one_audited_update_by_the_importer(role_client, api):
    first = api.trackers.create(name="One", vocabulary=["a b"])
    second = api.trackers.create(name="Two", vocabulary=["c d"])
    lead = role_client("lead")
    items = json.loads(lead.get("/trackers/export.json").content)
    for item in items:
        item["description"] = "edited"
    _run(lead, "trackers", _preview(lead, "trackers", json.dumps(items)))
    entries = AuditEntry.objects.filter(action="update", completes__isnull=True)
    assert sorted(e.object_id for e in entries) == sorted([first.id, second.id])
    assert {(e.actor_username, e.reason) for e in entries} == {
        ("lead-user", "Updated by an import")
    }
    assert all(e.before["description"] == "" for e in entries)
    outcomes = AuditEntry.objects.filter(action="update", completes__isnull=False)
    assert {o.outcome for o in outcomes} == {"success"} and outcomes.count() == 2


def test_an_imported_update_goes_back_to_review_and_its_author_cannot_approve_it(
    role_client, api, make_user
):
    tracker = api.trackers.create(name="Promo", vocabulary=PHRASES)
    lead = role_client("lead")
    _run(lead, "trackers", _preview(lead, "trackers", '[{"name":"Seed","vocabulary":["x y"]}]'))
    other = make_user("other-lead", "Team lead")
    items = json.loads(lead.get("/trackers/export.json").content)
    [item] = [i for i in items if i["id"] == tracker.id]
    item["vocabulary"].append("coupon code")
    _run(lead, "trackers", _preview(lead, "trackers", json.dumps(items)))
    review = review_states(object_type="tracker", object_ids=[tracker.id])[tracker.id]
    assert (review.state, review.in_queue) == ("unreviewed", True)
    importer = AuditEntry.objects.get(action="update", completes__isnull=True).actor
    target = ("tracker", tracker.id, object_reviews()[("tracker", tracker.id)].head)
    refused = review_services.review_approve(user=importer, ctx=ctx_for(importer), targets=[target])
    assert "another team lead must approve" in refused.refused[target]
    approved = review_services.review_approve(user=other, ctx=ctx_for(other), targets=[target])
    assert approved.done == ["Promo"]


def test_the_json_export_carries_each_objects_version(role_client, api):
    tracker = api.trackers.create(name="Promo", vocabulary=PHRASES)
    [item] = json.loads(role_client("lead").get("/trackers/export.json").content)
    assert item["version"] == version_of(tracker) and not item["version"][1:].isdigit()


def test_an_update_without_the_previews_version_is_refused_as_damaged(role_client, api):
    tracker = api.trackers.create(name="Promo", vocabulary=PHRASES)
    update = {"id": tracker.id, "fingerprint": "", "data": {"name": "Promo", "vocabulary": ["x"]}}
    response = role_client("lead").post(
        "/trackers/import/", {"step": "run", "updates": json.dumps([update]), "total": "1"}
    )
    assert response.status_code == 302  # back to the import page, with the message
    assert api.trackers.get(tracker.id).vocabulary == tuple(PHRASES)


def test_a_row_whose_id_no_longer_exists_creates_and_says_so(role_client, api):
    tracker = api.trackers.create(name="Promo", vocabulary=PHRASES)
    lead = role_client("lead")
    exported = _text(lead.get("/trackers/export.csv"))
    api.trackers.delete(tracker.id)
    preview = _preview(lead, "trackers", exported)
    assert _kinds(preview) == ["create"]
    assert f"No tracker here has the id {tracker.id}: this row creates a new tracker." in preview
