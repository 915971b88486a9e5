"""Review selector layer: what a tracker change does to the sentences it catches.

The change is a queue item's span of audit entries (the first and last unapproved ones): the
phrases and phrases to ignore before the first and after the last, sent to our preview
extension (the after side as the draft, the before side as its baseline), which scores both
on every stored message's stored vectors: the sentences the change newly catches and those
it no longer catches, per phrase added or removed. Computed fresh each time the lead opens it
(never kept: stored conversations change without the entries changing); a created tracker
had no phrases before, a deleted one has none after.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbl_admin.management_api.errors import ExtensionNotSupported, ValidationFailed
from symbl_admin.management_api.tracker_preview import PreviewList
from tester.across import shown_to

from .impact import change_states

SHOWN = 3  # sentences per list and per phrase
NOT_OFFERED = (
    "The effect on conversations is not shown: this Management API server does not offer "
    "our tracker preview extension (/v1/x)."
)

Phrases = tuple[tuple[str, ...], tuple[str, ...]]  # (vocabulary, excludeVocabulary)


@dataclass(frozen=True)
class TrackerImpact:
    newly_caught: PreviewList | None = None
    no_longer_caught: PreviewList | None = None
    messages: int = 0  # stored sentences scored
    note: str = ""


def _phrases(state: dict | None) -> Phrases:
    state = state or {}
    return (
        tuple(str(p) for p in state.get("vocabulary") or ()),
        tuple(str(p) for p in state.get("excludeVocabulary") or ()),
    )


def change_phrases(first_seq: int, last_seq: int) -> tuple[Phrases, Phrases] | None:
    """(phrases before, phrases after) of one tracker's span of entries (none on a side
    where the tracker did not exist), or None when the span is not one tracker's changes."""
    states = change_states(first_seq, last_seq, "tracker")
    return None if states is None else (_phrases(states[0]), _phrases(states[1]))


def tracker_change_impact(
    *, client, before: Phrases, after: Phrases, may_read: bool
) -> TrackerImpact:
    """The sentences the change newly catches and no longer catches (text only if may_read).

    Raises: ManagementAPIError other than a missing extension."""
    try:
        found = client.tracker_previews.preview(after[0], after[1], baseline=before, limit=SHOWN)
    except ExtensionNotSupported:
        return TrackerImpact(note=NOT_OFFERED)
    except ValidationFailed as exc:
        return TrackerImpact(note=f"The Management API cannot preview these phrases: {exc.message}")
    found = shown_to(found, may_read=may_read)
    return TrackerImpact(
        newly_caught=found.newly_caught,
        no_longer_caught=found.no_longer_caught,
        messages=found.messages,
    )
