"""Import planning layer: what each parsed row would do to the account, decided before
anything is written, for the preview to show and the run to carry out.

A row is matched to an existing object by its id (the export's id column or key), or, when
the user chooses to, by its name; then the feature's rules mark it (validate_import) and it
gets one kind:

    create     no object matched: a new one is made
    update     it changes the object it matched; `diff` says how (audit.diff, as the history)
    unchanged  it matches its object exactly: nothing is sent
    conflict   its object changed on the server since the file was exported (the row's
               `version` is no longer the object's): nothing is sent, the user re-exports
    refused    a rule refuses it (its errors say which)

A version is the editor's conflict fingerprint of the object (its id and editable fields),
shortened and marked with a "v" so that no spreadsheet reads it as a number. Fields a file
does not carry (a CSV without a description column, a JSON item without "categories") keep
the object's current values in an update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit.diff import Diff, diff_states

from .resource import Resource

CREATE, UPDATE, UNCHANGED, CONFLICT, REFUSED = (
    "create",
    "update",
    "unchanged",
    "conflict",
    "refused",
)
KIND_LABELS = {
    CREATE: "Create",
    UPDATE: "Update",
    UNCHANGED: "Unchanged",
    CONFLICT: "Conflict",
    REFUSED: "Refused",
}
MATCH_BY_ID, MATCH_BY_NAME = "id", "name"


def version_of(obj: Any) -> str:
    """The version the exports write for an object (see the module docstring)."""
    return "v" + obj.fingerprint[:16]


@dataclass
class PlannedRow:
    row: Any  # the feature's ImportRow
    kind: str
    data: dict | None = None  # what an update sends: the object's fields, the file's on top
    diff: Diff | None = None  # current → after the import (updates and conflicts)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def match(rows: list, existing: list, *, noun: str, by: str = MATCH_BY_ID) -> None:
    """Set each row's `target` (the object it updates, or None), by its id, or by its name
    when `by` is MATCH_BY_NAME and it has no id; mark a row that names an id nobody has
    (it creates a new object) and a second row for the same object (refused)."""
    by_id = {obj.id: obj for obj in existing}
    by_name = {obj.name: obj for obj in existing}
    claimed: dict[str, str] = {}  # object id → the line that updates it
    for row in rows:
        if row.object_id:
            row.target = by_id.get(row.object_id)
            if row.target is None:
                row.hints.append(_unknown_id(noun, row.object_id))
        elif by == MATCH_BY_NAME and row.name:
            row.target = by_name.get(row.name)
        if row.target is None:
            continue
        if row.target.id in claimed:
            row.errors.append(f"An earlier row ({claimed[row.target.id]}) updates this {noun}.")
        claimed.setdefault(row.target.id, row.line)


def _unknown_id(noun: str, object_id: str) -> str:
    text = f"No {noun} here has the id {object_id}: this row creates a new {noun}."
    if not object_id.isdigit() or object_id.endswith("00"):
        text += " If you edited the file in a spreadsheet, check that it did not change the id."
    return text


def plan(rows: list, resource: Resource) -> list[PlannedRow]:
    """Each row's kind (after match() and the feature's validation)."""
    planned = []
    for row in rows:
        if row.target is None:
            planned.append(PlannedRow(row, CREATE if row.valid else REFUSED))
            continue
        now = resource.editable(row.target) or {}
        mine = resource.editable(row.as_item()) or {}
        given = getattr(row, "given", None)
        data = {**now, **{k: v for k, v in mine.items() if given is None or k in given}}
        diff = diff_states(resource.noun, now, data)
        if data == now:
            kind = UNCHANGED if row.valid else REFUSED
        elif row.version and row.version != version_of(row.target):
            kind = CONFLICT
            row.errors.append(
                f"This {resource.noun} changed on the server after the file was exported. "
                "Nothing is overwritten: export again and redo this row's change, or edit it "
                "in the editor."
            )
        else:
            kind = UPDATE if row.valid else REFUSED
        planned.append(PlannedRow(row, kind, data=data, diff=diff))
    return planned


def counts(planned: list[PlannedRow]) -> dict[str, int]:
    """Rows per kind, every kind present (zero when none)."""
    found = dict.fromkeys(KIND_LABELS, 0)
    for p in planned:
        found[p.kind] += 1
    return found
