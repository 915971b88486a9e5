"""Review forms: one decision on one or several queue items."""

from __future__ import annotations

from django import forms

from .selectors import parse_key

APPROVE, REQUEST_CHANGES = "approve", "request_changes"


class DecisionForm(forms.Form):
    """POSTed by each item's own form (one `item`) and by "Approve selected" (several)."""

    decision = forms.ChoiceField(
        choices=[(APPROVE, "Approve"), (REQUEST_CHANGES, "Request changes")]
    )
    comment = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.keys = [k for k in data.getlist("item") if k][:500]

    def clean(self):
        cleaned = super().clean()
        targets = [parse_key(k) for k in self.keys]
        if not self.keys:
            raise forms.ValidationError("Select at least one change to approve.")
        if None in targets:
            raise forms.ValidationError("That selection is not one this page offered. Reload it.")
        cleaned["targets"] = list(dict.fromkeys(targets))
        if cleaned.get("decision") == REQUEST_CHANGES:
            if len(targets) != 1:
                raise forms.ValidationError("Request changes on one item at a time.")
            if not (cleaned.get("comment") or "").strip():
                self.add_error("comment", "Say what should change: the author reads this.")
        return cleaned
