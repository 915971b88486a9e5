"""Forms every feature shares."""

from django import forms


class ReasonForm(forms.Form):
    """An optional note for the audit log (delete and revert confirmations)."""

    reason = forms.CharField(
        label="Note for the history (optional)", required=False, max_length=500
    )
