"""Management API client layer: a kept list brought up to date with only what changed.

Our server offers `GET /v1/x/manage/{plural}/changes?since=ETag` (local_api/changes.py): the
objects written and the ids deleted since the list the client holds, with the list's ETag now.
Applied to the kept list (a written object replaces the one with its id or is appended, in
creation order; a deleted one goes), it gives the list that ETag names, so after another
client's change the dashboard reads one object, not a 1 MB list. A server without the
extension answers 404 and is asked for whole lists for the next ten minutes (then once
again: it may have been upgraded, or the 404 a proxy's); 410 (a restored or another
database) means: read the whole list this time.
"""

from __future__ import annotations

import time
from typing import Any

from .errors import ManagementAPIError
from .transport import NOT_MODIFIED, Transport

GONE = 410
ASK_AGAIN_SECONDS = 600.0  # after a 404: a server upgraded meanwhile (or a proxy's passing 404)


class Changes:
    """Asks one resource's changes; remembers whether the server offers them."""

    def __init__(self, transport: Transport, plural: str, clock=time.monotonic) -> None:
        self._transport = transport
        self._plural = plural
        self._clock = clock
        self.offered: bool | None = None  # unknown until the first answer
        self._refused_at = 0.0

    def apply(self, kept: tuple[str, list[Any]], read, *, budget: float | None = None):
        """(ETag, list) now, from the kept (ETag, list) and the server's changes since; None
        when the whole list must be read instead (no extension, or an ETag it cannot answer).
        `read` parses a list answer into objects.

        Raises: ManagementAPIError, as any GET of the list would.
        """
        if self.offered is False and self._clock() - self._refused_at < ASK_AGAIN_SECONDS:
            return None
        etag, items = kept
        answer: dict[str, str] = {}
        try:
            body = self._transport.request(
                "GET",
                f"/v1/x/manage/{self._plural}/changes",
                params={"since": etag},
                headers={"If-None-Match": etag},
                answer_headers=answer,
                budget=budget,
            )
        except ManagementAPIError as exc:
            if exc.status == 404:
                self.offered, self._refused_at = False, self._clock()
                return None
            if exc.status == GONE:
                return None
            raise
        self.offered = True
        if body is NOT_MODIFIED:
            return etag, items
        now = answer.get("ETag", "")
        deleted = body.get("deleted") if isinstance(body, dict) else None
        if not now or not isinstance(deleted, list):
            return None  # not the shape we know: the whole list is the safe answer
        written = {item.id: item for item in read(body)}
        gone = set(deleted)
        merged = [written.pop(item.id, item) for item in items if item.id not in gone]
        merged += [item for item in written.values() if item.id not in gone]
        return now, merged
