"""Forms every feature shares (trackers and groups)."""

import re

from django import forms

_SURROGATES = re.compile("[\ud800-\udfff]")


class ReasonForm(forms.Form):
    """An optional note for the audit log (delete and revert confirmations)."""

    reason = forms.CharField(
        label="Note for the history (optional)", required=False, max_length=500
    )


class ImportForm(forms.Form):
    FORMAT_CHOICES = [("auto", "Detect"), ("csv", "CSV"), ("json", "JSON")]
    file = forms.FileField(label="Upload a file", required=False)
    text = forms.CharField(
        label="…or paste here",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    format = forms.ChoiceField(choices=FORMAT_CHOICES, initial="auto", required=False)
    SEPARATOR_CHOICES = [
        ("", "Detect"),
        (",", "Comma ,"),
        (";", "Semicolon ;"),
        ("\t", "Tab"),
        ("|", "Vertical bar |"),
    ]
    separator = forms.ChoiceField(
        label="CSV separator", choices=SEPARATOR_CHOICES, initial="", required=False
    )
    MATCH_CHOICES = [
        ("id", "By id: rows with an id update that object, rows without one create"),
        ("name", "By id, else by name: a row named like an existing object updates it"),
    ]
    match = forms.ChoiceField(
        label="Existing objects",
        choices=MATCH_CHOICES,
        initial="id",
        required=False,
        widget=forms.RadioSelect,
    )

    MAX_UPLOAD = 5 * 1024 * 1024

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # A lone surrogate cannot be written back into the page (UTF-8 has no form for
            # it): it reads as the replacement character, so the preview can show the text.
            data = data.copy()
            for key in list(data.keys()):
                data.setlist(key, [_SURROGATES.sub("\ufffd", v) for v in data.getlist(key)])
        super().__init__(data, *args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        text = cleaned.get("text") or ""
        if upload:
            if upload.size > self.MAX_UPLOAD:
                raise forms.ValidationError("That file is over 5 MB. Split it into smaller files.")
            raw = upload.read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "That file is not UTF-8 text. Save it as CSV UTF-8 or JSON and try again."
                ) from None
            if not cleaned.get("format") or cleaned["format"] == "auto":
                name = upload.name.lower()
                if name.endswith(".json"):
                    cleaned["format"] = "json"
                elif name.endswith(".csv"):
                    cleaned["format"] = "csv"
        if not text.strip():
            raise forms.ValidationError("Choose a file or paste CSV or JSON to import.")
        cleaned["text"] = text
        return cleaned
