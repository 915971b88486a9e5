"""Shared reading of bulk files (trackers and groups): JSON lists and CSV records.

Each feature turns what this returns into its own rows and rules.
"""

from __future__ import annotations

import csv
import io

from symbl_admin.exports import csv_unprotect

from . import jsontext


class ImportFormatError(ValueError):
    """The text is not CSV or JSON of a shape we know; the message says what to fix."""


def parse(text: str, fmt: str, *, key: str, example: str, item_row, csv_rows) -> list:
    """Rows in file order: each JSON item through `item_row(where, item)`, or the CSV records
    through `csv_rows(records)`. `fmt` is "json", "csv" or "auto".

    Raises: ImportFormatError."""
    fmt = detect_format(text) if fmt in ("", "auto") else fmt
    if fmt == "json":
        items = json_items(text, key=key, example=example)
        return [item_row(f"item {n}", item) for n, item in enumerate(items, start=1)]
    return csv_rows(csv_records(text))


def detect_format(text: str) -> str:
    return "json" if text.lstrip().startswith(("[", "{")) else "csv"


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


def csv_records(text: str) -> list[list[str]]:
    """Non-blank CSV records, with our exports' formula protection and id column undone.

    Raises: ImportFormatError (unreadable, or nothing in it)."""
    try:
        records = [
            [csv_unprotect(cell) for cell in record]
            for record in csv.reader(io.StringIO(text))
            if any(cell.strip() for cell in record)
        ]
    except csv.Error as exc:
        raise ImportFormatError(f"This CSV could not be read: {exc}.") from None
    if records and records[0][:1] and records[0][0].strip().casefold() == "id":
        # Our exports lead with the id; the API assigns ids, so an import ignores them.
        records = [record[1:] for record in records]
    if not records:
        raise ImportFormatError("There is nothing to import.")
    return records
