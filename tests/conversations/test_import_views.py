"""The conversation import over HTTP: preview → confirm → the server's jobs complete, on the
embedded server and over real HTTP against the standalone one; audited without message text."""

import json
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from conversations import importing

ALL_TIME = {"start_time": "1970-01-01T00:00:00Z", "end_time": "2100-01-01T00:00:00Z"}
SECRET_TEXT = "our discount code is PURPLE-ELEPHANT"


def _files(*pairs, content_type="text/plain"):
    return [
        SimpleUploadedFile(name, text.encode(), content_type=content_type) for name, text in pairs
    ]


def _preview(client, files, metadata=None, **headers):
    data = {"step": "preview", "files": files}
    if metadata:
        data["metadata"] = metadata
    return client.post("/conversations/import/", data, **headers)


def _token(html: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)


def _run_to_the_end(client, token: str, *, htmx: bool) -> str:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    answer = client.post("/conversations/import/", {"step": "run", "token": token}, **headers)
    if not htmx:
        assert answer.status_code == 302
        assert answer["Location"] == f"/conversations/import/{token}/"
    html = answer.content.decode()
    deadline = time.monotonic() + 20
    while "Import finished" not in html and time.monotonic() < deadline:
        if htmx and 'name="step" value="run"' in html and 'hx-trigger="load' in html:
            html = client.post(
                "/conversations/import/", {"step": "run", "token": token}, **headers
            ).content.decode()
            continue
        time.sleep(0.2)
        html = client.get(f"/conversations/import/{token}/", **headers).content.decode()
    return html


TXT = (
    ("Call with Acme.txt", f"John Doe: Hello, {SECRET_TEXT}.\nSarah Miller: Thanks, noted.\n"),
    ("Internal sync.txt", "Jane Doe: Agenda first.\nMarcus Lee: Sounds good.\n"),
    ("broken.txt", "Jane Doe: fine\nno speaker here\n"),
)
META = (
    "conversation,key,value\nCall with Acme,agentId,johndoe\nCall with Acme,customerId,88338833\n"
)


def test_the_preview_counts_shows_first_messages_and_names_problems_and_sends_nothing(
    role_client, api
):
    lead = role_client("lead")
    html = _preview(
        lead, _files(*TXT), SimpleUploadedFile("meta.csv", META.encode())
    ).content.decode()
    assert "3 conversations read" in html
    assert re.search(r"4 messages</strong> from <strong[^>]*>4 speakers", html)
    assert "Hello, our discount code" in html  # the first messages
    assert "broken" in html and "line 2: no speaker" in html
    assert "Import 2 conversations, skip 1 with problems" in html
    assert api.conversations.list(**ALL_TIME) == []
    assert not AuditEntry.objects.filter(object_type="conversation").exists()


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_confirmed_import_runs_jobs_to_completion_audited_without_message_text(
    role_client, api, htmx
):
    lead = role_client("lead")
    preview = _preview(lead, _files(*TXT), SimpleUploadedFile("meta.csv", META.encode()))
    html = _run_to_the_end(lead, _token(preview.content.decode()), htmx=htmx)
    assert "2 of 2 submitted" in html and "2 completed" in html and "0 failed" in html
    assert "Skipped in the preview" in html and "broken" in html
    stored = {c.name: c for c in api.conversations.list(**ALL_TIME)}
    assert set(stored) == {"Call with Acme", "Internal sync"}
    assert stored["Call with Acme"].metadata == {"agentId": "johndoe", "customerId": "88338833"}
    texts = [m.text for m in api.conversations.messages(stored["Call with Acme"].id)]
    assert texts[0].startswith("Hello, our discount code")
    entries = AuditEntry.objects.filter(object_type="conversation").order_by("seq")
    done = [e for e in entries if e.outcome == "success"]
    assert sorted(e.object_name for e in done) == ["Call with Acme", "Internal sync"]
    assert {e.object_id for e in done} == {c.id for c in stored.values()}
    assert {e.action for e in entries} == {"create"}
    dumped = json.dumps(
        [[e.before, e.after, e.upstream_message, e.reason, e.object_name] for e in entries]
    )
    assert "PURPLE-ELEPHANT" not in dumped and "Agenda first" not in dumped
    assert '"agentId": "johndoe"' in dumped
    audit_page = lead.get("/audit/")  # the log shows the new object type like the others
    assert audit_page.status_code == 200 and "Call with Acme" in audit_page.content.decode()
    assert lead.get("/review/").status_code == 200


def test_a_resent_run_does_not_duplicate_conversations(role_client, api):
    lead = role_client("lead")
    token = _token(_preview(lead, _files(*TXT[:2])).content.decode())
    _run_to_the_end(lead, token, htmx=False)
    again = lead.post("/conversations/import/", {"step": "run", "token": token})
    assert again.status_code == 302
    assert len(api.conversations.list(**ALL_TIME)) == 2


def test_the_server_refusing_a_conversation_names_it_with_its_reason(role_client, api, settings):
    lead = role_client("lead")
    token = _token(_preview(lead, _files(*TXT[:2])).content.decode())
    # The import file is the dashboard's; break one body so the server (not the preview) refuses.
    from conversations import import_run

    path = import_run._folder() / f"{token}.json"
    state = json.loads(path.read_text())
    body = json.loads(state["pending"][0]["body"])
    state["pending"][0]["body"] = json.dumps({**body, "metadata": {"nested": {"no": "allowed"}}})
    path.write_text(json.dumps(state))
    html = _run_to_the_end(lead, token, htmx=True)
    assert "1 failed" in html
    assert re.search(r"<strong>Call with Acme</strong>: [^<]*metadata", html)
    assert AuditEntry.objects.filter(object_type="conversation", outcome="failed").count() == 1


def test_another_users_import_is_not_found(role_client, make_user, api, client):
    lead = role_client("lead")
    token = _token(_preview(lead, _files(*TXT[:1])).content.decode())
    other = make_user("other-lead", "Team lead")
    client.force_login(other)
    assert client.get(f"/conversations/import/{token}/").status_code == 404
    answer = client.post("/conversations/import/", {"step": "run", "token": token})
    assert answer.status_code == 302
    assert api.conversations.list(**ALL_TIME) == []


@pytest.mark.parametrize("role", ["analyst", "auditor"])
def test_analysts_and_auditors_may_not_import(role_client, api, role):
    user = role_client(role)
    assert user.get("/conversations/import/").status_code == 403
    assert _preview(user, _files(*TXT[:1])).status_code == 403


def test_a_file_over_the_bound_is_refused_clearly_and_the_form_stays(role_client, api):
    lead = role_client("lead")
    big = "Ann: " + "x" * importing.MAX_IMPORT_BYTES
    html = _preview(lead, _files(("big.txt", big))).content.decode()
    assert "one import takes at most 5 MB" in html
    assert 'name="files"' in html and 'aria-invalid="true"' in html


def test_the_upload_form_as_a_page_and_as_a_partial(role_client, api):
    lead = role_client("lead")
    page = lead.get("/conversations/import/").content.decode()
    assert "<html" in page and 'id="import-area"' in page and "multiple" in page
    part = lead.get("/conversations/import/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in part and 'id="import-area"' in part


def test_import_over_real_http_against_the_standalone_server(role_client, settings, tmp_path):
    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
    from symbl_admin.management_api import get_client
    from tests.support.standalone import standalone_server

    with standalone_server(tmp_path / "remote.sqlite3") as url:
        settings.SYMBL_API_BASE_URL = url
        settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = LOCAL_APP_ID, LOCAL_APP_SECRET
        lead = role_client("lead")
        body = [
            {
                "name": "Sales call",
                "messages": [
                    {"payload": {"content": "Hello. How are you?"}, "from": {"name": "John Doe"}}
                ],
                "metadata": {"agentId": "johndoe", "label": "External"},
            }
        ]
        files = _files(("calls.json", json.dumps(body)), content_type="application/json")
        html = _run_to_the_end(lead, _token(_preview(lead, files).content.decode()), htmx=True)
        assert "1 completed" in html
        (stored,) = get_client().conversations.list(**ALL_TIME)
        assert (stored.name, stored.metadata["agentId"]) == ("Sales call", "johndoe")
        assert [m.text for m in get_client().conversations.messages(stored.id)] == [
            "Hello.",
            "How are you?",
        ]


def test_an_import_left_unconfirmed_is_removed_after_its_time_even_with_no_new_import(
    tmp_path, settings
):
    """A previewed import keeps transcripts under var/: looking at any import prunes the old
    ones, so a preview nobody confirmed does not stay for ever."""
    import os
    import time

    from conversations import import_run

    settings.VAR_DIR = str(tmp_path)
    folder = import_run._folder()
    stale = folder / ("a" * 32 + ".json")
    stale.write_text("{}")
    old = time.time() - import_run.KEEP_SECONDS - 60
    os.utime(stale, (old, old))
    assert import_run.import_state(token="b" * 32, owner_id=1) is None
    assert not stale.exists()
