"""Forms every feature shares (trackers and groups)."""

import re

from django import forms

from resources.bulk import BULK_ACTIONS, CATEGORY_ACTIONS

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


_API_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # as resources/converters.py's <api_id>


class BulkForm(forms.Form):
    """A bulk action on the rows a list's form sends: the ticked rows (`ids`) and, when the
    header's box is ticked, every row of the page (`page_ids`). `back` is the list's query
    string, to show the same list again. At most `max_ids` distinct ids."""

    action = forms.ChoiceField(label="With the selected rows", choices=())
    category = forms.CharField(label="Category", required=False, max_length=64)
    reason = forms.CharField(
        label="Note for the history (optional)", required=False, max_length=500
    )
    confirmed = forms.BooleanField(required=False)
    back = forms.CharField(required=False, max_length=2000)

    def __init__(self, data, *, actions, max_ids: int) -> None:
        super().__init__(data)
        self.fields["action"].choices = [(a, BULK_ACTIONS[a][0]) for a in actions]
        self.max_ids = max_ids
        self.ids = self._ids()  # the selection as sent, even when the form is invalid

    def _ids(self) -> list[str]:
        sent = self.data.getlist("ids")
        if self.data.get("all_on_page"):
            sent += self.data.getlist("page_ids")
        return list(dict.fromkeys(i.strip() for i in sent if i.strip()))

    def clean(self):
        cleaned = super().clean()
        if not self.ids:
            raise forms.ValidationError("Select at least one row, then choose Apply.")
        if len(self.ids) > self.max_ids:
            raise forms.ValidationError(
                f"At most {self.max_ids} rows at a time: {len(self.ids)} were sent. Nothing "
                "was changed; select fewer rows."
            )
        if any(not _API_ID.fullmatch(i) for i in self.ids):
            raise forms.ValidationError("Some of the selected rows are not valid ids.")
        if cleaned.get("action") in CATEGORY_ACTIONS:
            category = (cleaned.get("category") or "").strip()
            if not category:
                self.add_error("category", "Type the category to add or remove.")
            cleaned["category"] = category
        return cleaned
