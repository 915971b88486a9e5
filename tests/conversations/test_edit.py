"""Metadata editing and delete: the contract's rules with everything typed kept on refusal,
the audit entries (ids, names, metadata: never message text), history, permissions."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from conversations.services import metadata_version
from tests.support.conversations import SECRET_SENTENCE

pytestmark = pytest.mark.django_db


def _rows(*pairs, seen="", action="save"):
    return {
        "key": [k for k, _ in pairs],
        "value": [v for _, v in pairs],
        "seen": seen,
        "action": action,
    }


def _seen(api, conversation_id):
    return metadata_version(api.conversations.get(conversation_id).metadata)


def test_the_form_shows_the_metadata_as_rows(role_client, calls):
    html = role_client("analyst").get(f"/conversations/{calls['renewal']}/metadata/").content
    html = html.decode()
    assert 'name="key" value="agentId"' in html and 'name="value" value="johndoe"' in html
    assert 'id="key-3"' in html  # a blank row for a new key


def test_saving_replaces_the_metadata_and_is_audited_without_message_text(role_client, api, calls):
    cid = calls["renewal"]
    data = _rows(("agentId", "jane"), ("region", "EMEA"), ("", ""), seen=_seen(api, cid))
    response = role_client("analyst").post(f"/conversations/{cid}/metadata/", data)
    assert response.status_code == 302 and response["Location"] == f"/conversations/{cid}/"
    assert dict(api.conversations.get(cid).metadata) == {"agentId": "jane", "region": "EMEA"}
    intent = AuditEntry.objects.get(object_type="conversation", completes__isnull=True)
    assert (intent.action, intent.object_id, intent.object_name) == ("update", cid, "Renewal call")
    assert intent.before["metadata"] == {"agentId": "johndoe", "callType": "sales"}
    assert intent.after["metadata"] == {"agentId": "jane", "region": "EMEA"}
    outcome = AuditEntry.objects.get(completes=intent)
    assert outcome.outcome == "success"
    for entry in AuditEntry.objects.all():
        text = f"{entry.before} {entry.after} {entry.upstream_message} {entry.object_name}"
        assert SECRET_SENTENCE not in text and "Hello, this is Ann" not in text


def test_the_change_shows_in_the_conversations_history(role_client, api, calls):
    cid = calls["renewal"]
    role_client("analyst").post(
        f"/conversations/{cid}/metadata/", _rows(("agentId", "jane"), seen=_seen(api, cid))
    )
    html = role_client("lead").get(f"/conversations/{cid}/").content.decode()
    history = html[html.index('id="history-heading"') :]
    assert "Update" in history and "analyst-user" in history
    assert "jane" in history


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ((("agentId", "a"), ("agentId", "b")), "keys must be unique"),
        ((("", "orphan value"),), "Give this value a key."),
        ((("agentId", "x" * 129),), "the most is 128"),
        ((("k" * 129, "v"),), "The key is 129 characters"),
        (tuple((f"k{i}", "v") for i in range(51)), "at most 50"),
    ],
)
def test_a_refused_form_keeps_what_was_typed_and_saves_nothing(
    role_client, api, calls, pairs, message
):
    cid = calls["renewal"]
    analyst = role_client("analyst")
    before = AuditEntry.objects.count()
    response = analyst.post(f"/conversations/{cid}/metadata/", _rows(*pairs))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "Nothing was saved" in html
    for key, value in pairs:
        assert f'value="{key}"' in html and f'value="{value}"' in html
    assert dict(api.conversations.get(cid).metadata) == {"agentId": "johndoe", "callType": "sales"}
    assert AuditEntry.objects.count() == before


def test_add_and_remove_rows_keep_what_was_typed(role_client, calls):
    path = f"/conversations/{calls['renewal']}/metadata/"
    added = role_client("analyst").post(path, _rows(("a", "1"), ("b", "2"), action="add"))
    html = added.content.decode()
    assert 'value="1"' in html and 'value="2"' in html and 'id="key-3"' in html
    assert 'id="key-3" name="key" value="" maxlength="200" autocomplete="off" autofocus' in html
    removed = role_client("analyst").post(path, _rows(("a", "1"), ("b", "2"), action="remove-0"))
    html = removed.content.decode()
    assert 'value="a"' not in html and 'value="b"' in html and 'value="2"' in html


def test_the_form_as_an_htmx_partial(role_client, calls):
    path = f"/conversations/{calls['renewal']}/metadata/"
    response = role_client("analyst").post(path, _rows(("", "x")), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="metadata-form"') and "<html" not in html


def test_a_change_made_since_the_form_opened_is_not_overwritten(role_client, api, calls):
    cid = calls["renewal"]
    seen = _seen(api, cid)
    api.conversations.update_metadata(cid, {"agentId": "someone-else"})
    response = role_client("analyst").post(
        f"/conversations/{cid}/metadata/", _rows(("agentId", "mine"), seen=seen)
    )
    html = response.content.decode()
    assert "Someone else changed" in html and 'value="mine"' in html
    assert dict(api.conversations.get(cid).metadata) == {"agentId": "someone-else"}


def test_an_auditor_cannot_edit_metadata(role_client, api, calls):
    cid = calls["renewal"]
    assert role_client("auditor").get(f"/conversations/{cid}/metadata/").status_code == 403
    assert not AuditEntry.objects.filter(object_type="conversation").exists()
    response = role_client("auditor").post(f"/conversations/{cid}/metadata/", _rows(("a", "b")))
    assert response.status_code == 403
    assert dict(api.conversations.get(cid).metadata) == {"agentId": "johndoe", "callType": "sales"}


def test_an_analyst_cannot_delete(role_client, api, calls):
    cid = calls["renewal"]
    assert role_client("analyst").get(f"/conversations/{cid}/delete/").status_code == 403
    assert role_client("analyst").post(f"/conversations/{cid}/delete/").status_code == 403
    assert api.conversations.get(cid).name == "Renewal call"


def test_a_lead_confirms_then_deletes_audited(role_client, api, calls):
    cid = calls["renewal"]
    page = role_client("lead").get(f"/conversations/{cid}/delete/").content.decode()
    assert "Delete the conversation <strong>“Renewal call”</strong>" in page
    assert 'name="csrfmiddlewaretoken"' in page
    response = role_client("lead").post(f"/conversations/{cid}/delete/")
    assert response.status_code == 302 and response["Location"] == "/conversations/"
    assert role_client("lead").get(f"/conversations/{cid}/").status_code == 404
    intent = AuditEntry.objects.get(
        object_type="conversation", action="delete", completes__isnull=True
    )
    assert (intent.object_id, intent.object_name) == (cid, "Renewal call")
    assert intent.before == {
        "name": "Renewal call",
        "metadata": {"agentId": "johndoe", "callType": "sales"},
    }
    assert AuditEntry.objects.get(completes=intent).outcome == "success"


def test_delete_needs_the_csrf_token(make_user, api, calls):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("lead-csrf", "Team lead"))
    assert client.post(f"/conversations/{calls['renewal']}/delete/").status_code == 403
    assert api.conversations.get(calls["renewal"]).name == "Renewal call"


def test_a_save_that_names_no_version_replaces_nothing(role_client, api, calls):
    """A post without the form's version (a forged or truncated form) would skip the check
    for someone else's change: it is refused with the metadata shown, never saved blank."""
    cid = calls["renewal"]
    before = dict(api.conversations.get(cid).metadata)
    response = role_client("analyst").post(f"/conversations/{cid}/metadata/", {"action": "save"})
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert dict(api.conversations.get(cid).metadata) == before
