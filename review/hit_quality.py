"""Review quality layer: the trackers' quality from their real hits (the stored detections
the server keeps current), over the last N conversations that take the account's trackers:
quiet trackers, pairs catching mostly the same sentences, phrases that never contribute.

One call to our /v1/x/trackers/quality extension (computed by the server in SQL; the model
is never loaded for it). Hidden, and said, against a server without it. Not kept: detections
change without any tracker changing (a conversation processed, a rescore finishing).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from symbl_admin.management_api.errors import ExtensionNotSupported
from symbl_admin.management_api.tracker_quality import TrackerQuality

DEFAULT_LAST, MAX_LAST = 100, 10_000  # the server's bounds (local_api/tracker_quality.py)
NOT_OFFERED = (
    "Trackers' real hits are not checked: this Management API server does not offer "
    "stored tracker detections (our /v1/x extension)."
)


class WindowForm(forms.Form):
    last = forms.IntegerField(
        label="Last conversations",
        min_value=1,
        max_value=MAX_LAST,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": f"Enter a whole number from 1 to {MAX_LAST:,}."},
    )

    def window(self) -> int:
        return self.cleaned_data.get("last") or DEFAULT_LAST


@dataclass(frozen=True)
class HitQuality:
    quality: TrackerQuality | None = None
    note: str = ""  # why the check is hidden ("" when it ran)


def hit_quality(*, client, last: int) -> HitQuality:
    """The trackers' quality over the last `last` conversations.

    Raises: ManagementAPIError other than a missing extension."""
    try:
        return HitQuality(client.tracker_quality.get(last=last))
    except ExtensionNotSupported:
        return HitQuality(note=NOT_OFFERED)
