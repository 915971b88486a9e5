"""Symbl's Go SDK against the standalone server, byte for byte.

`go_request` writes a request exactly as the SDK does (symblai/symbl-go-sdk: pkg/client/
simple/client.go sets User-Agent, pkg/client/rest/rest.go `Do` sets Content-Type for POST,
PUT and PATCH, Accept and Authorization; Go's net/http writes Host, User-Agent, Content-Length,
the other headers sorted, then its own Accept-Encoding: gzip). The bodies are what
`json.Marshal` makes of the SDK's structs (pkg/api/management/v1/interfaces/types.go): compact,
in field order, `description` left out when empty. The scenario is examples/trackers/cmd.go:
list, create, list, patch the description, list, delete every tracker, list — on a server of
its own, since it deletes everything. The answers are checked against what the SDK's structs
read: `TrackersResponse{Trackers []Tracker}`, `TrackerResponse{Tracker Tracker}`, each
`Tracker` field a string or a list of strings; the SDK takes only 200, 201 and 204 as success.
"""

from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from tests.support.standalone import standalone_server

GO_USER_AGENT = "symbl.ai (go1.19.4;linux;amd64)"  # "symbl.ai (" + runtime.Version();GOOS;GOARCH)
GO_SUCCESS = {200, 201, 204}  # rest.Do: anything else is an error
# Tracker (interfaces/types.go): JSON key -> the Go type it decodes into.
GO_TRACKER = {
    "id": str,
    "name": str,
    "description": str,
    "categories": list,
    "languages": list,
    "vocabulary": list,
    "createdOn": str,
    "updatedOn": str,
}
CREATE_BODY = (
    b'{"name":"Test1","categories":["cat1"],"languages":["en-US"],"vocabulary":["hello","hi"]}'
)
PATCH_BODY = b'[{"op":"replace","path":"/description","value":"Updated Description"}]'


def go_request(method: str, host: str, path: str, body: bytes | None, token: str = "") -> bytes:
    """The bytes Go's net/http puts on the wire for one of the SDK's requests."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"User-Agent: {GO_USER_AGENT}"]
    if method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body or b'')}")  # sent even when 0 for these
    lines.append("Accept: application/json")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    if method in ("POST", "PUT", "PATCH"):
        lines.append("Content-Type: application/json")
    lines.append("Accept-Encoding: gzip")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


@dataclass
class Exchange:
    request: bytes
    status: int
    headers: dict[str, str]
    body: Any


def send(base_url: str, raw: bytes) -> Exchange:
    """One request on its own connection, the answer read as Go's client would."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(raw)
        response = http.client.HTTPResponse(sock)
        response.begin()
        payload = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
    assert "content-encoding" not in headers  # nothing for Go to un-gzip
    return Exchange(raw, response.status, headers, json.loads(payload) if payload else None)


def go_reads_tracker(tracker: Any) -> None:
    """A Tracker as the SDK decodes it: every field present with its Go type."""
    assert isinstance(tracker, dict)
    for key, kind in GO_TRACKER.items():
        assert isinstance(tracker.get(key), kind), (key, tracker.get(key))
        if kind is list:
            assert all(isinstance(item, str) for item in tracker[key]), key


@pytest.fixture(scope="module")
def sdk_run(tmp_path_factory) -> dict[str, Exchange]:
    """examples/trackers/cmd.go, step by step, on a server of its own."""
    path = tmp_path_factory.mktemp("sdk") / "api.sqlite3"
    with standalone_server(path) as url:
        host = urlsplit(url).netloc
        auth_body = json.dumps(
            {
                "AuthURI": f"{url}/oauth2/token:generate",  # Credentials.AuthURI has no json tag
                "type": "application",
                "appId": LOCAL_APP_ID,
                "appSecret": LOCAL_APP_SECRET,
            },
            separators=(",", ":"),
        ).encode()
        steps: dict[str, Exchange] = {}
        steps["auth"] = send(url, go_request("POST", host, "/oauth2/token:generate", auth_body))
        token = steps["auth"].body["accessToken"]

        def call(step: str, method: str, path: str, body: bytes | None = None) -> Exchange:
            steps[step] = send(url, go_request(method, host, path, body, token))
            return steps[step]

        call("list", "GET", "/v1/manage/trackers")
        tracker_id = call("create", "POST", "/v1/manage/trackers", CREATE_BODY).body["tracker"][
            "id"
        ]
        call("list after create", "GET", "/v1/manage/trackers")
        call("patch", "PATCH", f"/v1/manage/trackers/{tracker_id}", PATCH_BODY)
        listed = call("list after patch", "GET", "/v1/manage/trackers").body["trackers"]
        for index, tracker in enumerate(listed):
            call(f"delete {index}", "DELETE", f"/v1/manage/trackers/{tracker['id']}")
        call("list after delete", "GET", "/v1/manage/trackers")
    return steps


def test_the_request_bytes_are_the_sdks():
    assert go_request("POST", "127.0.0.1:8001", "/v1/manage/trackers", CREATE_BODY, "T") == (
        b"POST /v1/manage/trackers HTTP/1.1\r\n"
        b"Host: 127.0.0.1:8001\r\n"
        b"User-Agent: symbl.ai (go1.19.4;linux;amd64)\r\n"
        b"Content-Length: 88\r\n"
        b"Accept: application/json\r\n"
        b"Authorization: Bearer T\r\n"
        b"Content-Type: application/json\r\n"
        b"Accept-Encoding: gzip\r\n"
        b"\r\n" + CREATE_BODY
    )


def test_sign_in_with_the_sdks_credentials_body(sdk_run):
    auth = sdk_run["auth"]
    assert auth.status == 200
    assert isinstance(auth.body["accessToken"], str) and isinstance(auth.body["expiresIn"], int)


def test_get_trackers_of_an_empty_account_answers_the_list_shape(sdk_run):
    assert (sdk_run["list"].status, sdk_run["list"].body) == (200, {"trackers": []})


def test_create_tracker_answers_201_with_the_tracker_envelope(sdk_run):
    create = sdk_run["create"]
    assert create.status == 201 and create.status in GO_SUCCESS
    assert set(create.body) == {"tracker"}
    go_reads_tracker(create.body["tracker"])


def test_create_tracker_stores_what_the_sdk_sent(sdk_run):
    tracker = sdk_run["create"].body["tracker"]
    sent = json.loads(CREATE_BODY)
    assert {key: tracker[key] for key in sent} == sent and tracker["description"] == ""


def test_get_trackers_after_create_lists_it(sdk_run):
    listed = sdk_run["list after create"]
    assert listed.status == 200 and set(listed.body) == {"trackers"}
    assert [t["id"] for t in listed.body["trackers"]] == [sdk_run["create"].body["tracker"]["id"]]
    for tracker in listed.body["trackers"]:
        go_reads_tracker(tracker)


def test_update_tracker_patch_answers_200_with_the_tracker_envelope(sdk_run):
    patch = sdk_run["patch"]
    assert patch.status == 200 and set(patch.body) == {"tracker"}
    go_reads_tracker(patch.body["tracker"])


def test_update_tracker_patch_changes_only_the_description(sdk_run):
    before, after = sdk_run["create"].body["tracker"], sdk_run["patch"].body["tracker"]
    assert after["description"] == "Updated Description"
    unchanged = ("id", "name", "categories", "languages", "vocabulary", "createdOn")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}


def test_get_trackers_after_patch_shows_the_description(sdk_run):
    trackers = sdk_run["list after patch"].body["trackers"]
    assert [t["description"] for t in trackers] == ["Updated Description"]


def test_delete_tracker_answers_200(sdk_run):
    deletes = [exchange for step, exchange in sdk_run.items() if step.startswith("delete")]
    assert [exchange.status for exchange in deletes] == [200]
    assert deletes[0].request.startswith(b"DELETE /v1/manage/trackers/")
    assert b"Content-Length" not in deletes[0].request  # Go sends none for a body-less DELETE


def test_get_trackers_after_delete_is_empty(sdk_run):
    assert sdk_run["list after delete"].body == {"trackers": []}


def test_every_answer_is_json_the_sdk_decodes(sdk_run):
    for exchange in sdk_run.values():
        assert exchange.headers["content-type"].startswith("application/json")
        assert exchange.status in GO_SUCCESS
