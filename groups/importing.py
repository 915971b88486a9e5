"""Groups bulk create: parse CSV (name,description,criteria) or JSON (the API's bulk format)
into rows, and mark each row valid or not, and why."""

from __future__ import annotations

from dataclasses import dataclass, field

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

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_item(self) -> dict:
        return {"name": self.name, "description": self.description, "criteria": self.criteria}


def parse(text: str, fmt: str = "auto") -> list[ImportRow]:
    """Rows in file order. Raises: ImportFormatError."""
    return importing.parse(
        text, fmt, key="groups", example=EXAMPLE, item_row=_item_row, csv_rows=_parse_csv
    )


EXAMPLE = '[{"name": "...", "description": "...", "criteria": "..."}]'


def _item_row(where: str, item) -> ImportRow:
    row = ImportRow(line=where, name="", description="", criteria="")
    if not isinstance(item, dict):
        row.errors.append("Not an object with a name and criteria.")
    else:
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
    if "name" in header and "criteria" in header:
        columns = header
        records = records[1:]
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
        if len(record) < len(columns) - (1 if "description" in columns else 0):
            row.errors.append("Needs the columns name, description and criteria.")
        rows.append(row)
    return rows


def validate_rows(rows: list[ImportRow], existing: list) -> None:
    """Mark each row with what stops it: a broken rule, a taken or repeated name.
    `existing` is the account's groups."""
    existing_names = {g.name for g in existing}
    seen: set[str] = set()
    for row in rows:
        if row.errors:
            continue
        check = check_group(row.name, row.description, row.criteria)
        row.errors.extend(check.name_errors + check.description_errors + check.criteria_errors)
        row.hints.extend(check.warnings)
        if row.name in existing_names:
            row.errors.append("A group with this name already exists.")
        elif row.name in seen:
            row.errors.append("This name appears earlier in the file.")
        seen.add(row.name)
