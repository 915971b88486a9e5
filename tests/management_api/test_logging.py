"""One log line per upstream call: method, path, status, duration, tries; never secrets."""

from __future__ import annotations

import json
import logging

import pytest

from symbl_admin.management_api import AuthFailed, Unavailable

from .fake_server import APP_SECRET, TOKEN_PATH, Drop, Reply

LOGGER = "symbl_admin.management_api"
GROUPS = "/v1/manage/groups"


def lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == LOGGER]


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    return caplog


def test_one_line_per_upstream_call(make_client, fake_api, logs):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": []}))
    client = make_client()
    client.groups.list()
    client.groups.list()
    assert [(line["method"], line["path"]) for line in lines(logs)] == [
        ("POST", TOKEN_PATH),
        ("GET", GROUPS),
        ("GET", GROUPS),
    ]


def test_line_has_status_and_tries(make_client, fake_api, logs):
    fake_api.on("GET", GROUPS, Reply(503, {}), Reply(200, {"groups": []}))
    make_client().groups.list()
    line = lines(logs)[-1]
    assert (line["status"], line["tries"]) == (200, 2)


def test_duration_covers_every_try_and_the_backoff_between(make_client, fake_api, logs):
    # A clock that only the (fake) backoff sleep moves: the line's duration is that sleep.
    now = [1000.0]
    fake_api.on("GET", GROUPS, Reply(503, {}), Reply(200, {"groups": []}))
    make_client(
        clock=lambda: now[0], sleep=lambda seconds: now.__setitem__(0, now[0] + seconds)
    ).groups.list()
    # rand 0.5 × min(cap 4 s, base 0.25 s × 2⁰) = 0.125 s before the second try
    assert lines(logs)[-1]["duration_ms"] == 125.0


def test_line_has_the_request_id_sent_upstream(make_client, fake_api, logs):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": []}))
    make_client().groups.list()
    assert lines(logs)[-1]["request_id"] == fake_api.seen[-1].headers["x-request-id"]


def test_failed_call_logs_a_warning_with_the_error_kind(make_client, refused_url, logs):
    with pytest.raises(Unavailable):
        make_client(base_url=refused_url).groups.list()
    assert [line.get("error") for line in lines(logs)] == [
        "ConnectionError",
        "no token (Unavailable)",
    ]


def test_failed_call_logs_warnings(make_client, refused_url, logs):
    with pytest.raises(Unavailable):
        make_client(base_url=refused_url).groups.list()
    assert {r.levelno for r in logs.records if r.name == LOGGER} == {logging.WARNING}


def test_secret_and_token_never_logged(make_client, fake_api, logs):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": []}))
    make_client().groups.list()
    fake_api.revoke_tokens()  # a renewal, a second token
    make_client().groups.list()
    text = logs.text
    assert APP_SECRET not in text
    assert all(token not in text for token in fake_api.tokens_issued)


def test_secret_not_logged_when_sign_in_fails(make_client, logs):
    with pytest.raises(AuthFailed):
        make_client(app_secret="wrong-" + APP_SECRET).groups.list()
    assert APP_SECRET not in logs.text


def test_bodies_are_not_logged(make_client, fake_api, logs):
    fake_api.on("POST", "/v1/manage/tracker", Drop())
    fake_api.on("GET", "/v1/manage/trackers", Reply(200, {"trackers": []}))
    with pytest.raises(Unavailable):
        make_client().trackers.create(name="Confidential", vocabulary=["phrase-kept-private"])
    assert "phrase-kept-private" not in logs.text


def test_secret_not_in_client_repr(make_client):
    client = make_client()
    assert APP_SECRET not in repr(client)
    assert APP_SECRET not in repr(client.transport)
