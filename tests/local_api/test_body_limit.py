"""The standalone server refuses a body over the contract's 1 MB before reading it, in the
contract's error shape, whatever length is announced (real HTTP, raw socket: the body is
never sent, so an answer proves nothing of it was waited for)."""

from __future__ import annotations

import http.client
import json
import socket

import pytest

from tests.support.standalone import standalone_server

from .conftest import make_http_api

GB = 1024 * 1_048_576


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("api-body-limit") / "api.sqlite3"
    with standalone_server(data) as url:
        api = make_http_api(url, data)
        yield url, api.token
        api.close()


def _announce(url: str, headers: dict[str, str]) -> tuple[int, dict]:
    """POST a tracker announcing `headers` and send no body; (status, JSON) of the answer."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    lines = ["POST /v1/manage/tracker HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, json.loads(response.read())
    finally:
        sock.close()


def test_a_2_gb_body_is_refused_at_once(server):
    url, token = server
    status, body = _announce(
        url,
        {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Content-Length": str(2 * GB),
        },
    )
    assert (status, body) == (
        413,
        {
            "message": "The request body is 2,147,483,648 bytes; the limit is 1,048,576 bytes (1 MB)."
        },
    )


def test_a_2_gb_body_without_a_token_is_refused_at_once(server):
    url, _ = server
    status, body = _announce(url, {"Content-Length": str(2 * GB)})
    assert (status, body) == (401, {"message": "Token validation failed for provided token."})
