"""No secret anywhere: a representative flow through every kind of screen (sign-in, editor,
lists, exports, import preview, run and report, history and revert, the review queue and the
quality report, 403, 404 and a real 500 page, an unreachable upstream) with every log record
(all loggers, DEBUG) and every response body captured, then searched for the app secret, the
access token, the password and the session id. The audit log's rows and exports are searched
too. The suite-wide watch (tests/support/secrets_watch.py) does the same for every other
test; this one also searches the audit rows and proves the flow was heard."""

from __future__ import annotations

import logging
import re
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Secret-Horse-7731"
APP_SECRET = "app-secret-Zebra-90412-must-never-show"


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(name)s %(message)s %(exc_text)s").format(record))
        self.lines.append(repr(record.__dict__))


@pytest.fixture
def captured():
    handler, root = Everything(), logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in logging.root.manager.loggerDict:  # loggers that stop at their own level
        logging.getLogger(name).setLevel(logging.NOTSET)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old)


@pytest.fixture
def app(settings, tmp_path):
    from symbl_admin.management_api import get_client

    cache.clear()
    settings.SYMBL_API_BASE_URL = ""
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "api.sqlite3")
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = "matrix-app", APP_SECRET
    return get_client()


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _flow(client: Client, bodies: list[bytes], settings) -> None:
    def keep(response):
        bodies.append(_body(response))
        bodies.append(str(response.headers).encode())
        return response

    keep(client.post("/accounts/login/", {"username": "lead", "password": "wrong-" + PASSWORD}))
    keep(client.post("/accounts/login/", {"username": "lead", "password": PASSWORD}))
    keep(client.get("/trackers/new/"))
    phrases = "special promotion\nmonth special"
    keep(client.post("/trackers/new/", {"name": "Secret Test", "phrases": phrases}))
    tracker_id = client.get("/trackers/export.json").json()[0]["id"]
    for path in ("/trackers/", f"/trackers/{tracker_id}/", f"/trackers/{tracker_id}/edit/"):
        keep(client.get(path))
    keep(
        client.post(f"/trackers/{tracker_id}/edit/", {"name": "Secret Test 2", "phrases": phrases})
    )
    _history_and_review(client, keep, tracker_id)
    keep(client.post(f"/trackers/{tracker_id}/delete/"))
    for path in ("/trackers/export.json", "/trackers/export.csv", "/groups/export.csv"):
        keep(client.get(path))
    keep(client.get("/trackers/no-such/page/"))  # an error page
    keep(client.get("/audit/export.csv"))  # refused: a 403 page
    keep(client.get("/audit/"))
    for entry in AuditEntry.objects.all():
        keep(client.get(f"/audit/{entry.seq}/"))
    _import(client, keep)
    _server_error(client, keep, settings)
    settings.SYMBL_API_BASE_URL = "http://127.0.0.1:9"  # an upstream that does not answer
    settings.SYMBL_API_DEADLINE = 1.0
    keep(client.get("/trackers/"))
    keep(client.get("/readyz"))


def _history_and_review(client: Client, keep, tracker_id: str) -> None:
    detail = client.get(f"/trackers/{tracker_id}/").content.decode()
    revert = re.findall(rf"/trackers/{tracker_id}/revert/\d+/", detail)[-1]  # the oldest
    keep(client.get(revert))
    keep(client.post(revert, {"reason": "back to the first words"}))
    item = keep(client.get("/review/")).context["queue"].items[0].key
    keep(client.post("/review/decide/", {"decision": "request_changes", "item": item}))
    keep(client.post("/review/decide/", {"decision": "approve", "item": item, "comment": "ok"}))
    for path in ("/review/quality/", "/review/quality/export.csv"):
        keep(client.get(path))


def _import(client: Client, keep) -> None:
    text = "name,phrase\nImported One,hello there\nImported Two,good bye\nBad,why?\n"
    keep(client.get("/trackers/import/"))
    preview = keep(client.post("/trackers/import/", {"text": text, "format": "csv"}))
    payload = preview.context["payload"]
    skipped = preview.context["skipped_json"]
    run = {"step": "run", "payload": payload, "skipped": skipped, "total": "3"}
    keep(client.post("/trackers/import/", run, headers={"HX-Request": "true"}))
    report = keep(client.post("/trackers/import/", run))  # the whole run and its report
    assert b"Imported Two" in report.content and b"Bad" in report.content


def _server_error(client: Client, keep, settings) -> None:
    """A real 500: DEBUG off, Django's handler500 (our page), the exception logged."""
    settings.DEBUG = False
    failing = Client(raise_request_exception=False)
    failing.cookies = client.cookies
    with mock.patch("dashboard.selectors.overview", side_effect=RuntimeError("overview broke")):
        response = keep(failing.get("/"))
    assert response.status_code == 500
    assert b"overview broke" not in response.content


def test_no_secret_in_logs_pages_audit_or_exports(app, make_user, captured, settings):
    user = make_user("lead", "Team lead")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    bodies: list[bytes] = []
    _flow(client, bodies, settings)

    token = cache.get(app.transport.token_key)["token"]
    session_id = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    auditor = Client()
    auditor.force_login(make_user("auditor", "Auditor"))
    for path in ("/audit/export.csv", "/audit/export.json"):
        bodies.append(_body(auditor.get(path)))
    audit_rows = [repr(row) for row in AuditEntry.objects.values()]

    secrets = {"password": PASSWORD, "app secret": APP_SECRET, "token": token}
    secrets["session id"] = session_id
    assert all(len(value) >= 16 for value in secrets.values())
    assert len(bodies) > 50 and len(captured.lines) > 50  # the flow ran and was heard
    assert any("management_api" in line for line in captured.lines)
    assert any("overview broke" in line for line in captured.lines)  # the 500, logged
    text = {
        "logs": "\n".join(captured.lines),
        "pages": b"\n".join(bodies).decode("utf-8", "replace"),
        "audit": "\n".join(audit_rows),
    }
    leaks = {(what, where) for what, value in secrets.items() for where, t in text.items()}
    leaks = {(what, where) for what, where in leaks if secrets[what] in text[where]}
    assert leaks == set()
