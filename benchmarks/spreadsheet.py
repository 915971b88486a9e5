"""`make bench`'s spreadsheet row: the audit log's `.xlsx` export from the measured dashboard
over HTTP, timed to its last byte (a gunicorn worker serves it whole or is killed at its
timeout), with its first byte, the rows the workbook holds and the worker's peak RSS growth.
Past EXPORT_XLSX_MAX_ROWS the dashboard refuses with a page: the row then says so, unmeasured.
"""

from __future__ import annotations

import re
import tempfile
import time
import zipfile

from benchmarks.measure import Browser
from benchmarks.report import Row
from benchmarks.stack import Server, peaks_reset, status_kb


def sheet_rows(file) -> int:
    """How many rows the workbook's sheet holds (its <row> elements, read as a stream)."""
    count, tail = 0, b""
    with zipfile.ZipFile(file) as book, book.open("xl/worksheets/sheet1.xml") as sheet:
        while chunk := sheet.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<row ")
            tail = data[-4:]  # shorter than "<row ": nothing counted twice
    return count


def audit_xlsx(server: Server, dash: Browser) -> dict:
    """GET /audit/export.xlsx once: seconds to the last and the first byte, size, rows,
    the serving worker's peak RSS growth; or the refusal page's words."""
    before = peaks_reset(server)
    started = time.perf_counter()
    response = dash.http.get(dash.base_url + "/audit/export.xlsx", stream=True, timeout=600)
    if response.status_code != 200:
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
        said = re.search(r"Nothing was exported: [^.]*\.", text)
        return {"refused": f"{response.status_code}: {said.group(0) if said else text[:200]}"}
    first = None
    with tempfile.TemporaryFile() as file:
        for chunk in response.iter_content(65536):
            first = time.perf_counter() - started if first is None else first
            file.write(chunk)
        seconds = time.perf_counter() - started
        size, rows = file.tell(), sheet_rows(file)
    peaks = {pid: status_kb(pid, "VmHWM") - before[pid] for pid in before}
    return {
        "seconds": seconds,
        "first": first,
        "bytes": size,
        "rows": rows,
        "growth": max(peaks.values()) / 1024,
    }


def row(server: Server, dash: Browser, entries: int, target: float | None) -> Row:
    """The bench row: seconds for the audit log's .xlsx export at `entries` entries."""
    got = audit_xlsx(server, dash)
    measure = f"xlsx export of {entries:,} audit entries: seconds"
    if "refused" in got:
        return Row(measure, None, target, detail=f"refused over the row cap: {got['refused']}")
    detail = (
        f"{got['rows'] - 1:,} rows, {got['bytes'] / 2**20:.1f} MB; first byte at "
        f"{got['first']:.2f} s; worker RSS growth {got['growth']:.0f} MB"
    )
    return Row(measure, got["seconds"], target, unit=" s", detail=detail)
