"""WSGIAdapter, the in-process transport the dashboard uses by default, and the server's
embedded instance it is wired to by settings.SYMBL_API_EMBEDDED_APP."""

from __future__ import annotations

import pytest
import requests

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from local_api.embedded import wsgi_app
from local_api.faults import ConnectionDropped
from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL, WSGIAdapter, embedded_app
from tests.support.embedded import embedded_session

TOKEN_URL = f"{EMBEDDED_BASE_URL}/oauth2/token:generate"
CREDENTIALS = {"type": "application", "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET}


def _echo_app(environ, start_response):
    body = repr(
        {
            "method": environ["REQUEST_METHOD"],
            "path": environ["PATH_INFO"],
            "query": environ["QUERY_STRING"],
            "length": environ.get("CONTENT_LENGTH"),
            "chunked": environ.get("HTTP_TRANSFER_ENCODING"),
            "header": environ.get("HTTP_X_THING"),
            "body": environ["wsgi.input"].read(),
        }
    ).encode()
    start_response("418 I'm a teapot", [("Content-Type", "text/plain; charset=latin-1")])
    return [body]


def _session(app):
    session = requests.Session()
    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(app))
    return session


def _echo(**kwargs):
    response = _session(_echo_app).post(f"{EMBEDDED_BASE_URL}/a%20b/c?x=1&y=%C3%A9", **kwargs)
    return eval(response.text)  # noqa: S307 -- our own repr above


def test_adapter_returns_a_real_response():
    response = _session(_echo_app).get(f"{EMBEDDED_BASE_URL}/x")
    assert isinstance(response, requests.Response)
    assert (response.status_code, response.reason) == (418, "I'm a teapot")


def test_adapter_response_carries_url_request_and_encoding():
    response = _session(_echo_app).get(f"{EMBEDDED_BASE_URL}/x?q=1")
    assert (response.url, response.request.method, response.encoding) == (
        f"{EMBEDDED_BASE_URL}/x?q=1",
        "GET",
        "latin-1",
    )


def test_adapter_passes_method_decoded_path_and_raw_query():
    seen = _echo()
    assert (seen["method"], seen["path"], seen["query"]) == ("POST", "/a b/c", "x=1&y=%C3%A9")


def test_adapter_passes_headers_and_body_with_its_length():
    seen = _echo(data=b"hello", headers={"X-Thing": "yes"})
    assert (seen["header"], seen["body"], seen["length"]) == ("yes", b"hello", "5")


def test_adapter_passes_a_generator_body_as_chunked():
    seen = _echo(data=(part for part in [b"ab", b"cd"]))
    assert (seen["body"], seen["length"], seen["chunked"]) == (b"abcd", None, "chunked")


def test_adapter_runs_the_real_app_end_to_end(tmp_path):
    from local_api.app import create_app

    session = _session(create_app(data_path=str(tmp_path / "api.sqlite3")))
    response = session.post(TOKEN_URL, json=CREDENTIALS, timeout=(1, 5))
    assert response.json()["expiresIn"] == 86400


def _dropping_app(environ, start_response):
    raise ConnectionAbortedError("gone")


def test_adapter_turns_an_aborted_connection_into_a_connection_error():
    with pytest.raises(requests.ConnectionError, match="gone"):
        _session(_dropping_app).get(f"{EMBEDDED_BASE_URL}/x")


def test_the_servers_dropped_connection_is_the_adapters_protocol():
    assert issubclass(ConnectionDropped, ConnectionAbortedError)


def test_the_default_setting_names_the_local_server(settings):
    assert settings.SYMBL_API_EMBEDDED_APP == "local_api.embedded.wsgi_app"


def test_embedded_app_loads_the_configured_callable(settings, tmp_path):
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "api.sqlite3")
    assert embedded_app() == tuple(wsgi_app())


def test_wsgi_app_is_built_once(settings, tmp_path):
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "api.sqlite3")
    assert wsgi_app().app is wsgi_app().app


def test_wsgi_app_follows_the_data_setting(settings, tmp_path):
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "one.sqlite3")
    first = wsgi_app().app
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "two.sqlite3")
    assert wsgi_app().app is not first and (tmp_path / "two.sqlite3").exists()


def test_wsgi_app_uses_the_local_pair_by_default(settings, tmp_path):
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "api.sqlite3")
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = "", ""
    built = wsgi_app()
    assert (built.app_id, built.app_secret) == (LOCAL_APP_ID, LOCAL_APP_SECRET)
    assert _session(built.app).post(TOKEN_URL, json=CREDENTIALS).status_code == 200


def test_wsgi_app_uses_configured_credentials(settings, tmp_path):
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "api.sqlite3")
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = "my-id", "my-secret"
    built = wsgi_app()
    body = {"type": "application", "appId": "my-id", "appSecret": "my-secret"}
    assert (built.app_id, built.app_secret) == ("my-id", "my-secret")
    assert _session(built.app).post(TOKEN_URL, json=body).status_code == 200


def test_wsgi_app_refuses_the_local_pair_when_credentials_are_configured(settings, tmp_path):
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "api.sqlite3")
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = "my-id", "my-secret"
    assert _session(wsgi_app().app).post(TOKEN_URL, json=CREDENTIALS).status_code == 401


def test_wsgi_app_ignores_half_configured_credentials(settings, tmp_path):
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "api.sqlite3")
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = "my-id", ""
    assert _session(wsgi_app().app).post(TOKEN_URL, json=CREDENTIALS).status_code == 200


def test_wsgi_app_reads_faults_from_the_environment(settings, tmp_path, monkeypatch):
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "api.sqlite3")
    monkeypatch.setenv("SYMBL_FAULT_BUSY_RATE", "1")
    session = embedded_session()
    assert session.get(f"{EMBEDDED_BASE_URL}/v1/manage/trackers").status_code == 429
