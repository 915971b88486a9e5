"""Tester selector layer: a draft tracker's hits across the stored conversations (the
editor's "Across your conversations"), through the client's preview extension.

Messages are personal data: for a viewer without the permission to read them, the sentences
are dropped here, before any template sees them (counts only).
"""

from __future__ import annotations

from dataclasses import replace

from symbl_admin.management_api.tracker_preview import PreviewList, TrackerPreview

READ_MESSAGES = "accounts.read_messages"
SHOWN = 5  # sentences per list


def without_sentences(found: PreviewList | None) -> PreviewList | None:
    """The list with its counts and no sentence text."""
    if found is None:
        return None
    return replace(
        found,
        sentences=(),
        phrases=tuple(replace(group, sentences=()) for group in found.phrases),
    )


def shown_to(preview: TrackerPreview, *, may_read: bool) -> TrackerPreview:
    """The preview as this viewer may see it."""
    if may_read:
        return preview
    return replace(
        preview,
        caught=without_sentences(preview.caught),
        newly_caught=without_sentences(preview.newly_caught),
        no_longer_caught=without_sentences(preview.no_longer_caught),
    )


def draft_preview(
    *,
    client,
    vocabulary: list[str],
    exclude_vocabulary: list[str],
    tracker_id: str | None,
    may_read: bool,
) -> TrackerPreview:
    """What the draft catches across stored conversations; with `tracker_id`, compared with
    that saved tracker's stored detections.

    Raises: ExtensionNotSupported, ValidationFailed, ManagementAPIError."""
    found = client.tracker_previews.preview(
        vocabulary, exclude_vocabulary, tracker_id=tracker_id, limit=SHOWN
    )
    return shown_to(found, may_read=may_read)
