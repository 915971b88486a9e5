"""Shared reading of bulk files (trackers and groups): JSON lists and CSV records.

Each feature turns what this returns into its own rows and rules. A CSV file's separator is
detected (spreadsheets save `;` in many locales, tab-separated text is a copy from a sheet):
the header is tried first, then csv.Sniffer limited to `,` `;` tab `|`, else a comma.
The rows keep the separator used, for the preview to say.
"""

from __future__ import annotations

import csv
import io

from symbl_admin.exports import csv_unprotect

from . import jsontext


class ImportFormatError(ValueError):
    """The text is not CSV or JSON of a shape we know; the message says what to fix."""


# Separator → its name in the preview ("Read as CSV separated by semicolons").
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
# Columns that say a file's first line is a header (ours and the documented ones start so).
HEADER_STARTS = ("id", "name")
SNIFF_CHARS = 4096  # of the file's first lines, given to csv.Sniffer
NAME_TAKEN = (
    "A {noun} with this name already exists. To change it, give the row its id (as the "
    "export writes it) or choose to match rows by name."
)


class Rows(list):
    """Parsed rows in file order, and how they were read: `separator` is the CSV separator
    (a key of SEPARATORS), "" for JSON."""

    def __init__(self, items, separator: str = "") -> None:
        super().__init__(items)
        self.separator = separator

    @property
    def read_as(self) -> str:
        """How the file was read, in words, for the preview."""
        if not self.separator:
            return "JSON"
        return f"CSV separated by {SEPARATORS.get(self.separator, repr(self.separator))}"


def parse(
    text: str, fmt: str, *, key: str, example: str, item_row, csv_rows, separator: str = ""
) -> Rows:
    """Rows in file order: each JSON item through `item_row(where, item)`, or the CSV records
    through `csv_rows(records)`. `fmt` is "json", "csv" or "auto"; `separator` one of
    SEPARATORS, or "" to detect it.

    Raises: ImportFormatError."""
    fmt = detect_format(text) if fmt in ("", "auto") else fmt
    if fmt == "json":
        items = json_items(text, key=key, example=example)
        return Rows(item_row(f"item {n}", item) for n, item in enumerate(items, start=1))
    separator = separator if separator in SEPARATORS else detect_separator(text)
    return Rows(csv_rows(csv_records(text, separator)), separator)


def detect_format(text: str) -> str:
    return "json" if text.lstrip().startswith(("[", "{")) else "csv"


def detect_separator(text: str) -> str:
    """The separator of CSV text: the one that splits a known header (`name;phrase`), else
    what csv.Sniffer finds among SEPARATORS in the first lines, else a comma."""
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if not lines:
        return ","
    first = lines[0]
    for candidate in SEPARATORS:
        cells = [cell.strip().strip('"').casefold() for cell in first.split(candidate)]
        if len(cells) >= 2 and cells[0] in HEADER_STARTS:
            return candidate
    sample = _sample(lines)
    try:
        found = csv.Sniffer().sniff(sample, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:  # one column, or nothing consistent: the documented comma
        return ","
    # The Sniffer prefers a comma when a semicolon splits every line as evenly (phrases with
    # commas in a semicolon file): a separator is seldom followed by a space, prose's comma is.
    if found == "," and _splits_evenly(sample, ";") and ", " in sample and "; " not in sample:
        return ";"
    return found


def _sample(lines: list[str]) -> str:
    """The first lines, at most SNIFF_CHARS of them: csv.Sniffer's quote regex is quadratic
    in a line's length (a 250,000-character line took two minutes of a worker)."""
    kept, size = [], 0
    for line in lines[:20]:
        if kept and size + len(line) > SNIFF_CHARS:
            break
        kept.append(line[:SNIFF_CHARS])
        size += len(line)
    return "\n".join(kept)


def _splits_evenly(sample: str, separator: str) -> bool:
    counts = {len(r) for r in csv.reader(io.StringIO(sample), delimiter=separator) if r}
    return len(counts) == 1 and counts.pop() > 1


def json_items(text: str, *, key: str, example: str) -> list:
    """The list in a JSON file: a bare list, or {key: [...]} (as the API answers).

    Raises: ImportFormatError naming the line, or showing `example` of the expected shape."""
    try:
        data = jsontext.parse(text)
    except jsontext.NotJSON as exc:
        raise ImportFormatError(f"This is not valid JSON ({exc.message}).") from None
    if isinstance(data, dict) and isinstance(data.get(key), list):
        data = data[key]
    if not isinstance(data, list):
        raise ImportFormatError(f"JSON must be a list of {key}: {example}.")
    return data


def csv_records(text: str, separator: str = ",") -> list[list[str]]:
    """Non-blank CSV records, with our exports' formula protection undone.

    Raises: ImportFormatError (unreadable, or nothing in it)."""
    try:
        records = [
            [csv_unprotect(cell) for cell in record]
            for record in csv.reader(io.StringIO(text), delimiter=separator)
            if any(cell.strip() for cell in record)
        ]
    except csv.Error as exc:
        raise ImportFormatError(f"This CSV could not be read: {exc}.") from None
    if not records:
        raise ImportFormatError("There is nothing to import.")
    return records


# ---- which object a row is: the export's id and version columns


def export_id(cell: str) -> str:
    """An id as the CSV export writes it ("#5347464590213120": a spreadsheet keeps it as
    text) or as typed (digits alone), without the mark."""
    cell = cell.strip()
    return cell[1:].strip() if cell.startswith("#") else cell


def identity_columns(header: list[str], records: list[list[str]]):
    """Take the `id` and `version` columns out of records under `header` (casefolded):
    (header without them, records without them, [(id, version) per record])."""
    where = {name: header.index(name) for name in ("id", "version") if name in header}
    if not where:
        return header, records, [("", "")] * len(records)
    drop = set(where.values())

    def cell(record: list[str], name: str) -> str:
        i = where.get(name)
        return record[i].strip() if i is not None and i < len(record) else ""

    keys = [(export_id(cell(r, "id")), cell(r, "version")) for r in records]
    strip = [[c for i, c in enumerate(r) if i not in drop] for r in records]
    return [c for i, c in enumerate(header) if i not in drop], strip, keys


def item_identity(item: dict) -> tuple[str, str]:
    """(id, version) of a JSON item as the JSON export writes it; ("", "") when absent.
    A number id reads as its digits (ids are strings)."""
    object_id, version = item.get("id"), item.get("version")
    object_id = str(object_id) if isinstance(object_id, str | int) else ""
    return export_id(object_id), version.strip() if isinstance(version, str) else ""
