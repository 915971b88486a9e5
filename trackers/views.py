"""Trackers' own view: the phrase editor (create, edit and its live check). Every other
screen is a generic view over trackers/resource.py (see urls.py)."""

from __future__ import annotations

import json

from resources import jsontext, objects
from resources.generic.edit import ObjectEditView
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from .forms import TrackerForm
from .rules import COMMON_LANGUAGES, check_tracker, language_name


class TrackerEditor(ObjectEditView):
    template = "trackers/tracker_form.html"
    partial = "tracker-form"
    check_partial = "tracker-feedback"

    def new_form(self, data=None, obj=None):
        if data is not None:
            return TrackerForm(data)
        return TrackerForm.for_tracker(obj) if obj else TrackerForm()

    def form_context(self, form, **extra) -> dict:
        if extra.pop("checking", False):  # the live check shows no datalists: no list call
            return {**feedback(form), **extra}
        return {**feedback(form), **suggestions(), **extra}

    def check_extra(self, form) -> dict:
        """A name another tracker already has is an error here too, not only on save."""
        message = self.taken_name_error(form)
        if message:
            form.check.name_errors.append(message)
        return {"checking": True}

    def add_lookup_errors(self, form) -> None:
        message = self.taken_name_error(form)
        if message:
            form.check.name_errors.append(message)
            form.add_error("name", message)

    def taken_name_error(self, form) -> str | None:
        """The error for a name another tracker has, or None (also when the API is down)."""
        name = (form.data.get("name") or "").strip()
        check = form.check
        if not name or check is None or check.name_errors or name == _base_name(form):
            return None
        try:
            taken = objects.name_taken(client=get_client(), resource=self.r, name=name)
        except ManagementAPIError:
            return None
        if not taken:
            return None
        return f"A tracker named “{name}” already exists. Choose another name or edit that tracker."


def suggestions() -> dict:
    """The editor's datalists: categories other trackers use, and common language tags."""
    try:
        trackers = get_client().trackers.list()
    except ManagementAPIError:
        trackers = []
    categories = sorted({c for t in trackers for c in t.categories}, key=str.casefold)
    return {
        "category_choices": categories,
        "language_choices": [(tag, language_name(tag)) for tag in COMMON_LANGUAGES],
    }


def _base_name(form) -> str | None:
    """The name the tracker had when the user opened it (an edit keeps its own name)."""
    base = jsontext.parse_or_none(form.data.get("base"))
    return base.get("name") if isinstance(base, dict) else None


def feedback(form: TrackerForm) -> dict:
    """The live panel: count, per-field errors and hints, and the exact JSON to be sent."""
    values = form.values()
    phrases, excluded = values["vocabulary"], values["excludeVocabulary"]
    # An empty create form has nothing to check yet; anything typed is checked.
    check = (form.check or _check(values)) if (form.is_bound or phrases) else None
    return {
        "phrase_count": len(phrases),
        "excluded_count": len(excluded),
        "check": check,
        "phrase_errors_json": json.dumps(check.phrase_errors if check else {}),
        "phrase_hints_json": json.dumps(check.phrase_hints if check else {}),
        "excluded_errors_json": json.dumps(check.excluded_phrase_errors if check else {}),
        "invalid_languages_json": json.dumps(check.invalid_languages if check else []),
        "hint_rows": sorted(check.phrase_hints.items()) if check else [],
        "phrase_error_lines": check.phrase_error_messages(phrases) if check else [],
        "excluded_error_lines": check.excluded_error_messages(excluded) if check else [],
        "language_names": [(tag, language_name(tag)) for tag in values["languages"]],
        "preview": json.dumps(values, indent=2, ensure_ascii=False),
        "phrases_list": phrases,
    }


def _check(values: dict):
    return check_tracker(
        values["name"],
        values["vocabulary"],
        description=values["description"],
        categories=values["categories"],
        languages=values["languages"],
        excluded=values["excludeVocabulary"],
    )
