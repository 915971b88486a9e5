"""Management API client layer: `client.detections`, tracker detections.

`of_conversation` is the contract's GET /v1/conversations/{id}/trackers-detected; the rest
are our /v1/x extensions and raise `ExtensionNotSupported` against a server that answers 404
for them (the hosted API, or any server without them), so the dashboard hides what they
power: `scores_of` (each detection's score), `tracker_hits` (a tracker's hits across the
account) and `top_trackers` (the trackers with most hits in the last days).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .detection_types import DetectedTracker, Detection, TopTrackers, TrackerHits
from .errors import ExtensionNotSupported, ManagementAPIError, NotFound
from .transport import Transport


def _id(value: str) -> str:
    return quote(str(value), safe="")


class Detections:
    """Which trackers caught what: per conversation and per tracker."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def of_conversation(self, conversation_id: str) -> list[DetectedTracker]:
        """The trackers detected in a conversation, in the documented shape's order.

        Raises: NotFound (unknown, or still being processed: see the message), ManagementAPIError."""
        path = f"/v1/conversations/{_id(conversation_id)}/trackers-detected"
        body = self._transport.request("GET", path)
        if not isinstance(body, list):
            raise ManagementAPIError(
                "The Management API answered trackers detected in an unexpected shape."
            )
        return [DetectedTracker.from_api(item) for item in body if isinstance(item, dict)]

    def _extension(self, path: str, params: dict[str, str], known_404: str = "") -> Any:
        """GET an extension; a 404 whose message contains `known_404` is our server saying
        the object is unknown (NotFound), any other 404 means no such extension."""
        try:
            body = self._transport.request("GET", path, params=params)
        except NotFound as error:
            if known_404 and known_404 in (error.message or ""):
                raise
            raise ExtensionNotSupported(
                f"This Management API server does not offer {path} (an extension of ours).",
                status=error.status,
                request_id=error.request_id,
            ) from None
        if not isinstance(body, dict):
            raise ManagementAPIError(f"The Management API answered {path} in an unexpected shape.")
        return body

    def scores_of(self, conversation_id: str) -> list[Detection]:
        """Every stored detection of a conversation with its score, in message order.

        Raises: ExtensionNotSupported, NotFound (unknown conversation), ManagementAPIError."""
        path = f"/v1/x/conversations/{_id(conversation_id)}/detections"
        body = self._extension(path, {}, known_404="conversationId")
        items = body.get("detections")
        if not isinstance(items, list):
            raise ManagementAPIError(
                "The Management API answered detections in an unexpected shape."
            )
        return [Detection.from_api(item) for item in items if isinstance(item, dict)]

    def tracker_hits(self, tracker_id: str, *, limit: int = 10) -> TrackerHits:
        """How many messages and conversations an account tracker caught, per phrase, and its
        `limit` most recent hits (1-100).

        Raises: ExtensionNotSupported, NotFound (unknown tracker), ValidationFailed (a bad
        limit), ManagementAPIError."""
        path = f"/v1/x/trackers/{_id(tracker_id)}/hits"
        body = self._extension(path, {"limit": str(limit)}, known_404="No tracker")
        return TrackerHits.from_api(body)

    def top_trackers(self, *, days: int = 7, limit: int = 5) -> TopTrackers:
        """The account trackers with most hits in conversations that started in the last
        `days` days (1-366), at most `limit` (1-50), most hits first.

        Raises: ExtensionNotSupported, ValidationFailed (bad bounds), ManagementAPIError."""
        params = {"days": str(days), "limit": str(limit)}
        return TopTrackers.from_api(self._extension("/v1/x/trackers/top", params))
