"""The .xlsx exports (symbl_admin/xlsx.py through symbl_admin.exports.table_response): streamed
as the rows come, in bounded memory, and refused with a page past EXPORT_XLSX_MAX_ROWS rows,
never cut short."""

from __future__ import annotations

import io
import re
import tracemalloc

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from symbl_admin.exports import table_response

pytestmark = pytest.mark.django_db


def _audit_entries(count: int, name: str = "bounded") -> None:
    from audit.services import AuditContext, audit_record_many

    items = [{"object_id": str(i), "object_name": f"{name} {i}"} for i in range(count)]
    audit_record_many(
        ctx=AuditContext.system("x"), action="create", object_type="tracker", items=items
    )


def test_an_audit_export_past_the_cap_is_refused_with_a_page(role_client, settings):
    settings.EXPORT_XLSX_MAX_ROWS = 2
    _audit_entries(5)
    response = role_client("auditor").get("/audit/export.xlsx?action=create")
    assert response.status_code == 400
    assert "Content-Disposition" not in response  # no file at all, not a cut one
    page = response.content.decode()
    assert "5 rows match, and a spreadsheet export holds at most 2." in page  # all counted
    assert "Narrow the filters" in page
    assert 'href="/audit/export.csv?action=create"' in page  # the same rows, whole


def test_an_audit_export_at_the_cap_is_written_whole(role_client, settings):
    settings.EXPORT_XLSX_MAX_ROWS = 3
    _audit_entries(3)
    response = role_client("auditor").get("/audit/export.xlsx?action=create")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "bounded 2",
        "bounded 1",
        "bounded 0",
    ]


def test_a_tracker_export_past_the_cap_is_refused_with_a_page(role_client, api, settings):
    settings.EXPORT_XLSX_MAX_ROWS = 2
    api.trackers.create(name="Three phrases", vocabulary=["one", "two", "three"])
    response = role_client("analyst").get("/trackers/export.xlsx")
    assert response.status_code == 400
    assert "3 rows match" in response.content.decode()  # a row per phrase


def test_the_workbook_streams_before_the_last_row_is_read():
    read = []

    def rows():
        for i in range(5_000):
            read.append(i)
            yield [f"entry {i}", "x" * 50]

    request = RequestFactory().get("/audit/export.xlsx")
    response = table_response(request, "xlsx", ["a", "b"], rows(), filename="t", count=5_000)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first.startswith(b"PK") and len(read) < 1_000  # sent while rows are still unread
    data = first + b"".join(chunks)
    assert load_workbook(io.BytesIO(data)).active.max_row == 5_001


def test_the_worker_holds_a_batch_of_rows_not_the_sheet():
    # 20,000 rows of 10 cells of 100 characters: 20 MB of text, each row made as it is read.
    def rows():
        for i in range(20_000):
            yield [f"{i:>10}" + "y" * 90 for _ in range(10)]

    request = RequestFactory().get("/audit/export.xlsx")
    tracemalloc.start()
    try:
        response = table_response(request, "xlsx", ["c"] * 10, rows(), filename="t", count=20_000)
        size = sum(len(chunk) for chunk in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 0 and peak < 4 * 2**20, f"peak {peak / 2**20:.1f} MB"


def test_the_spreadsheet_links_leave_room_for_the_refusal_page(role_client):
    # A link with `download` saves whatever comes back as a file, the refusal page included;
    # Content-Disposition already makes the workbook a download.
    page = role_client("auditor").get("/audit/").content.decode()
    [link] = re.findall(r"<a [^>]*export\.xlsx[^>]*>", page)
    assert " download" not in link
