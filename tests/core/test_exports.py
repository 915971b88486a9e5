"""Exports (resources/exports.py): every CSV cell quoted, a formula start neutralised
and undone again on import, so what is exported imports back equal; the .xlsx beside each CSV
stores every cell as text, so nothing in it runs as a formula."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from symbl_admin.exports import csv_lines, csv_safe, csv_unprotect, xlsx_chunks

pytestmark = pytest.mark.django_db

SEMICOLONS = "Anna;=cmd|' /C calc'!A0;x"
TRACKER = {
    "name": '-Minus; promo, "quoted"',
    "vocabulary": ["-1 discount today", "'-quoted minus", "'plain quote", "plain"],
    "description": "=cmd|' /C calc'!A0",
    "excludeVocabulary": ["-5 percent off", "'-1"],
}
GROUP = {
    "name": "-Calls from x",
    "description": "@SUM(1+1)",
    "criteria": "conversation.metadata.agentId=in=(x,-1)",
}
EXPORTS = ["/trackers/export.xlsx", "/groups/export.xlsx", "/audit/export.xlsx"]


def _text(response) -> str:
    content = getattr(response, "streaming_content", None)
    data = b"".join(content) if content is not None else response.content
    return data.decode("utf-8-sig")


STARTS = st.sampled_from(["", "'", "''", "=", "'=", "-", "'-", "+", "@", "\t", "\r", "a"])


@given(STARTS, STARTS, st.text())
def test_undoing_the_neutralisation_gives_back_any_text(first, second, rest):
    text = first + second + rest  # the starts that matter, and anything after them
    assert csv_unprotect(csv_safe(text)) == text


def test_a_cell_with_semicolons_and_a_formula_comes_out_quoted():
    text = "".join(csv_lines(["name"], [[SEMICOLONS], ["=1+1"], [None]]))
    assert text.splitlines() == ['\ufeff"name"', f'"{SEMICOLONS}"', '"\'=1+1"', '""']


def test_a_failed_sign_in_name_is_quoted_in_the_audit_export(client, role_client):
    client.post("/accounts/login/", {"username": SEMICOLONS, "password": "wrong-password"})
    text = _text(role_client("auditor").get("/audit/export.csv"))
    assert f'"{SEMICOLONS}"' in text
    lines = text.splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in lines)


def _import(client, plural: str, text: str) -> str:
    preview = client.post(
        f"/{plural}/import/", {"text": text, "format": "csv", "step": "preview"}
    ).content.decode()
    assert "0 with problems" in preview, preview
    payload = html.unescape(re.search(r'name="payload" value="([^"]*)"', preview).group(1))
    done = client.post(
        f"/{plural}/import/",
        {"step": "run", "payload": payload, "total": str(len(json.loads(payload)))},
    ).content.decode()
    return done


def test_a_tracker_export_imports_back_equal(role_client, api):
    created = api.trackers.create(**TRACKER)
    admin = role_client("admin")
    exported = _text(admin.get("/trackers/export.csv"))
    api.trackers.delete(created.id)
    assert "1 created" in _import(admin, "trackers", exported)
    [again] = api.trackers.list()
    assert again.to_api() == created.to_api()


def test_a_group_export_imports_back_equal(role_client, api):
    created = api.groups.create(**GROUP)
    admin = role_client("admin")
    exported = _text(admin.get("/groups/export.csv"))
    assert GROUP["criteria"] in exported  # a comma and a minus inside, quoted whole
    api.groups.delete(created.id)
    assert "1 created" in _import(admin, "groups", exported)
    [again] = api.groups.list()
    assert again.to_api() == created.to_api()


def _sheet(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert re.search(r'filename="[\w-]+\.xlsx"', response["Content-Disposition"])
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    cells = re.findall(r"<c [^>]*>", sheet_xml)
    assert cells and all('t="inlineStr"' in cell for cell in cells)  # every one a text cell
    return load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("path", EXPORTS)
def test_every_xlsx_cell_is_text(role_client, api, path):
    api.trackers.create(**TRACKER)
    api.groups.create(**GROUP)
    role_client("admin").post("/accounts/logout/")  # an audit row, whatever else is there
    sheet = _sheet(role_client("auditor").get(path))
    # openpyxl reads an empty text cell back as None; every other one is a string
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert sheet.max_row >= 2
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_a_formula_looking_value_is_stored_as_text(role_client, api):
    api.trackers.create(**TRACKER)
    sheet = _sheet(role_client("analyst").get("/trackers/export.xlsx"))
    values = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    assert values["=cmd|' /C calc'!A0"] == "s"  # as it is: no quote, and not a formula
    assert values["-1 discount today"] == "s"


def test_the_quality_export_has_a_workbook_too(role_client, api):
    api.trackers.create(name="=Twice", vocabulary=["same phrase", "same phrase "])
    sheet = _sheet(role_client("analyst").get("/review/quality/export.xlsx"))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("kind", "object_type")
    with_csv = list(
        csv.reader(io.StringIO(_text(role_client("analyst").get("/review/quality/export.csv"))))
    )
    assert [[csv_unprotect(c) for c in row] for row in with_csv] == [
        [value or "" for value in row] for row in rows
    ]


def test_a_control_character_is_shown_not_refused(role_client):
    from audit.services import AuditContext, audited

    ctx = AuditContext.system("x")
    with audited(ctx=ctx, action="create", object_type="tracker", object_name="a\x01b"):
        pass
    sheet = _sheet(role_client("auditor").get("/audit/export.xlsx"))
    names = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "a\ufffdb" in names


def test_a_cell_longer_than_a_spreadsheet_holds_is_cut_and_says_so():
    book = load_workbook(
        io.BytesIO(b"".join(xlsx_chunks(["after"], [["x" * 40_000]], sheet="audit")))
    )
    value = book.active["A2"].value
    assert len(value) == 32_767 and value.endswith("the CSV or JSON export has it whole)")
