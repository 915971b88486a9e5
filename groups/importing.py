"""Groups bulk create and update: parse CSV (name,description,criteria, with the export's id
and version columns if present) or JSON (the API's bulk format, with "id" and "version" as the
JSON export writes them) into rows, and mark each row valid or not, and why. A row's id (or
its name, when the user matches by name) makes it an update: resources/import_plan.py decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from resources import importing
from resources.importing import ImportFormatError

from .rules import check_group

__all__ = ["ImportFormatError", "ImportRow", "parse", "validate_rows"]


@dataclass
class ImportRow:
    line: str
    name: str
    description: str
    criteria: str
    errors: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # shown beside "Ready" (it still imports)
    object_id: str = ""  # the file's id column: this row updates that group
    version: str = ""  # the export's version of it
    target: Any = None  # the existing group it updates, once matched
    given: frozenset | None = None  # the API fields the file carries (None: every one)

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_item(self) -> dict:
        return {"name": self.name, "description": self.description, "criteria": self.criteria}


# Every column a header may name (the import help lists them).
KNOWN_COLUMNS = ("id", "version", "name", "description", "criteria")
API_FIELDS = frozenset({"name", "description", "criteria"})


def parse(text: str, fmt: str = "auto", separator: str = "") -> importing.Rows:
    """Rows in file order. Raises: ImportFormatError."""
    return importing.parse(
        text,
        fmt,
        key="groups",
        example=EXAMPLE,
        item_row=_item_row,
        csv_rows=_parse_csv,
        separator=separator,
    )


EXAMPLE = '[{"name": "...", "description": "...", "criteria": "..."}]'


def _item_row(where: str, item) -> ImportRow:
    row = ImportRow(line=where, name="", description="", criteria="")
    if not isinstance(item, dict):
        row.errors.append("Not an object with a name and criteria.")
    else:
        row.object_id, row.version = importing.item_identity(item)
        row.given = frozenset(item) & API_FIELDS
        for key in ("name", "description", "criteria"):
            value = item.get(key, "")
            if value is None and key == "description":
                value = ""
            if isinstance(value, str):
                setattr(row, key, value.strip())
            else:
                row.errors.append(f"“{key}” must be text.")
    return row


def _parse_csv(records: list[list[str]]) -> list[ImportRow]:
    header = [cell.strip().casefold() for cell in records[0]]
    first_line = 1
    columns = ["name", "description", "criteria"]
    keys = None
    if "name" in header and "criteria" in header:
        columns, records, keys = importing.identity_columns(header, records[1:])
        first_line = 2
    rows = []
    for offset, record in enumerate(records):
        values = dict(zip(columns, (cell.strip() for cell in record), strict=False))
        row = ImportRow(
            line=f"line {first_line + offset}",
            name=values.get("name", ""),
            description=values.get("description", ""),
            criteria=values.get("criteria", ""),
        )
        row.object_id, row.version = keys[offset] if keys else ("", "")
        row.given = frozenset(columns) & API_FIELDS
        if len(record) < len(columns) - (1 if "description" in columns else 0):
            row.errors.append("Needs the columns name, description and criteria.")
        rows.append(row)
    return rows


def validate_rows(rows: list[ImportRow], existing: list) -> None:
    """Mark each row with what stops it: a broken rule, a name taken by another group or
    repeated. `existing` is the account's groups; a row's `target` is the group it updates."""
    existing_names = {g.name: g.id for g in existing}
    seen: set[str] = set()
    for row in rows:
        if row.errors:
            continue
        check = check_group(row.name, row.description, row.criteria)
        row.errors.extend(check.name_errors + check.description_errors + check.criteria_errors)
        row.hints.extend(check.warnings)
        owner = existing_names.get(row.name)
        if owner is not None and owner != getattr(row.target, "id", None):
            row.errors.append(importing.NAME_TAKEN.format(noun="group"))
        elif row.name in seen:
            row.errors.append("This name appears earlier in the file.")
        seen.add(row.name)
