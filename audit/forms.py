"""Audit forms: the filter form of the audit table (GET, bookmarkable)."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from symbl_admin.days import FIRST_DAY, LAST_DAY, OUT_OF_RANGE

from . import zones
from .models import Action, ObjectType, Outcome
from .table import EntryFilters

# The screen's htmx form listens for these: typed text (data-audit-live) is sent as you type,
# debounced; picked values (data-audit-pick) when they change.
_PICK = {"data-audit-pick": ""}


# Days any zone can turn into instants (0001-01-01 in Tokyo overflows datetime).
_DAY_BOUNDS = [
    MinValueValidator(FIRST_DAY, message=OUT_OF_RANGE),
    MaxValueValidator(LAST_DAY, message=OUT_OF_RANGE),
]


class EntryFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Object name or id",
                "autocomplete": "off",
                "data-audit-live": "",
            }
        ),
    )
    actor = forms.CharField(
        required=False,
        max_length=150,
        label="Who",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "list": "audit-actors",
                "placeholder": "Part of a name",
                "autocomplete": "off",
                "data-audit-live": "",
            }
        ),
    )
    action = forms.ChoiceField(
        required=False,
        choices=[("", "Any action"), *Action.choices],
        label="Action",
        widget=forms.Select(attrs=_PICK),
    )
    object_type = forms.ChoiceField(
        required=False,
        choices=[("", "Everything"), *ObjectType.choices],
        label="Object",
        widget=forms.Select(attrs=_PICK),
    )
    outcome = forms.ChoiceField(
        required=False,
        choices=[("", "Any outcome"), *Outcome.choices],
        label="Outcome",
        widget=forms.Select(attrs=_PICK),
    )
    date_from = forms.DateField(
        required=False,
        validators=_DAY_BOUNDS,
        label="From",
        widget=forms.DateInput(attrs={"type": "date", **_PICK}),
    )
    date_to = forms.DateField(
        required=False,
        validators=_DAY_BOUNDS,
        label="To",
        widget=forms.DateInput(attrs={"type": "date", **_PICK}),
    )
    # The browser's zone (static/js/audit.js fills it): the table shows times in it, so the
    # dates are days there. Unknown or absent: the dashboard's TIME_ZONE, and the page says so.
    tz = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-audit-tz": ""}))

    def clean_tz(self) -> str:
        asked = (self.data.get("tz") or "").strip()
        self.unknown_zone = "" if not asked or zones.known(asked) else asked
        return asked if asked and not self.unknown_zone else ""

    def zone(self) -> zones.Zone:
        """The zone the dates are read in, and why (the form must have been validated)."""
        data = getattr(self, "cleaned_data", {})
        return zones.chosen(data.get("tz", ""), unknown=getattr(self, "unknown_zone", ""))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> EntryFilters:
        """The filters as typed. Callers list nothing while the form has errors (an inverted
        date range must not silently widen to everything)."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return EntryFilters(
            actor=(data.get("actor") or "").strip(),
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            outcome=data.get("outcome") or "",
            date_from=data.get("date_from") if "date_to" not in self.errors else None,
            date_to=data.get("date_to"),
            q=(data.get("q") or "").strip(),
            zone=data.get("tz") or "",
        )
