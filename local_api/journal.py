"""Local Management API server: an optional journal of the writes it carried out (WSGI
middleware), the server's own ground truth for reliability tests.

    SYMBL_LOCAL_API_JOURNAL=/path/writes.jsonl   one JSON line per write answered 2xx

Each line is ``{"method", "path", "status", "body"}`` with the answer's JSON body (the object
as stored, or the list of objects of a bulk create). It sits inside FaultInjector, so a write
carried out and then dropped ("drop-after-write") is journaled too: the journal says what
the server did, whatever the client was told. Off unless the variable is set. Lines are
appended with one O_APPEND write each, so several workers may share the file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WriteJournal:
    """Wraps the API app; appends one line per successful /v1 write to `path`."""

    def __init__(self, app: Callable[..., Iterable[bytes]], path: str) -> None:
        self.app = app
        self.path = path

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        method = environ.get("REQUEST_METHOD", "")
        path = environ.get("PATH_INFO", "")
        if method not in WRITE_METHODS or not path.startswith("/v1/"):
            return self.app(environ, start_response)
        seen: dict[str, int] = {}

        def recording_start_response(status: str, headers, *args):
            seen["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, *args)

        chunks = list(self.app(environ, recording_start_response))
        status = seen.get("status", 0)
        if 200 <= status < 300:
            self._append(method, path, status, b"".join(chunks))
        return chunks

    def _append(self, method: str, path: str, status: int, raw: bytes) -> None:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        line = json.dumps(
            {"method": method, "path": path, "status": status, "body": body}, ensure_ascii=False
        )
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
