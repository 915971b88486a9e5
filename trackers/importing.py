"""Trackers bulk import: parse CSV or JSON into rows, and mark each row valid or not, why.

CSV comes in two shapes: `name,phrase` (one phrase per row, rows of one tracker share its
name, or its id) or `name,phrases` (all phrases in one cell, separated by `|`); with a header,
the later fields may follow as columns (description, categories, languages, phrase_to_ignore or
phrases_to_ignore; lists separated by `|`), and `id` and `version` anywhere, as the CSV export
writes them. JSON is the API's bulk format: a list of {"name", "vocabulary", ...}
({"trackers": [...]} is accepted too), with "id" and "version" as the JSON export writes them.
Files without the later fields still import. A row's id (or its name, when the user matches by
name) makes it an update of that tracker: resources/import_plan.py decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from resources import importing
from resources.importing import ImportFormatError

from .rules import MAX_TRACKERS, check_tracker

__all__ = ["ImportFormatError", "ImportRow", "parse", "validate_rows"]


# The CSV export's columns (after the id and version): a phrase per row, then a phrase to
# ignore per row of its own (the phrase cell empty: it belongs to no phrase); description,
# categories and languages repeat on each row of a tracker (lists split by |).
CSV_COLUMNS = ("name", "phrase", "description", "categories", "languages", "phrase_to_ignore")
# Every column a header may name (the import help lists them).
KNOWN_COLUMNS = ("id", "version", *CSV_COLUMNS, "phrases", "phrases_to_ignore")
# A column → the API field it fills (an update keeps the fields a file has no column for).
COLUMN_FIELDS = {
    "name": "name",
    "phrase": "vocabulary",
    "phrases": "vocabulary",
    "description": "description",
    "categories": "categories",
    "languages": "languages",
    "phrase_to_ignore": "excludeVocabulary",
    "phrases_to_ignore": "excludeVocabulary",
}
API_FIELDS = frozenset(COLUMN_FIELDS.values())


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
    object_id: str = ""  # the file's id column: this row updates that tracker
    version: str = ""  # the export's version of it (resources/import_plan.py)
    target: Any = None  # the existing tracker it updates, once matched
    given: frozenset | None = None  # the API fields the file carries (None: every one)

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
    """A tracker as CSV rows under CSV_COLUMNS (what the import reads back): its phrases, then
    its phrases to ignore on rows of their own."""
    shared = (tracker.description, "|".join(tracker.categories), "|".join(tracker.languages))
    rows = [(tracker.name, phrase, *shared, "") for phrase in tracker.vocabulary]
    rows += [(tracker.name, "", *shared, phrase) for phrase in tracker.exclude_vocabulary]
    return rows or [(tracker.name, "", *shared, "")]


def parse(text: str, fmt: str = "auto", separator: str = "") -> importing.Rows:
    """Rows in file order. Raises: ImportFormatError."""
    return importing.parse(
        text,
        fmt,
        key="trackers",
        example=EXAMPLE,
        item_row=_item_row,
        csv_rows=_parse_csv,
        separator=separator,
    )


EXAMPLE = '[{"name": "...", "vocabulary": ["...", "..."]}]'


def _item_row(where: str, item) -> ImportRow:
    row = ImportRow(line=where, name="", vocabulary=[])
    if not isinstance(item, dict):
        row.errors.append("Not an object with a name and a vocabulary.")
        return row
    name, vocabulary = item.get("name"), item.get("vocabulary")
    row.object_id, row.version = importing.item_identity(item)
    row.given = frozenset(item) & API_FIELDS
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
    if "id" in header or header[:1] == ["name"]:
        return _parse_with_header(header, records[1:])
    piped = any(len(r) > 1 and "|" in r[1] for r in records)
    columns = ["name", "phrases" if piped else "phrase"]
    return _rows(columns, records, first_line=1, strict=not piped)


def _parse_with_header(header: list[str], records: list[list[str]]) -> list[ImportRow]:
    unknown = [column for column in header if column not in KNOWN_COLUMNS]
    if unknown:
        raise ImportFormatError(
            f"Unknown column “{unknown[0]}”. Columns: {', '.join(KNOWN_COLUMNS)} (phrases and "
            "phrases_to_ignore with | between phrases)."
        )
    header, records, keys = importing.identity_columns(header, records)
    if header[:1] != ["name"] or len(header) < 2 or header[1] not in {"phrase", "phrases"}:
        raise ImportFormatError(
            "The header must name the columns name, then phrase (or phrases), then any of: "
            f"{', '.join(c for c in KNOWN_COLUMNS if c not in ('name', 'phrase', 'phrases'))}."
        )
    return _rows(header, records, first_line=2, strict=True, keys=keys)


def _rows(
    columns: list[str], records, *, first_line: int, strict: bool, keys=None
) -> list[ImportRow]:
    """Rows of one tracker share its id, or else its name: the phrases gather, the other cells
    are taken from the first row that has them. A piped file has one row per tracker."""
    piped = columns[1] == "phrases"
    given = frozenset(COLUMN_FIELDS[c] for c in columns if c in COLUMN_FIELDS)
    rows: list[ImportRow] = []
    by_name: dict[str, ImportRow] = {}
    for offset, record in enumerate(records):
        line = f"line {first_line + offset}"
        name = record[0].strip() if record else ""
        object_id, version = keys[offset] if keys else ("", "")
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
        key = f"#{object_id}" if object_id else name
        row = by_name.get(key) if not piped else None
        if row is None:
            row = ImportRow(line=line, name=name, vocabulary=[], object_id=object_id)
            row.version, row.given = version, given
            rows.append(row)
            if not piped:
                by_name[key] = row
        elif row.name != name:
            row.errors.append(f"Its rows name it both “{row.name}” and “{name}” ({line}).")
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
    """Mark each row with what stops it: a broken rule, a name taken by another tracker or
    repeated, the limit (for new trackers). `existing` is the account's trackers; a row's
    `target` is the tracker it updates."""
    existing_names = {t.name: t.id for t in existing}
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
        owner = existing_names.get(row.name)
        if owner is not None and owner != getattr(row.target, "id", None):
            row.errors.append(importing.NAME_TAKEN.format(noun="tracker"))
        elif row.name in seen:
            row.errors.append("This name appears earlier in the file.")
        seen.add(row.name)
    room = MAX_TRACKERS - existing_count
    for row in rows:
        if row.valid and row.target is None:
            if room <= 0:
                row.errors.append(
                    f"Over the account limit of {MAX_TRACKERS} trackers "
                    f"({existing_count} exist already)."
                )
            room -= 1
