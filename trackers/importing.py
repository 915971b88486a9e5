"""Trackers bulk import: parse CSV or JSON into rows, and mark each row valid or not, why.

CSV comes in two shapes: `name,phrase` (one phrase per row, rows of one tracker share its
name) or `name,phrases` (all phrases in one cell, separated by `|`). JSON is the API's bulk
format: a list of {"name", "vocabulary"} (an object {"trackers": [...]} is accepted too).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symbl_admin.core import importing
from symbl_admin.core.importing import ImportFormatError

from .rules import MAX_TRACKERS, check_tracker

__all__ = ["ImportFormatError", "ImportRow", "parse", "validate_rows"]


@dataclass
class ImportRow:
    line: str  # where it came from, for the user: "line 3" or "item 2"
    name: str
    vocabulary: list[str]
    errors: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_item(self) -> dict:
        return {"name": self.name, "vocabulary": self.vocabulary}


def parse(text: str, fmt: str = "auto") -> list[ImportRow]:
    """Rows in file order. Raises: ImportFormatError."""
    return importing.parse(
        text, fmt, key="trackers", example=EXAMPLE, item_row=_item_row, csv_rows=_parse_csv
    )


EXAMPLE = '[{"name": "...", "vocabulary": ["...", "..."]}]'


def _item_row(where: str, item) -> ImportRow:
    row = ImportRow(line=where, name="", vocabulary=[])
    if not isinstance(item, dict):
        row.errors.append("Not an object with a name and a vocabulary.")
    else:
        name, vocabulary = item.get("name"), item.get("vocabulary")
        row.name = name if isinstance(name, str) else ""
        if not isinstance(name, str):
            row.errors.append("“name” must be text.")
        if isinstance(vocabulary, list) and all(isinstance(p, str) for p in vocabulary):
            row.vocabulary = [p.strip() for p in vocabulary]
        else:
            row.errors.append("“vocabulary” must be a list of phrases (text).")
    return row


def _parse_csv(records: list[list[str]]) -> list[ImportRow]:
    header = [cell.strip().casefold() for cell in records[0]]
    piped = None
    if header[:1] == ["name"] and len(header) >= 2 and header[1] in {"phrase", "phrases"}:
        piped = header[1] == "phrases"
        records = records[1:]
        first_line = 2
    else:
        first_line = 1
    if piped is None:
        piped = any(len(r) > 1 and "|" in r[1] for r in records)

    rows: list[ImportRow] = []
    by_name: dict[str, ImportRow] = {}
    for offset, record in enumerate(records):
        line = f"line {first_line + offset}"
        if len(record) < 2:
            rows.append(
                ImportRow(
                    line=line,
                    name=record[0].strip() if record else "",
                    vocabulary=[],
                    errors=["Needs two columns: the tracker name, then its phrase(s)."],
                )
            )
            continue
        name = record[0].strip()
        cell = ",".join(record[1:]) if len(record) > 2 and piped else record[1]
        phrases = [p.strip() for p in cell.split("|")] if piped else [cell.strip()]
        phrases = [p for p in phrases if p]
        if not piped and name in by_name:
            by_name[name].vocabulary.extend(phrases)
            continue
        row = ImportRow(line=line, name=name, vocabulary=phrases)
        if len(record) > 2 and not piped:
            row.errors.append(
                "Has more than two columns: a phrase cannot contain a comma. Quote it, "
                "or remove the comma."
            )
        rows.append(row)
        if not piped:
            by_name[name] = row
    return rows


def validate_rows(rows: list[ImportRow], existing: list) -> None:
    """Mark each row with what stops it: a broken rule, a taken or repeated name, the limit.
    `existing` is the account's trackers."""
    existing_names = {t.name for t in existing}
    existing_count = len(existing)
    seen: set[str] = set()
    for row in rows:
        if row.errors:
            continue
        check = check_tracker(row.name, row.vocabulary)
        row.errors.extend(check.name_errors + check.phrases_errors)
        row.errors.extend(check.phrase_error_messages(row.vocabulary))
        row.hints.extend(check.hints)
        if row.name in existing_names:
            row.errors.append("A tracker with this name already exists.")
        elif row.name in seen:
            row.errors.append("This name appears earlier in the file.")
        seen.add(row.name)
    room = MAX_TRACKERS - existing_count
    for row in rows:
        if row.valid:
            if room <= 0:
                row.errors.append(
                    f"Over the account limit of {MAX_TRACKERS} trackers "
                    f"({existing_count} exist already)."
                )
            room -= 1
