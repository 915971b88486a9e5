"""Exports stream the current filter as CSV and JSON; CSV cells cannot become formulas."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from audit.services import audit_complete_many, audit_record_many, audited
from symbl_admin.exports import csv_safe

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def big_log(ctx):
    entries = audit_record_many(
        ctx=ctx,
        action="import",
        object_type="tracker",
        items=[
            {"object_name": f"T{i}", "after": {"name": f"T{i}", "vocabulary": ["a"]}}
            for i in range(1000)
        ],
    )
    audit_complete_many(entries, outcome="success", status=200)  # 2,000 rows in all
    return entries


def test_csv_export_is_streamed(role_client, big_log):
    response = role_client("auditor").get("/audit/export.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')


def test_csv_export_of_a_2000_row_log(role_client, big_log):
    rows = list(
        csv.DictReader(
            io.StringIO(
                body(role_client("auditor").get("/audit/export.csv?object_type=tracker")).lstrip(
                    "\ufeff"
                )
            )
        )
    )
    assert len(rows) == 1000  # one merged row per object: intent + outcome
    assert (rows[0]["object_name"], rows[0]["outcome"], rows[-1]["object_name"]) == (
        "T999",
        "success",
        "T0",
    )


def test_json_export_is_a_streamed_array(role_client, big_log):
    response = role_client("auditor").get("/audit/export.json?object_type=tracker")
    assert isinstance(response, StreamingHttpResponse)
    data = json.loads(body(response))
    assert (len(data), data[0]["after"], data[0]["outcome"]) == (
        1000,
        {"name": "T999", "vocabulary": ["a"]},
        "success",
    )


def test_export_keeps_the_filter(role_client, ctx, big_log):
    with audited(ctx=ctx, action="delete", object_type="group", object_id="5", object_name="G"):
        pass
    data = json.loads(body(role_client("auditor").get("/audit/export.json?object_type=group")))
    assert [d["object_name"] for d in data] == ["G"]


def test_csv_cells_cannot_be_formulas(role_client, ctx):
    with audited(ctx=ctx, action="create", object_type="tracker", object_name="=HYPERLINK(1)"):
        pass
    url = "/audit/export.csv?object_type=tracker"
    rows = list(csv.reader(io.StringIO(body(role_client("auditor").get(url)))))
    assert "'=HYPERLINK(1)" in rows[1]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_safe_cell_prefixes_formula_starts(text):
    assert csv_safe(text) == "'" + text


def test_team_lead_may_not_export(role_client):
    assert role_client("lead").get("/audit/export.csv").status_code == 403


def test_admin_may_export(role_client):
    assert role_client("admin").get("/audit/export.json").status_code == 200


def _csv_rows(role_client) -> list[dict]:
    text = body(role_client("auditor").get("/audit/export.csv")).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_says_in_words_what_each_write_changed(role_client, api, ctx):
    from resources import services
    from trackers.resource import TRACKERS

    tracker = services.create(
        client=api, resource=TRACKERS, data={"name": "Promo", "vocabulary": ["sale now"]}, ctx=ctx
    )
    data = {**TRACKERS.editable(tracker), "description": "Deals", "vocabulary": ["coupon code"]}
    services.update(
        client=api, resource=TRACKERS, object_id=tracker.id, data=data, fingerprint="", ctx=ctx
    )
    role_client("admin").post("/accounts/logout/")  # an entry that is no write
    rows = {row["action"]: row for row in _csv_rows(role_client)}
    assert rows["update"]["what_changed"] == (
        "Description: “” → “Deals”; Phrases: + “coupon code”, − “sale now”"
    )
    assert rows["create"]["what_changed"] == "Created with 1 phrase"
    assert rows["logout"]["what_changed"] == ""
    assert list(rows["update"]).index("what_changed") < list(rows["update"]).index("before")
