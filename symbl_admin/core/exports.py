"""Shared export responses: CSV (safe to open in a spreadsheet) and JSON, as downloads."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection) by prefixing a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_unprotect(value: str) -> str:
    """Undo csv_safe when a file we exported comes back in (an import)."""
    return value[1:] if value.startswith("'") and value[1:2].startswith(FORMULA_START) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    header: list[str], rows: Iterable[Iterable], filename: str
) -> StreamingHttpResponse:
    """A streamed CSV download; every cell passes through csv_safe."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # lets spreadsheet programs detect UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(data, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
