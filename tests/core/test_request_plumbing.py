import json
import logging
import types

import pytest


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


@pytest.mark.django_db
def test_one_structured_log_line_per_request(client, caplog, make_user):
    user = make_user("logger")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="symbl_admin.request"):
        response = client.get("/accounts/password/")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "symbl_admin.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["method"] == "GET"
    assert line["path"] == "/accounts/password/"
    assert line["status"] == 200
    assert line["user_id"] == user.pk
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_the_log_line_times_the_request(client, caplog, monkeypatch):
    # The middleware's clock reads 10 s when the request comes in and 10.25 s when it leaves.
    readings = iter([10.0, 10.25])
    monkeypatch.setattr(
        "symbl_admin.middleware.time", types.SimpleNamespace(perf_counter=lambda: next(readings))
    )
    with caplog.at_level(logging.INFO, logger="symbl_admin.request"):
        client.get("/healthz")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "symbl_admin.request"]
    assert [line["duration_ms"] for line in lines] == [250.0]


@pytest.mark.django_db
def test_strict_content_security_policy(client):
    csp = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


@pytest.mark.django_db
def test_error_page_shows_request_id(role_client):
    response = role_client("analyst").get("/no-such-page/")
    assert response.status_code == 404
    assert response["X-Request-ID"].encode() in response.content
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_a_form_over_the_size_limit_gets_a_400_that_says_so(role_client, api):
    response = role_client("analyst").post("/trackers/new/", {"name": "x" * (3 * 1024 * 1024)})
    body = response.content.decode()
    assert response.status_code == 400
    assert "too large for one form (the limit is 2.5 MB)" in body
    assert "data-error-message=" in body  # what static/js/app.js shows after an htmx post
