"""Management API client layer: what a draft tracker would catch across stored conversations
(our extension POST /v1/x/trackers/preview, local_api/tracker_preview.py), as frozen
dataclasses. Against a server without it (a 404 or 405 for the path: the hosted API) the
call raises ExtensionNotSupported and the dashboard hides what it powers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import ExtensionNotSupported, ManagementAPIError, NotFound
from .transport import Transport

PATH = "/v1/x/trackers/preview"
PREVIEW_BUDGET = 30.0  # seconds: the scan reads every stored message's vectors


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class PreviewHit:
    conversation_id: str
    conversation_name: str
    message_id: str
    text: str
    phrase: str
    exact: bool
    score: float

    @classmethod
    def from_api(cls, data: Any) -> PreviewHit:
        data = data if isinstance(data, dict) else {}
        score = data.get("score")
        return cls(
            conversation_id=_str(data.get("conversationId")),
            conversation_name=_str(data.get("conversationName")),
            message_id=_str(data.get("messageId")),
            text=_str(data.get("text")),
            phrase=_str(data.get("phrase")),
            exact=data.get("exact") is True,
            score=float(score) if isinstance(score, int | float) else 0.0,
        )


def _hits(value: Any) -> tuple[PreviewHit, ...]:
    return tuple(PreviewHit.from_api(item) for item in value) if isinstance(value, list) else ()


@dataclass(frozen=True)
class PhraseHits:
    phrase: str
    status: str  # "added", "removed" or "kept"
    messages: int
    sentences: tuple[PreviewHit, ...]


@dataclass(frozen=True)
class PreviewList:
    messages: int
    conversations: int
    sentences: tuple[PreviewHit, ...]
    phrases: tuple[PhraseHits, ...]

    @classmethod
    def from_api(cls, data: Any) -> PreviewList | None:
        if not isinstance(data, dict):
            return None
        phrases = data.get("phrases") if isinstance(data.get("phrases"), list) else []
        return cls(
            messages=_int(data.get("messages")),
            conversations=_int(data.get("conversations")),
            sentences=_hits(data.get("sentences")),
            phrases=tuple(
                PhraseHits(
                    phrase=_str(item.get("phrase")),
                    status=_str(item.get("status")) or "kept",
                    messages=_int(item.get("messages")),
                    sentences=_hits(item.get("sentences")),
                )
                for item in phrases
                if isinstance(item, dict)
            ),
        )


@dataclass(frozen=True)
class TrackerPreview:
    messages: int  # stored messages scanned (those that take the account's trackers)
    caught: PreviewList
    newly_caught: PreviewList | None  # None: nothing to compare with
    no_longer_caught: PreviewList | None
    compared_with: str  # "stored", "baseline" or ""
    rescoring: bool  # the saved tracker's stored detections may be about to change

    @classmethod
    def from_api(cls, data: Any) -> TrackerPreview:
        data = data if isinstance(data, dict) else {}
        caught = PreviewList.from_api(data.get("caught"))
        if caught is None:
            raise ManagementAPIError(
                "The Management API answered a preview in an unexpected shape."
            )
        return cls(
            messages=_int(data.get("messages")),
            caught=caught,
            newly_caught=PreviewList.from_api(data.get("newlyCaught")),
            no_longer_caught=PreviewList.from_api(data.get("noLongerCaught")),
            compared_with=_str(data.get("comparedWith")),
            rescoring=data.get("rescoring") is True,
        )


class TrackerPreviews:
    """client.tracker_previews: the draft preview extension."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def preview(
        self,
        vocabulary: Iterable[str],
        exclude_vocabulary: Iterable[str] = (),
        *,
        tracker_id: str | None = None,
        baseline: tuple[Iterable[str], Iterable[str]] | None = None,
        limit: int = 5,
    ) -> TrackerPreview:
        """What the draft would catch across stored conversations; compared with the saved
        tracker `tracker_id`'s stored detections, or with `baseline` (phrases, phrases to
        ignore) scored the same way.

        Raises: ExtensionNotSupported, ValidationFailed (the message names the field),
            ManagementAPIError."""
        body: dict[str, Any] = {
            "vocabulary": list(vocabulary),
            "excludeVocabulary": list(exclude_vocabulary),
            "limit": limit,
        }
        if tracker_id is not None:
            body["trackerId"] = str(tracker_id)
        if baseline is not None:
            body["baseline"] = {
                "vocabulary": list(baseline[0]),
                "excludeVocabulary": list(baseline[1]),
            }
        try:
            answer = self._transport.request("POST", PATH, json_body=body, budget=PREVIEW_BUDGET)
        except NotFound as error:
            raise ExtensionNotSupported(
                f"This Management API server does not offer {PATH} (an extension of ours).",
                status=error.status,
                request_id=error.request_id,
            ) from None
        except ManagementAPIError as error:
            if error.status == 405:
                raise ExtensionNotSupported(
                    f"This Management API server does not offer {PATH} (an extension of ours).",
                    status=error.status,
                    request_id=error.request_id,
                ) from None
            raise
        return TrackerPreview.from_api(answer)
