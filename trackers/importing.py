"""Trackers bulk import: parse CSV or JSON into rows, and mark each row valid or not, why.

CSV comes in two shapes: `name,phrase` (one phrase per row, rows of one tracker share its
name) or `name,phrases` (all phrases in one cell, separated by `|`); with a header, the
later fields may follow as columns (description, categories, languages, phrase_to_ignore or
phrases_to_ignore; lists separated by `|`), as the CSV export writes them. JSON is the API's
bulk format: a list of {"name", "vocabulary", ...} ({"trackers": [...]} is accepted too).
Files without the later fields still import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resources import importing
from resources.importing import ImportFormatError

from .rules import MAX_TRACKERS, check_tracker

__all__ = ["ImportFormatError", "ImportRow", "parse", "validate_rows"]


# The CSV export's columns (after the id): one phrase and one phrase to ignore per row;
# description, categories and languages repeat on each row of a tracker (lists split by |).
CSV_COLUMNS = ("name", "phrase", "description", "categories", "languages", "phrase_to_ignore")


@dataclass
class ImportRow:
    line: str  # where it came from, for the user: "line 3" or "item 2"
    name: str
    vocabulary: list[str]
    errors: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    description: str = ""
    categories: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_item(self) -> dict:
        return {
            "name": self.name,
            "vocabulary": self.vocabulary,
            "description": self.description,
            "categories": self.categories,
            "languages": self.languages,
            "excludeVocabulary": self.excluded,
        }


def csv_rows(tracker) -> list[tuple]:
    """A tracker as CSV rows under CSV_COLUMNS (what the import reads back)."""
    phrases, excluded = list(tracker.vocabulary), list(tracker.exclude_vocabulary)
    shared = (tracker.description, "|".join(tracker.categories), "|".join(tracker.languages))
    count = max(1, len(phrases), len(excluded))
    return [
        (
            tracker.name,
            phrases[i] if i < len(phrases) else "",
            *shared,
            excluded[i] if i < len(excluded) else "",
        )
        for i in range(count)
    ]


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
        return row
    name, vocabulary = item.get("name"), item.get("vocabulary")
    row.name = name if isinstance(name, str) else ""
    if not isinstance(name, str):
        row.errors.append("“name” must be text.")
    if _strings(vocabulary):
        row.vocabulary = [p.strip() for p in vocabulary]
    else:
        row.errors.append("“vocabulary” must be a list of phrases (text).")
    description = item.get("description")
    if description is not None and not isinstance(description, str):
        row.errors.append("“description” must be text.")
    row.description = (description or "").strip() if isinstance(description, str) else ""
    for key, attr in (
        ("categories", "categories"),
        ("languages", "languages"),
        ("excludeVocabulary", "excluded"),
    ):
        value = item.get(key)
        if value is None:
            continue
        if _strings(value):
            setattr(row, attr, [v.strip() for v in value if v.strip()])
        else:
            row.errors.append(f"“{key}” must be a list of text.")
    return row


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _parse_csv(records: list[list[str]]) -> list[ImportRow]:
    header = [cell.strip().casefold() for cell in records[0]]
    if header[:1] == ["name"] and len(header) >= 2 and header[1] in {"phrase", "phrases"}:
        return _parse_with_header(header, records[1:])
    piped = any(len(r) > 1 and "|" in r[1] for r in records)
    columns = ["name", "phrases" if piped else "phrase"]
    return _rows(columns, records, first_line=1, strict=not piped)


def _parse_with_header(header: list[str], records: list[list[str]]) -> list[ImportRow]:
    known = {"name", "phrase", "phrases", *CSV_COLUMNS, "phrases_to_ignore"}
    unknown = [column for column in header if column not in known]
    if unknown:
        raise ImportFormatError(
            f"Unknown column “{unknown[0]}”. Columns: {', '.join(CSV_COLUMNS)} (or phrases and "
            "phrases_to_ignore with | between phrases)."
        )
    return _rows(header, records, first_line=2, strict=True)


def _rows(columns: list[str], records, *, first_line: int, strict: bool) -> list[ImportRow]:
    """Rows of one tracker share its name: the phrases gather, the other cells are taken
    from the first row that has them. A piped file has one row per tracker."""
    piped = columns[1] == "phrases"
    rows: list[ImportRow] = []
    by_name: dict[str, ImportRow] = {}
    for offset, record in enumerate(records):
        line = f"line {first_line + offset}"
        name = record[0].strip() if record else ""
        if len(record) < 2:
            rows.append(
                ImportRow(
                    line=line,
                    name=name,
                    vocabulary=[],
                    errors=["Needs two columns: the tracker name, then its phrase(s)."],
                )
            )
            continue
        if len(record) > len(columns) and strict:
            record = record[: len(columns)] + [",".join(record[len(columns) :])]
            too_many = True
        else:
            if len(record) > len(columns):  # a piped cell with commas in it
                record = [record[0], ",".join(record[1:])]
            too_many = False
        cells = dict(zip(columns, (cell.strip() for cell in record), strict=False))
        row = by_name.get(name) if not piped else None
        if row is None:
            row = ImportRow(line=line, name=name, vocabulary=[])
            rows.append(row)
            if not piped:
                by_name[name] = row
        _fill(row, cells)
        if too_many:
            where = "than two columns" if len(columns) == 2 else "columns than the header"
            row.errors.append(
                f"Has more {where}: a phrase cannot contain a comma. Quote it, or remove the comma."
            )
    return rows


def _fill(row: ImportRow, cells: dict[str, str]) -> None:
    row.vocabulary += _split(cells.get("phrases", ""))
    if cells.get("phrase"):
        row.vocabulary.append(cells["phrase"])
    row.excluded += _split(cells.get("phrases_to_ignore", ""))
    if cells.get("phrase_to_ignore"):
        row.excluded.append(cells["phrase_to_ignore"])
    row.description = row.description or cells.get("description", "")
    row.categories = row.categories or _split(cells.get("categories", ""))
    row.languages = row.languages or _split(cells.get("languages", ""))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def validate_rows(rows: list[ImportRow], existing: list) -> None:
    """Mark each row with what stops it: a broken rule, a taken or repeated name, the limit.
    `existing` is the account's trackers."""
    existing_names = {t.name for t in existing}
    existing_count = len(existing)
    seen: set[str] = set()
    for row in rows:
        if row.errors:
            continue
        check = check_tracker(
            row.name,
            row.vocabulary,
            description=row.description,
            categories=row.categories,
            languages=row.languages,
            excluded=row.excluded,
        )
        row.errors.extend(check.name_errors + check.phrases_errors)
        row.errors.extend(check.phrase_error_messages(row.vocabulary))
        row.errors.extend(check.description_errors + check.categories_errors)
        row.errors.extend(check.languages_errors + check.excluded_errors)
        row.errors.extend(check.excluded_error_messages(row.excluded))
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
