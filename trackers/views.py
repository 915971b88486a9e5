"""Trackers' own view: the phrase editor (create, edit and its live check). Every other
screen is a generic view over trackers/resource.py (see urls.py)."""

from __future__ import annotations

import json

from symbl_admin.core import objects
from symbl_admin.core.generic.edit import ObjectEditView
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .forms import TrackerForm
from .rules import check_tracker, split_phrases


class TrackerEditor(ObjectEditView):
    template = "trackers/tracker_form.html"
    partial = "tracker-form"
    check_partial = "tracker-feedback"

    def new_form(self, data=None, obj=None):
        if data is not None:
            return TrackerForm(data)
        return TrackerForm.for_tracker(obj) if obj else TrackerForm()

    def form_context(self, form, **extra) -> dict:
        return {**feedback(form), **extra}

    def check_extra(self, form) -> dict:
        """A name another tracker already has is an error here too, not only on save."""
        name = (form.data.get("name") or "").strip()
        check = form.check
        if not name or check is None or check.name_errors or name == _base_name(form):
            return {}
        try:
            taken = objects.name_taken(client=get_client(), resource=self.r, name=name)
        except ManagementAPIError:
            return {}
        if taken:
            check.name_errors.append(
                f"A tracker named “{name}” already exists. Choose another name or edit that "
                "tracker."
            )
        return {}


def _base_name(form) -> str | None:
    """The name the tracker had when the user opened it (an edit keeps its own name)."""
    try:
        base = json.loads(form.data.get("base") or "null")
    except ValueError:
        return None
    return base.get("name") if isinstance(base, dict) else None


def feedback(form: TrackerForm) -> dict:
    """The live panel: count, per-phrase errors and hints, and the exact JSON to be sent."""
    if form.is_bound:
        name = (form.data.get("name") or "").strip()
        phrases = split_phrases(form.data.get("phrases", ""))
        check = form.check or check_tracker(name, phrases)
    else:
        name = form.initial.get("name", "")
        phrases = split_phrases(form.initial.get("phrases", ""))
        check = check_tracker(name, phrases) if phrases else None
    return {
        "phrase_count": len(phrases),
        "check": check,
        "phrase_errors_json": json.dumps(check.phrase_errors if check else {}),
        "phrase_hints_json": json.dumps(check.phrase_hints if check else {}),
        "hint_rows": sorted(check.phrase_hints.items()) if check else [],
        "phrase_error_lines": check.phrase_error_messages(phrases) if check else [],
        "preview": json.dumps({"name": name, "vocabulary": phrases}, indent=2, ensure_ascii=False),
        "phrases_list": phrases,
    }
