"""Trackers forms: mirror the contract's rules so most mistakes never reach the API."""

from __future__ import annotations

import json

from django import forms

from symbl_admin.contract import MAX_PHRASES

from .rules import NAME_MAX_LENGTH, TrackerCheck, check_tracker, split_phrases


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
        # The page's counter and the phrase editor's script read the limit from here.
        widget=forms.Textarea(
            attrs={"rows": 10, "data-phrase-editor": "", "data-max-phrases": MAX_PHRASES}
        ),
        help_text="One phrase per line, 1 to 50. Only . ' and - punctuation.",
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

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name", "") or ""
        phrases = split_phrases(cleaned.get("phrases", "") or "")
        self.check = check_tracker(name, phrases)
        for message in self.check.name_errors:
            self.add_error("name", message)
        for message in self.check.phrases_errors + self.check.phrase_error_messages(phrases):
            self.add_error("phrases", message)
        cleaned["name"] = name.strip()
        cleaned["vocabulary"] = phrases
        return cleaned

    @classmethod
    def for_tracker(cls, tracker, **kwargs) -> TrackerForm:
        """An edit form filled from the tracker as it is now."""
        return cls(
            initial={
                "name": tracker.name,
                "phrases": "\n".join(tracker.vocabulary),
                "fingerprint": tracker.fingerprint,
                "base": json.dumps(tracker.to_api(), ensure_ascii=False),
            },
            **kwargs,
        )
