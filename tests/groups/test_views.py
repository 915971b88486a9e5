"""Groups screens against the embedded local Management API (the real client path)."""

from __future__ import annotations

import json

import pytest

from audit.models import AuditEntry
from resources.import_plan import version_of

pytestmark = pytest.mark.django_db

CRITERIA = "conversation.metadata.agentId==johndoe"


@pytest.fixture
def group(api):
    return api.groups.create(
        name="Calls made by John", description="All of John", criteria=CRITERIA
    )


def _builder(name="Jane calls", rows=(("metadata", "agentId", "==", "jane"),), join="and", **extra):
    data = {
        "name": name,
        "description": "",
        "mode": "builder",
        "join": join,
        "cond-count": str(len(rows)),
    }
    for i, (kind, key, op, value) in enumerate(rows):
        data.update(
            {
                f"cond-{i}-kind": kind,
                f"cond-{i}-key": key,
                f"cond-{i}-op": op,
                f"cond-{i}-value": value,
            }
        )
    data.update(extra)
    return data


def _text(name="Jane calls", criteria="conversation.metadata.agentId==jane", **extra):
    return {"name": name, "description": "", "mode": "text", "criteria_text": criteria, **extra}


# ------------------------------------------------------------------ list and detail


def test_list_full_page_shows_words_and_rsql(role_client, group):
    body = role_client("analyst").get("/groups/").content.decode()
    assert "<html" in body
    assert "agentId is johndoe" in body
    assert CRITERIA in body


def test_list_htmx_gets_only_the_table(role_client, group):
    response = role_client("analyst").get("/groups/?q=john", HTTP_HX_REQUEST="true")
    assert b'id="group-table"' in response.content
    assert b"<html" not in response.content


def test_search_matches_description_and_criteria(role_client, group, api):
    api.groups.create(name="Other", criteria="conversation.metadata.customerId==1")
    client = role_client("analyst")
    assert b"Calls made by John" in client.get("/groups/?q=all+of+john").content
    assert b"Other" in client.get("/groups/?q=customerId").content
    assert b"Calls made by John" not in client.get("/groups/?q=customerId").content


def test_empty_state(role_client, api):
    assert b"No conversation groups yet" in role_client("analyst").get("/groups/").content


def test_detail(role_client, group):
    body = role_client("auditor").get(f"/groups/{group.id}/").content.decode()
    assert "agentId is johndoe" in body and group.id in body
    assert ">Edit<" not in body


def test_detail_unknown_is_404(role_client, api):
    assert role_client("analyst").get("/groups/1234567890123456/").status_code == 404


# ------------------------------------------------------------------ create


def test_create_with_builder(role_client, api):
    rows = (("metadata", "agentId", "==", "jane"), ("metadata", "customerId", "=in=", "1, 2"))
    response = role_client("analyst").post("/groups/new/", _builder(rows=rows))
    assert response.status_code == 302
    created = api.groups.find_by_name("Jane calls")
    assert (
        created.criteria
        == "conversation.metadata.agentId==jane and conversation.metadata.customerId=in=(1,2)"
    )
    assert AuditEntry.objects.filter(action="create", object_type="group").exists()


def test_create_with_text(role_client, api):
    response = role_client("analyst").post("/groups/new/", _text(), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/groups/")


def test_builder_add_row_rerenders_without_saving(role_client, api):
    response = role_client("analyst").post(
        "/groups/new/", _builder(action="add"), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'name="cond-1-key"' in body
    assert 'value="agentId"' in body
    assert api.groups.find_by_name("Jane calls") is None


def test_builder_remove_row(role_client, api):
    rows = (("metadata", "agentId", "==", "jane"), ("metadata", "customerId", "==", "1"))
    body = (
        role_client("analyst")
        .post("/groups/new/", _builder(rows=rows, action="remove-0"))
        .content.decode()
    )
    assert 'value="customerId"' in body
    assert 'value="agentId"' not in body


def test_switch_to_text_carries_the_criteria(role_client, api):
    body = role_client("analyst").post("/groups/new/", _builder(action="to-text")).content.decode()
    assert 'name="criteria_text"' in body
    assert "conversation.metadata.agentId==jane</textarea>" in body


def test_switch_nested_text_to_builder_explains_why_not(role_client, api):
    nested = "(conversation.metadata.a==1,conversation.metadata.a==2);conversation.metadata.b==3"
    body = (
        role_client("analyst")
        .post("/groups/new/", _text(criteria=nested, action="to-builder"))
        .content.decode()
    )
    assert "cannot be shown in the builder" in body
    assert 'name="criteria_text"' in body


def test_third_parameter_message(role_client, api):
    rows = tuple(("metadata", k, "==", "1") for k in ("a", "b", "c"))
    body = role_client("analyst").post("/groups/new/", _builder(rows=rows)).content.decode()
    assert "at most 2 different fields" in body
    assert api.groups.find_by_name("Jane calls") is None


def test_text_error_points_at_position(role_client, api):
    response = role_client("analyst").post(
        "/groups/check/", _text(criteria="conversation.metadata.a==")
    )
    body = response.content.decode()
    assert 'id="criteria-preview"' in body and "<html" not in body
    assert "position 25" in body
    assert '<mark class="error-at">' in body


def test_invalid_name_keeps_everything_typed(role_client, api):
    response = role_client("analyst").post(
        "/groups/new/", _builder(name="Bad/Name", reason="why not")
    )
    body = response.content.decode()
    assert 'value="Bad/Name"' in body and 'value="jane"' in body and 'value="why not"' in body
    assert "Remove “/”" in body


def test_taken_name_at_name_field(role_client, group):
    body = (
        role_client("analyst")
        .post("/groups/new/", _text(name="Calls made by John"))
        .content.decode()
    )
    assert "A group named “Calls made by John” already exists" in body


def test_create_forbidden_for_auditor(role_client, api):
    assert role_client("auditor").post("/groups/new/", _text()).status_code == 403
    assert role_client("auditor").post("/groups/check/", _text()).status_code == 403


# ------------------------------------------------------------------ edit and conflicts


def test_edit_opens_in_builder_when_expressible(role_client, group):
    body = role_client("analyst").get(f"/groups/{group.id}/edit/").content.decode()
    assert 'name="cond-0-key" value="agentId"' in body


def test_edit_opens_nested_in_text_mode(role_client, api):
    nested = "(conversation.metadata.a==1,conversation.metadata.a==2);conversation.metadata.b==3"
    g = api.groups.create(name="Nested", criteria=nested)
    body = role_client("analyst").get(f"/groups/{g.id}/edit/").content.decode()
    assert 'name="criteria_text"' in body


def test_edit_saves(role_client, group, api):
    data = _text(
        name=group.name,
        criteria="conversation.metadata.agentId==jdoe",
        fingerprint=group.fingerprint,
    )
    assert role_client("analyst").post(f"/groups/{group.id}/edit/", data).status_code == 302
    assert api.groups.get(group.id).criteria == "conversation.metadata.agentId==jdoe"


def test_edit_conflict_offers_choices_and_keeps_theirs(role_client, group, api):
    base = json.dumps(group.to_api())
    api.groups.update(
        group.id, name=group.name, criteria=CRITERIA, description="Changed by someone"
    )
    data = _text(
        name=group.name,
        criteria="conversation.metadata.agentId==mine",
        fingerprint=group.fingerprint,
        base=base,
    )
    body = role_client("analyst").post(f"/groups/{group.id}/edit/", data).content.decode()
    assert "Keep mine" in body and "Merge" in body and "Take current" in body
    assert api.groups.get(group.id).description == "Changed by someone"
    merged = body.split('name="review"')[1].split("</form>")[0]
    assert "Changed by someone" in merged and "agentId==mine" in merged


def test_edit_forbidden_for_auditor(role_client, group):
    assert role_client("auditor").post(f"/groups/{group.id}/edit/", _text()).status_code == 403


# ------------------------------------------------------------------ delete, revert, restore


def test_delete_dialog_for_htmx(role_client, group):
    response = role_client("lead").get(f"/groups/{group.id}/delete/", HTTP_HX_REQUEST="true")
    assert b"<dialog" in response.content and b"<html" not in response.content


def test_delete_and_restore(role_client, group, api):
    lead = role_client("lead")
    response = lead.post(f"/groups/{group.id}/delete/", follow=True)
    assert b"Restore it" in response.content
    assert api.groups.find_by_name(group.name) is None
    assert lead.post(f"/groups/deleted/{group.id}/restore/").status_code == 302
    restored = api.groups.find_by_name(group.name)
    assert restored.id != group.id and restored.criteria == CRITERIA


def test_analyst_cannot_delete(role_client, group):
    assert role_client("analyst").post(f"/groups/{group.id}/delete/").status_code == 403


def test_revert(role_client, api):
    lead = role_client("lead")
    lead.post("/groups/new/", _text(name="Rev"))
    g = api.groups.find_by_name("Rev")
    lead.post(
        f"/groups/{g.id}/edit/", _text(name="Rev", criteria="conversation.metadata.agentId==other")
    )
    entry = AuditEntry.objects.filter(
        action="create", object_type="group", completes__isnull=True
    ).get()
    assert "Revert to this version" in lead.get(f"/groups/{g.id}/").content.decode()
    response = lead.post(
        f"/groups/{g.id}/revert/{entry.seq}/", {"fingerprint": api.groups.get(g.id).fingerprint}
    )
    assert response.status_code == 302
    assert api.groups.get(g.id).criteria == "conversation.metadata.agentId==jane"


# ------------------------------------------------------------------ bulk create and export


def test_bulk_preview_and_run(role_client, group, api):
    lead = role_client("lead")
    csv_text = (
        "name,description,criteria\n"
        "Good,,conversation.metadata.a==1\n"
        "Calls made by John,,conversation.metadata.a==2\n"
        "Broken,,conversation.metadata.a==\n"
    )
    body = lead.post("/groups/import/", {"text": csv_text, "step": "preview"}).content.decode()
    assert "1 ready" in body and "2 with problems" in body and "already exists" in body
    payload = json.dumps(
        [{"name": "Good", "description": "", "criteria": "conversation.metadata.a==1"}]
    )
    body = lead.post(
        "/groups/import/", {"step": "run", "payload": payload, "total": "1"}
    ).content.decode()
    assert "1 created" in body
    assert api.groups.find_by_name("Good")


def test_bulk_forbidden_for_analyst(role_client, api):
    assert role_client("analyst").get("/groups/import/").status_code == 403


def test_export_json_reimportable(role_client, group):
    data = json.loads(role_client("auditor").get("/groups/export.json").content)
    assert data == [
        {
            "id": group.id,
            "name": "Calls made by John",
            "description": "All of John",
            "criteria": CRITERIA,
            "version": version_of(group),
        }
    ]


def test_export_csv(role_client, group):
    response = role_client("auditor").get("/groups/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [
        '"id","version","name","description","criteria"',
        f'"#{group.id}","{version_of(group)}","Calls made by John","All of John","{CRITERIA}"',
    ]


def test_builder_buttons_do_not_judge_what_is_not_saved_yet(role_client):
    body = (
        role_client("analyst")
        .post("/groups/new/", _builder(name="", action="add"), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "Please fix the marked fields" not in body
    assert "Give the group a name." not in body
    assert 'name="cond-1-key"' in body


# ------------------------------------------------------------------ criteria that can never match

NEVER = (("metadata", "agentId", "==", "johndoe"), ("metadata", "agentId", "==", "janedoe"))
NEVER_TEXT = "conversation.metadata.agentId==johndoe and conversation.metadata.agentId==janedoe"


def _report_words(api) -> str:
    """What the quality report says about the never-matching group (the words to repeat)."""
    from review.selectors import quality_findings

    group = api.groups.create(name="Never", criteria=NEVER_TEXT)
    found = [f for f in quality_findings(client=api) if f.kind == "never_matches"]
    api.groups.delete(group.id)
    assert [f.object_id for f in found] == [group.id]
    return found[0].message


def test_live_check_warns_criteria_that_can_never_match_in_the_reports_words(role_client, api):
    words = _report_words(api)
    body = (
        role_client("analyst")
        .post("/groups/check/", _builder(rows=NEVER), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert words == (
        "These criteria can never match a conversation: agentId cannot be both “johndoe” "
        "and “janedoe”."
    )
    assert words in body


def test_live_check_in_text_mode_warns_of_never_matching_too(role_client, api):
    words = _report_words(api)
    body = (
        role_client("analyst")
        .post("/groups/check/", _text(criteria=NEVER_TEXT), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert words in body


def test_a_group_that_can_match_gets_no_such_warning(role_client, api):
    body = (
        role_client("analyst")
        .post("/groups/check/", _builder(), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "can never match" not in body


def test_import_preview_warns_criteria_that_can_never_match_in_the_reports_words(role_client, api):
    words = _report_words(api)
    csv_text = f"name,description,criteria\nNever,,{NEVER_TEXT}\nFine,,{CRITERIA}\n"
    body = (
        role_client("lead")
        .post("/groups/import/", {"text": csv_text, "step": "preview"})
        .content.decode()
    )
    assert body.count(words) == 1
