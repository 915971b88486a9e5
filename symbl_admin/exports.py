"""Shared export responses: one table (a header and rows) written as CSV for programs or as an
.xlsx workbook for spreadsheets, and JSON, as downloads.

CSV: every cell quoted (a spreadsheet that splits on ";" or "," keeps a cell whole), and a
cell that starts like a formula (or with the quote that marks one) gets a leading "'", which
our importers take off again (csv_unprotect), so what is exported imports back equal.
Quoting does not survive a spreadsheet that splits on another separator: that is what the
.xlsx is for. Every one of its cells is stored as text (never a number, never a formula), so
nothing in it runs whatever the locale; it holds the values as they are, without the quote.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The quote that marks a neutralised cell is itself marked, so that undoing is exact.
_MARKED = (*FORMULA_START, "'")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_CHARS = 32_767  # a spreadsheet cell holds no more
# Characters XML 1.0 cannot carry (openpyxl refuses them): shown as U+FFFD in the workbook.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


def _xlsx_text(value) -> str:
    text = _NOT_IN_XML.sub("\ufffd", cell_text(value))
    if len(text) > XLSX_MAX_CHARS:
        cut = " … (cut: the CSV or JSON export has it whole)"
        text = text[: XLSX_MAX_CHARS - len(cut)] + cut
    return text


def xlsx_file(header: Iterable[str], rows: Iterable[Iterable], *, sheet: str):
    """An .xlsx workbook of one sheet in a temporary file (rewound), every cell a text cell.
    openpyxl's write-only mode keeps rows on disk, not in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title=sheet[:31])

    def text_cell(value) -> WriteOnlyCell:
        cell = WriteOnlyCell(worksheet, value=_xlsx_text(value))
        cell.data_type = "s"  # openpyxl takes a leading "=" for a formula: stored as text
        return cell

    worksheet.append([text_cell(name) for name in header])
    for row in rows:
        worksheet.append([text_cell(value) for value in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it once sent)
    try:
        book.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def table_response(
    fmt: str, header: Iterable[str], rows: Iterable[Iterable], *, filename: str
) -> HttpResponse:
    """A download of one table: `fmt` "csv" (streamed) or "xlsx"; `filename` without its
    extension, which is also the workbook's sheet name up to its first "-"."""
    if fmt == "xlsx":
        sheet = filename.split("-", 1)[0]
        return FileResponse(
            xlsx_file(header, rows, sheet=sheet),
            as_attachment=True,
            filename=f"{filename}.xlsx",
            content_type=XLSX,
        )
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def json_response(data, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
