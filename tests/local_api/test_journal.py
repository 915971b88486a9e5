"""The local API's write journal: one line per write answered 2xx, nothing else."""

from __future__ import annotations

import json

from local_api.journal import WriteJournal
from tests.support.journal import read_journal


def app_answering(status: str, body: dict):
    def app(environ, start_response):
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    return app


def call(app, method: str, path: str) -> bytes:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path}
    return b"".join(app(environ, lambda *args: None))


def test_a_successful_write_is_journaled_with_its_answer(tmp_path):
    journal = tmp_path / "writes.jsonl"
    app = WriteJournal(app_answering("201 Created", {"tracker": {"id": "1"}}), str(journal))
    assert call(app, "POST", "/v1/manage/tracker") == b'{"tracker": {"id": "1"}}'
    assert read_journal(journal) == [
        {
            "method": "POST",
            "path": "/v1/manage/tracker",
            "status": 201,
            "body": {"tracker": {"id": "1"}},
        }
    ]


def test_refused_writes_and_reads_are_not_journaled(tmp_path):
    journal = tmp_path / "writes.jsonl"
    refused = WriteJournal(app_answering("400 Bad Request", {"message": "no"}), str(journal))
    call(refused, "PUT", "/v1/manage/tracker/1")
    ok = WriteJournal(app_answering("200 OK", {}), str(journal))
    call(ok, "GET", "/v1/manage/trackers")
    call(ok, "POST", "/oauth2/token:generate")
    assert read_journal(journal) == []
