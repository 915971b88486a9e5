"""Management API client layer: `client.tracker_quality`, our /v1/x/trackers/quality
extension (the trackers' quality from their stored detections over the last N conversations).

Raises `ExtensionNotSupported` against a server that answers 404 there (the hosted API, or
any server without it): the quality report hides what it powers, with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ExtensionNotSupported, ManagementAPIError, NotFound
from .transport import Transport

PATH = "/v1/x/trackers/quality"


@dataclass(frozen=True)
class TrackerRef:
    id: str
    name: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> TrackerRef:
        return cls(id=str(data["id"]), name=str(data["name"]))


@dataclass(frozen=True)
class OverlapPair:
    """Two trackers catching mostly the same messages: shared / min(caught) = overlap."""

    first: TrackerRef
    second: TrackerRef
    first_caught: int
    second_caught: int
    shared: int
    overlap: float

    @property
    def percent(self) -> int:
        return round(self.overlap * 100)


@dataclass(frozen=True)
class SilentPhrases:
    tracker: TrackerRef
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class TrackerQuality:
    last: int  # the window asked for
    conversations: int  # how many conversations it held
    overlap_at_least: float
    rescoring: bool  # a rescore is pending: the figures may be about to change
    quiet: tuple[TrackerRef, ...]
    overlaps: tuple[OverlapPair, ...]
    pairs_left_off: int
    silent: tuple[SilentPhrases, ...]

    @property
    def overlap_percent(self) -> int:
        return round(self.overlap_at_least * 100)

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> TrackerQuality:
        pairs = []
        for item in data["overlaps"]:
            first, second = (TrackerRef.from_api(t) for t in item["trackers"])
            a, b = (int(n) for n in item["caught"])
            pairs.append(
                OverlapPair(first, second, a, b, int(item["shared"]), float(item["overlap"]))
            )
        return cls(
            last=int(data["last"]),
            conversations=int(data["conversations"]),
            overlap_at_least=float(data["overlapAtLeast"]),
            rescoring=bool(data["rescoring"]),
            quiet=tuple(TrackerRef.from_api(t) for t in data["quiet"]),
            overlaps=tuple(pairs),
            pairs_left_off=int(data.get("pairsLeftOff") or 0),
            silent=tuple(
                SilentPhrases(TrackerRef.from_api(t), tuple(str(p) for p in t["phrases"]))
                for t in data["silentPhrases"]
            ),
        )


class TrackerQualityApi:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def get(self, *, last: int) -> TrackerQuality:
        """The trackers' quality over the last `last` conversations taking them.

        Raises: ExtensionNotSupported, ValidationFailed (a window out of bounds),
        ManagementAPIError (also for an answer of an unexpected shape)."""
        try:
            body = self._transport.request("GET", PATH, params={"last": str(last)})
        except NotFound as error:
            raise ExtensionNotSupported(
                f"This Management API server does not offer {PATH} (an extension of ours).",
                status=error.status,
                request_id=error.request_id,
            ) from None
        try:
            return TrackerQuality.from_api(body)
        except (KeyError, TypeError, ValueError):
            raise ManagementAPIError(
                "The Management API answered the trackers' quality in an unexpected shape."
            ) from None
