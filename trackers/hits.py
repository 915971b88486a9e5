"""Trackers selector layer: what a tracker caught across the account's stored conversations
(our /v1/x/trackers/{id}/hits extension, through `client.detections`). Stored detections
only: nothing here, nor on the server's side of it, loads the model."""

from __future__ import annotations

from dataclasses import dataclass

from symbl_admin.management_api.detection_types import PhraseCount, TrackerHits
from symbl_admin.management_api.errors import ExtensionNotSupported

RECENT_SHOWN = 10


@dataclass(frozen=True)
class HitsPanel:
    """The tracker page's "What it caught" panel. `hits` None: the server does not offer the
    extension (the panel says so)."""

    hits: TrackerHits | None

    @property
    def silent_phrases(self) -> list[PhraseCount]:
        """Its own phrases that caught nothing in the account yet."""
        phrases = self.hits.phrases if self.hits else None
        return [p for p in phrases or () if p.in_tracker and p.hits == 0]


def tracker_hits_panel(*, client, tracker_id: str) -> HitsPanel:
    """The tracker's hits, per phrase, and its most recent sentences.

    Raises: NotFound (unknown tracker), ManagementAPIError."""
    try:
        return HitsPanel(client.detections.tracker_hits(tracker_id, limit=RECENT_SHOWN))
    except ExtensionNotSupported:
        return HitsPanel(None)
