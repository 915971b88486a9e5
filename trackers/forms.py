"""Trackers forms: mirror the contract's rules so most mistakes never reach the API."""

from __future__ import annotations

import json

from django import forms

from symbl_admin.contract import MAX_PHRASES, MAX_TRACKER_DESCRIPTION

from .languages import language_tag
from .rules import NAME_MAX_LENGTH, TrackerCheck, check_tracker, split_labels, split_phrases


def chips_field(label: str, help_text: str, *, noun: str, plural: str) -> forms.CharField:
    """A comma-separated list that static/js/fields.js shows as chips, with the suggestions
    of the <datalist id="<noun>-suggestions"> the editor renders."""
    attrs = {
        "autocomplete": "off",
        "data-chips": "",
        "data-chips-noun": noun,
        "data-chips-plural": plural,
        "list": f"{noun}-suggestions",
    }
    return forms.CharField(
        label=label, required=False, widget=forms.TextInput(attrs=attrs), help_text=help_text
    )


class TrackerForm(forms.Form):
    name = forms.CharField(
        label="Tracker name",
        max_length=NAME_MAX_LENGTH + 1000,  # the rule's own message is friendlier; see clean()
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Unique in the account. Capital letters matter: “Sales” and “sales” differ.",
    )
    phrases = forms.CharField(
        label="Phrases",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 10, "data-phrase-editor": "", "data-max-phrases": MAX_PHRASES}
        ),
        help_text=f"One phrase per line, 1 to {MAX_PHRASES}. Only . ' and - punctuation.",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=MAX_TRACKER_DESCRIPTION + 1000,  # the rule's message is friendlier
        widget=forms.Textarea(attrs={"rows": 2, "data-counter": MAX_TRACKER_DESCRIPTION}),
        help_text="What this tracker is for, in a sentence.",
    )
    categories = chips_field(
        "Categories (optional)",
        "Labels to find it by, separated by commas, e.g. sales, billing.",
        noun="category",
        plural="categories",
    )
    languages = chips_field(
        "Languages (optional)",
        "Language tags separated by commas, e.g. en-US, fr-FR.",
        noun="language",
        plural="languages",
    )
    excluded = forms.CharField(
        label="Phrases to ignore (optional)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-max-phrases": MAX_PHRASES}),
        help_text="Moments that sound alike but should not count, one per line.",
    )
    reason = forms.CharField(
        label="Note for the history (optional)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="Why this change? Shown in the audit log.",
    )
    # The version the user started from: detects changes made meanwhile and drives the merge.
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)
    base = forms.CharField(required=False, widget=forms.HiddenInput)

    check: TrackerCheck | None = None

    def values(self) -> dict:
        """What was typed, as the API's fields (also for an invalid form: the preview)."""
        data = self.data if self.is_bound else self.initial
        return {
            "name": (data.get("name") or "").strip(),
            "vocabulary": split_phrases(data.get("phrases") or ""),
            "description": (data.get("description") or "").strip(),
            "categories": split_labels(data.get("categories") or ""),
            "languages": [language_tag(t) for t in split_labels(data.get("languages") or "")],
            "excludeVocabulary": split_phrases(data.get("excluded") or ""),
        }

    def clean(self):
        cleaned = super().clean()
        values = self.values()
        self.check = check_tracker(
            values["name"],
            values["vocabulary"],
            description=values["description"],
            categories=values["categories"],
            languages=values["languages"],
            excluded=values["excludeVocabulary"],
        )
        check = self.check
        phrases, excluded = values["vocabulary"], values["excludeVocabulary"]
        for field, messages in (
            ("name", check.name_errors),
            ("phrases", check.phrases_errors + check.phrase_error_messages(phrases)),
            ("description", check.description_errors),
            ("categories", check.categories_errors),
            ("languages", check.languages_errors),
            ("excluded", check.excluded_errors + check.excluded_error_messages(excluded)),
        ):
            for message in messages:
                self.add_error(field, message)
        cleaned.update(values)
        return cleaned

    @classmethod
    def for_tracker(cls, tracker, **kwargs) -> TrackerForm:
        """An edit form filled from the tracker as it is now."""
        return cls(
            initial={
                "name": tracker.name,
                "phrases": "\n".join(tracker.vocabulary),
                "description": tracker.description,
                "categories": ", ".join(tracker.categories),
                "languages": ", ".join(tracker.languages),
                "excluded": "\n".join(tracker.exclude_vocabulary),
                "fingerprint": tracker.fingerprint,
                "base": json.dumps(tracker.to_api(), ensure_ascii=False),
            },
            **kwargs,
        )
