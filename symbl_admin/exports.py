"""Shared export responses: one table (a header and rows) written as CSV for programs or as an
.xlsx workbook for spreadsheets, and JSON, as downloads.

CSV: every cell quoted (a spreadsheet that splits on ";" or "," keeps a cell whole), and a
cell that starts like a formula (or with the quote that marks one) gets a leading "'", which
our importers take off again (csv_unprotect), so what is exported imports back equal.
Quoting does not survive a spreadsheet that splits on another separator: that is what the
.xlsx is for. Every one of its cells is stored as text (never a number, never a formula), so
nothing in it runs whatever the locale; it holds the values as they are, without the quote.
The workbook is streamed as it is written (symbl_admin/xlsx.py); its rows are counted first, and past
xlsx_cap() (EXPORT_XLSX_MAX_ROWS) the export is refused with a page saying so, never cut short.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from itertools import chain

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from . import xlsx

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The quote that marks a neutralised cell is itself marked, so that undoing is exact.
_MARKED = (*FORMULA_START, "'")


def cell_text(value) -> str:
    """A cell's text: "" for None, JSON for a dict or list, else str()."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def csv_safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection) by prefixing a quote."""
    text = cell_text(value)
    return "'" + text if text.startswith(_MARKED) else text


def csv_unprotect(value: str) -> str:
    """Undo csv_safe when a file we exported comes back in (an import)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_MARKED) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def batched(pieces: Iterable[str], size: int = 65_536) -> Iterator[str]:
    """The pieces joined into about `size` characters at a time: one socket write per batch
    instead of one per row (a 100,000-entry export was 12 s of small writes)."""
    batch, length = [], 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(batch)
            batch, length = [], 0
    if batch:
        yield "".join(batch)


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text in batches: a byte-order mark (spreadsheets then read UTF-8), the header,
    the rows; every cell quoted and through csv_safe."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([csv_safe(cell) for cell in header])
        for row in rows:
            yield writer.writerow([csv_safe(cell) for cell in row])

    return batched(lines())


def xlsx_chunks(header: Iterable[str], rows: Iterable[Iterable], *, sheet: str) -> Iterator[bytes]:
    """An .xlsx workbook of one sheet, streamed (symbl_admin/xlsx.py): every cell a text cell, through
    cell_text, as it is (no quote), a character XML cannot carry shown, a long one cut."""
    table = chain([header], rows)
    cells = ([xlsx.text(cell_text(value)) for value in row] for row in table)
    return xlsx.workbook_chunks(cells, sheet=sheet)


def xlsx_cap() -> int:
    """The most data rows an .xlsx export writes (EXPORT_XLSX_MAX_ROWS, within a sheet)."""
    return max(0, min(settings.EXPORT_XLSX_MAX_ROWS, xlsx.SHEET_ROWS - 1))


def xlsx_refusal(request: HttpRequest, count: int) -> HttpResponse:
    """The page shown instead of a spreadsheet of more than xlsx_cap() rows: never a cut file."""
    path = request.path
    csv_url = path.removesuffix(".xlsx") + ".csv" if path.endswith(".xlsx") else ""
    if csv_url and request.META.get("QUERY_STRING"):
        csv_url += "?" + request.META["QUERY_STRING"]
    context = {"count": count, "cap": xlsx_cap(), "csv_url": csv_url}
    return render(request, "core/export_too_large.html", context, status=400)


def table_response(
    request: HttpRequest,
    fmt: str,
    header: Iterable[str],
    rows: Iterable[Iterable],
    *,
    filename: str,
    count: int | None = None,
) -> HttpResponse:
    """A download of one table: `fmt` "csv" (streamed) or "xlsx"; `filename` without its
    extension, which is also the workbook's sheet name up to its first "-". An .xlsx needs
    the row count first (`count`, or len(rows)): past xlsx_cap() rows, the refusal page."""
    if fmt == "xlsx":
        count = len(rows) if count is None else count
        if count > xlsx_cap():
            return xlsx_refusal(request, count)
        sheet = filename.split("-", 1)[0]
        chunks = xlsx_chunks(header, rows, sheet=sheet)
        response = StreamingHttpResponse(chunks, content_type=xlsx.CONTENT_TYPE)
    else:
        response = StreamingHttpResponse(
            csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def json_response(data, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
