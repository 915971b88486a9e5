"""Tester layer: the transcript form (pasted text or an uploaded file, and a threshold)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from . import scoring
from .transcripts import TranscriptError, read_upload, sentences


class TranscriptForm(forms.Form):
    transcript = forms.CharField(
        label="Transcript",
        required=False,
        strip=False,
        help_text="Paste plain text, or one “Speaker: text” line per turn.",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    upload = forms.FileField(
        label="Or upload a text file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    threshold = forms.CharField(required=False, widget=forms.HiddenInput)
    tracker = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, between: Callable[[], None] = lambda: None, **kwargs):
        super().__init__(*args, **kwargs)
        self.between = between  # run between pieces of the split (a newer run may stop it)

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        try:
            text = read_upload(upload) if upload else data.get("transcript") or ""
            data["sentences"] = sentences(text, between=self.between)
        except TranscriptError as error:
            self.add_error("upload" if upload else "transcript", str(error))
            return data
        if upload:  # show what was read, so the next run (a moved slider, an edit) has it
            self.data = self.data.copy()
            self.data["transcript"] = text
        data["threshold"] = scoring.clamp_threshold(data.get("threshold"))
        return data

    def threshold_value(self) -> float:
        return scoring.clamp_threshold(self.data.get("threshold"))
