"""HEAD answers as GET wherever GET is allowed: the same status and headers, no body
(symbl_admin.middleware.HeadMiddleware drops it whichever server runs the app; the test
client would drop it anyway, so the body is checked through Django's own WSGI handler)."""

from __future__ import annotations

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _wsgi(method: str, path: str, cookies: str = "") -> tuple[str, dict, bytes]:
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD=method, HTTP_COOKIE=cookies
    )
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, dict(headers)

    # As Django's test client does: the request's start and end must not close the test's
    # database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = WSGIHandler()(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


def _cookies(client) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_head_like_get_without_a_body(api, path):
    get_status, get_headers, get_body = _wsgi("GET", path)
    status, headers, body = _wsgi("HEAD", path)
    assert (status, body) == (get_status, b"")
    assert status.startswith("200")
    assert headers["Content-Type"] == get_headers["Content-Type"] == "application/json"
    assert headers["Content-Length"] == str(len(get_body))


def test_readyz_head_says_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("db down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    assert client.head("/readyz").status_code == 503


def test_a_page_answers_head_like_get(role_client, api):
    analyst = role_client("analyst")
    got, head = analyst.get("/trackers/"), analyst.head("/trackers/")
    assert (head.status_code, head["Content-Type"]) == (200, got["Content-Type"])
    assert int(head["Content-Length"]) > 1000
    assert head["Content-Security-Policy"] == got["Content-Security-Policy"]
    status, _, body = _wsgi("HEAD", "/trackers/", _cookies(analyst))
    assert (status, body) == ("200 OK", b"")


def test_a_streamed_export_answers_head_without_a_body(role_client, api):
    status, headers, body = _wsgi("HEAD", "/trackers/export.csv", _cookies(role_client("lead")))
    assert (status, body) == ("200 OK", b"")
    assert headers["Content-Type"].startswith("text/csv")


def test_head_needs_sign_in_and_the_permission_like_get(client, role_client, api):
    assert client.head("/trackers/")["Location"].startswith("/accounts/login/")
    assert role_client("analyst").head("/audit/").status_code == 403
    denial = AuditEntry.objects.filter(action="permission_denied").last()
    assert (denial.after["method"], denial.after["path"]) == ("HEAD", "/audit/")


def test_head_is_refused_where_get_is(role_client, api):
    response = role_client("analyst").head("/trackers/check/")
    assert response.status_code == 405
