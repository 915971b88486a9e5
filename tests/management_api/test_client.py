"""The process-wide session and client, describe() and ping()."""

from __future__ import annotations

import json
import threading

import pytest
import requests
from django.test import override_settings

from symbl_admin.management_api import ManagementAPIClient, get_client, reset_client
from symbl_admin.management_api import sessions as sessions_module

from .fake_server import APP_ID, APP_SECRET, Reply

GROUPS = "/v1/manage/groups"


@pytest.fixture(autouse=True)
def fresh_client():
    reset_client()
    yield
    reset_client()


# -- session --------------------------------------------------------------------------------


def test_shared_session_is_one_per_process_across_threads():
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(sessions_module.shared_session()))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(session) for session in seen}) == 1


def test_shared_session_is_new_in_a_forked_child(monkeypatch):
    parent = sessions_module.shared_session()
    monkeypatch.setattr(sessions_module.os, "getpid", lambda: -1)
    assert sessions_module.shared_session() is not parent


def test_session_does_no_retries_of_its_own():
    adapter = sessions_module.new_session().get_adapter("http://example.test")
    assert adapter.max_retries.total == 0


def test_calls_reuse_one_kept_alive_connection(make_client, fake_api):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": []}))
    client = make_client()
    for _ in range(5):
        client.groups.list()
    assert fake_api.connections == 1


def test_client_without_a_session_uses_the_shared_one(fake_api, token_cache):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": []}))
    client = ManagementAPIClient(fake_api.url, APP_ID, APP_SECRET, cache=token_cache)
    client.groups.list()
    assert client.transport.session is sessions_module.shared_session()


# -- describe and ping ----------------------------------------------------------------------


def test_describe_names_mode_and_base_url(make_client, fake_api):
    assert make_client().describe() == {"mode": "remote", "base_url": fake_api.url}


def test_ping_answers_ok_when_the_server_answers(make_client, fake_api):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": []}))
    assert make_client().ping() == (True, "ok")


def test_ping_makes_an_authenticated_call(make_client, fake_api):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": []}))
    make_client().ping()
    assert fake_api.requests_to("GET", GROUPS)[0].headers["authorization"].startswith("Bearer ")


def test_ping_reports_a_server_that_is_down(make_client, refused_url):
    ok, reason = make_client(base_url=refused_url).ping()
    assert (ok, reason) == (False, "The Management API is not answering.")


def test_ping_reports_refused_credentials(make_client):
    ok, reason = make_client(app_secret="wrong").ping()
    assert ok is False
    assert "could not sign in" in reason
    assert "HTTP 401" in reason


def test_ping_never_raises(make_client):
    class Broken(requests.Session):
        def request(self, *args, **kwargs):
            raise ValueError("a bug underneath")

    assert make_client(session=Broken()).ping() == (False, "Unexpected error: ValueError")


# -- get_client -----------------------------------------------------------------------------


@pytest.fixture
def remote_settings(fake_api):
    with override_settings(
        SYMBL_API_BASE_URL=fake_api.url,
        SYMBL_APP_ID=APP_ID,
        SYMBL_APP_SECRET=APP_SECRET,
        SYMBL_API_CONNECT_TIMEOUT=1.5,
        SYMBL_API_READ_TIMEOUT=4.0,
        SYMBL_API_DEADLINE=6.0,
    ):
        yield


def test_get_client_with_a_base_url_is_remote(remote_settings, fake_api):
    assert get_client().describe() == {"mode": "remote", "base_url": fake_api.url}


def test_get_client_takes_timeouts_from_settings(remote_settings):
    transport = get_client().transport
    assert (transport.connect_timeout, transport.read_timeout, transport.deadline) == (
        1.5,
        4.0,
        6.0,
    )


def test_get_client_is_one_per_process(remote_settings):
    assert get_client() is get_client()


def test_reset_client_builds_a_new_one(remote_settings):
    first = get_client()
    reset_client()
    assert get_client() is not first


def test_get_client_follows_a_settings_change(remote_settings):
    first = get_client()
    with override_settings(SYMBL_API_DEADLINE=2.0):
        assert get_client() is not first


def test_get_client_remote_calls_the_server(remote_settings, fake_api):
    fake_api.on("GET", GROUPS, Reply(200, {"groups": [{"id": 5, "name": "G", "criteria": "c"}]}))
    assert get_client().groups.list()[0].id == "5"


_stub_calls: list[tuple[str, str]] = []
_stub_token_bodies: list[dict] = []


def _stub_wsgi_app(environ, start_response):
    """Stands in for an embedded server: answers tokens and an empty group list."""
    _stub_calls.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
    if environ["PATH_INFO"] == "/oauth2/token:generate":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        _stub_token_bodies.append(json.loads(environ["wsgi.input"].read(length)))
        body = b'{"accessToken": "stub-token", "expiresIn": 60}'
    else:
        body = b'{"groups": []}'
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


def stub_embedded_app():
    """What SYMBL_API_EMBEDDED_APP names: (wsgi_app, app_id, app_secret)."""
    return _stub_wsgi_app, "local-id", "local-secret"


@pytest.fixture
def stub_embedded():
    """The client wired by configuration to a stub server, so it tests its own wiring."""
    _stub_calls.clear()
    _stub_token_bodies.clear()
    with override_settings(
        SYMBL_API_BASE_URL="",
        SYMBL_API_EMBEDDED_APP="tests.management_api.test_client.stub_embedded_app",
    ):
        yield _stub_calls


def test_get_client_without_a_base_url_is_embedded(stub_embedded):
    assert get_client().describe() == {
        "mode": "embedded",
        "base_url": "http://embedded-management-api.invalid",
    }


def test_embedded_client_calls_go_through_the_adapter(stub_embedded):
    get_client().groups.list()
    assert stub_embedded == [("POST", "/oauth2/token:generate"), ("GET", "/v1/manage/groups")]


def test_embedded_client_uses_the_local_credentials(stub_embedded):
    assert get_client().transport.app_id == "local-id"


def test_embedded_client_signs_in_with_the_pair_the_server_gave(stub_embedded):
    client = get_client()
    client.transport.forget_token()  # another test may have left one in the shared cache
    client.groups.list()
    assert [(b["appId"], b["appSecret"]) for b in _stub_token_bodies] == [
        ("local-id", "local-secret")
    ]


def test_embedded_client_against_the_real_local_server(tmp_path):
    """The default wiring: the configured local server, through the in-process adapter."""
    with override_settings(
        SYMBL_API_BASE_URL="", SYMBL_LOCAL_API_DATA=str(tmp_path / "api.sqlite3")
    ):
        client = get_client()
        created = client.trackers.create(name="Wiring", vocabulary=["hello there"])
        assert client.trackers.get(created.id) == created
