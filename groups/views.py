"""Groups' own view: the criteria builder (create, edit and its live check, with the live
count of what the criteria select: live_count.py). Every other screen is a generic view over
groups/resource.py, or the conversations fragment (conversation_views.py; see urls.py)."""

from __future__ import annotations

import contextlib

from resources.generic.edit import ObjectEditView
from symbl_admin.contract import MAX_GROUP_DESCRIPTION, MAX_GROUP_NAME
from symbl_admin.management_api import get_client
from symbl_admin.management_api.errors import ManagementAPIError

from . import criteria as crit
from .contradictions import never_matches_text
from .forms import MAX_ROWS, GroupForm, initial_for
from .live_count import count_context
from .rules import check_group

NOT_IN_BUILDER = (
    "These criteria cannot be shown in the builder (they nest or use other fields); edit "
    "them as text."
)


class GroupEditor(ObjectEditView):
    template = "groups/group_form.html"
    partial = "group-form"
    check_partial = "criteria-preview"

    def new_form(self, data=None, obj=None):
        if data is not None:
            return GroupForm(data)
        return GroupForm.for_group(obj) if obj else GroupForm(initial=initial_for("", "", ""))

    def check_extra(self, form) -> dict:
        # The live check does not show the suggestions (skip the list call); its count goes
        # to the live region outside the swapped preview, out of band.
        return {"suggestions": ["-"], "oob_count": True}

    def form_context(self, form: GroupForm, **extra) -> dict:
        rows = form.rows()
        mode = form.current_mode()
        preview, error, position, error_row = "", "", None, None
        if mode == "text":
            source = form.data if form.is_bound else form.initial
            preview = source.get("criteria_text") or ""
            if preview.strip():
                check = check_group("x", "", preview)
                if check.criteria_errors:
                    error, position = check.criteria_errors[0], check.criteria_position
        elif not self._untouched(form, rows):
            try:
                preview = crit.check_builder(form.builder(rows))
            except crit.BuilderError as exc:
                error, error_row = exc.message, exc.row
        warning = never_matches_text(preview) if preview and not error else ""
        cut = position if position is not None else 0
        counted = extra.pop("oob_count", False)
        typed = form.data if form.is_bound else {}
        return {
            **count_context(typed, preview if preview and not error else ""),
            "oob_count": counted,
            "rows": rows,
            "mode": mode,
            "join": (form.data.get("join") if form.is_bound else form.initial.get("join")) or "and",
            "operators": crit.OPERATORS,
            "conversation_fields": crit.CONVERSATION_FIELDS,
            "suggestions": extra.pop("suggestions", None) or _suggestions(),
            "can_add_row": len(rows) < MAX_ROWS,
            "preview": preview,
            "preview_error": error,
            "preview_warning": warning,
            "error_row": error_row,
            "preview_before": preview[:cut] if position is not None else "",
            "preview_at": preview[cut : cut + 1] if position is not None else "",
            "preview_after": preview[cut + 1 :] if position is not None else "",
            "words": crit.describe(preview) if preview and not error else "",
            "max_name": MAX_GROUP_NAME,
            "max_description": MAX_GROUP_DESCRIPTION,
            **extra,
        }

    def _untouched(self, form: GroupForm, rows: list[dict]) -> bool:
        """Every row still blank and no save asked for: nothing to judge yet (a new form said
        "Not valid yet: Condition 1: choose a field" before anything was typed)."""
        if any(r["key"].strip() or r["value"].strip() for r in rows):
            return False
        return not (form.is_bound and not self.check and form.errors)

    def builder_action(self, form: GroupForm):
        """The builder's own buttons (add/remove a row, switch mode): (new form, notice), or
        None when the user asked to save."""
        data = self.request.POST.copy()
        action = data.get("action", "save")
        rows = form.rows()
        if action == "add" and len(rows) < MAX_ROWS:
            rows.append({"kind": "metadata", "key": "", "op": "==", "value": ""})
        elif action.startswith("remove-"):
            index = action.split("-", 1)[1]
            # ASCII digits only: "²".isdigit() is true, yet int("²") fails.
            if index.isascii() and index.isdigit() and len(index) < 4 and int(index) < len(rows):
                rows.pop(int(index))
        elif action == "to-text":
            data["mode"] = "text"
            with contextlib.suppress(crit.BuilderError):  # a half-built builder keeps its text
                data["criteria_text"] = form.criteria()
        elif action == "to-builder":
            builder = crit.from_text(data.get("criteria_text", ""))
            if builder is None and data.get("criteria_text", "").strip():
                return GroupForm(data).quiet(), NOT_IN_BUILDER
            data["mode"] = "builder"
            if builder:
                data["join"] = builder.join
                rows = [
                    {"kind": c.kind, "key": c.key, "op": c.op, "value": c.value_text}
                    for c in builder.conditions
                ]
        else:
            return None
        for key in [k for k in data if k.startswith("cond-")]:
            del data[key]
        data["cond-count"] = str(len(rows))
        for i, row in enumerate(rows):
            for field, value in row.items():
                data[f"cond-{i}-{field}"] = value
        return GroupForm(data).quiet(), ""


def _suggestions() -> list[str]:
    """Metadata keys other groups use, offered in the builder's key field."""
    try:
        return crit.metadata_keys(g.criteria for g in get_client().groups.list())
    except ManagementAPIError:
        return []
