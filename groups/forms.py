"""Groups forms: name, description and criteria, from the builder rows or as text."""

from __future__ import annotations

import json

from django import forms

from . import criteria as crit
from .rules import MAX_GROUP_DESCRIPTION, MAX_GROUP_NAME, check_group

MAX_ROWS = 10


class GroupForm(forms.Form):
    name = forms.CharField(
        label="Group name",
        required=False,
        max_length=MAX_GROUP_NAME + 1000,  # check_group's message is friendlier
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-counter": MAX_GROUP_NAME}),
        help_text='Letters, digits, spaces and - _ " only. Capital letters matter.',
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=MAX_GROUP_DESCRIPTION + 1000,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter": MAX_GROUP_DESCRIPTION}),
    )
    mode = forms.ChoiceField(
        choices=[("builder", "Builder"), ("text", "Text")], required=False, widget=forms.HiddenInput
    )
    join = forms.ChoiceField(
        label="Match",
        choices=[("and", "all of these conditions"), ("or", "any of these conditions")],
        required=False,
    )
    criteria_text = forms.CharField(
        label="Criteria (RSQL)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "mono"}),
        help_text="For example: conversation.metadata.agentId==johndoe and "
        "conversation.metadata.customerId==88338833",
    )
    reason = forms.CharField(
        label="Note for the history (optional)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)
    base = forms.CharField(required=False, widget=forms.HiddenInput)

    criteria_position: int | None = None

    def quiet(self) -> GroupForm:
        """Show what was typed without judging it yet: after a builder button (add a row,
        switch mode) the user has not asked to save, so no field is marked wrong."""
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}
        return self

    # ---- builder rows: cond-N-kind / -key / -op / -value, N < cond-count

    def rows(self) -> list[dict]:
        """The builder rows as typed (kept verbatim so a failed save loses nothing)."""
        if not self.is_bound:
            return list(self.initial.get("rows", [])) or [_blank_row()]
        try:
            count = min(int(self.data.get("cond-count", 0)), MAX_ROWS)
        except (TypeError, ValueError):
            count = 0
        rows = []
        for i in range(count):
            rows.append(
                {
                    "kind": self.data.get(f"cond-{i}-kind", "metadata"),
                    "key": self.data.get(f"cond-{i}-key", ""),
                    "op": self.data.get(f"cond-{i}-op", "=="),
                    "value": self.data.get(f"cond-{i}-value", ""),
                }
            )
        return rows or [_blank_row()]

    def builder(self, rows: list[dict]) -> crit.Builder:
        """Raises: criteria.BuilderError naming the row."""
        conditions = [
            crit.condition_from_input(r["kind"], r["key"], r["op"], r["value"], i)
            for i, r in enumerate(rows)
            if r["key"].strip() or r["value"].strip() or len(rows) == 1
        ]
        join = self.data.get("join") if self.is_bound else self.initial.get("join", "and")
        return crit.Builder(
            join=join if join in ("and", "or") else "and", conditions=tuple(conditions)
        )

    def current_mode(self) -> str:
        mode = (self.data.get("mode") if self.is_bound else self.initial.get("mode")) or "builder"
        return mode if mode in ("builder", "text") else "builder"

    def criteria(self) -> str:
        """The criteria text this form means. Raises: criteria.BuilderError (builder mode)."""
        if self.current_mode() == "text":
            return (self.data.get("criteria_text") or "").strip()
        return crit.check_builder(self.builder(self.rows()))

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        description = (cleaned.get("description") or "").strip()
        try:
            text = self.criteria()
        except crit.BuilderError as exc:
            self.add_error(None if self.current_mode() == "text" else "join", exc.message)
            text = None
        check = check_group(name, description, text or "")
        for message in check.name_errors:
            self.add_error("name", message)
        for message in check.description_errors:
            self.add_error("description", message)
        if text is not None:
            for message in check.criteria_errors:
                self.add_error(
                    "criteria_text" if self.current_mode() == "text" else "join", message
                )
            self.criteria_position = check.criteria_position
        cleaned.update(name=name, description=description, criteria=text or "")
        return cleaned

    @classmethod
    def for_group(cls, group, **kwargs) -> GroupForm:
        return cls(
            initial=initial_for(group.name, group.description, group.criteria, group), **kwargs
        )


def _blank_row() -> dict:
    return {"kind": "metadata", "key": "", "op": "==", "value": ""}


def initial_for(name: str, description: str, criteria: str, group=None) -> dict:
    """Form initial data: the builder when it can show the criteria exactly, else text."""
    builder = crit.from_text(criteria) if criteria else None
    initial = {
        "name": name,
        "description": description,
        "criteria_text": criteria,
        "mode": "builder" if builder or not criteria else "text",
        "join": builder.join if builder else "and",
        "rows": [
            {"kind": c.kind, "key": c.key, "op": c.op, "value": c.value_text}
            for c in (builder.conditions if builder else ())
        ],
    }
    if group is not None:
        initial["fingerprint"] = group.fingerprint
        initial["base"] = json.dumps(group.to_api(), ensure_ascii=False)
    return initial
