"""CSV separators (resources/importing.py): a file saved with semicolons (spreadsheets in many
locales), tabs (copied from a sheet) or vertical bars imports like a comma-separated one, and
the preview says which separator it read."""

from __future__ import annotations

import pytest

from resources.importing import detect_separator
from trackers.importing import parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("name;phrase\nSales;price, please\n", ";"),
        ('"id";"version";"name";"phrase"\n"#1";"v1";"A";"x, y"\n', ";"),
        ("name\tphrase\nSales\tprice, please\n", "\t"),
        ("Sales;price, please\nSales;discount, now\nSupport;help, me\n", ";"),
        ("name|phrase\nSales|price\n", "|"),
        ("Sales,price|discount|deal\n", ","),  # bars inside a cell are phrases
        ("name,phrase\nSales,price; please\n", ","),
        ("just one column\n", ","),
    ],
)
def test_the_separator_is_detected(text, separator):
    assert detect_separator(text) == separator


def test_a_semicolon_file_reads_its_trackers_not_a_tracker_named_by_the_header():
    rows = parse("name;phrase\nSales;price, please\nSales;discount\n")
    assert [(r.name, r.vocabulary) for r in rows] == [("Sales", ["price, please", "discount"])]
    assert rows.read_as == "CSV separated by semicolons"


def test_a_chosen_separator_wins_over_detection():
    rows = parse("name,phrase\nA;B,c\n", "csv", ";")
    assert rows.read_as == "CSV separated by semicolons"


def test_the_trackers_preview_names_the_semicolon(role_client):
    body = role_client("lead").post(
        "/trackers/import/",
        {"text": "name;phrase\nSales;price please\n", "format": "auto", "step": "preview"},
    )
    page = body.content.decode()
    assert "CSV separated by semicolons" in page
    assert "1 ready" in page and "name;phrase" not in page


def test_the_groups_preview_reads_a_tab_separated_file_and_says_so(role_client, api):
    text = "name\tdescription\tcriteria\nJohn\tAll of John\tconversation.metadata.agentId==john\n"
    page = (
        role_client("lead")
        .post("/groups/import/", {"text": text, "format": "auto", "step": "preview"})
        .content.decode()
    )
    assert "CSV separated by tabs" in page
    assert "1 ready" in page and "0 with problems" in page


def test_a_very_long_line_is_sniffed_in_a_moment(role_client, api):
    """csv.Sniffer's quote regex is quadratic in a line's length: a pasted 40,000-character
    line took seconds of a worker (250,000 characters: two minutes), found by fuzzing the
    conversation import's metadata CSV. Only the first 4,096 characters are sniffed now."""
    import time

    text = "x" + '{"a":' * 8000
    started = time.monotonic()
    assert detect_separator(text) in (",", ";", "\t", "|")
    assert time.monotonic() - started < 1.0
    started = time.monotonic()
    answer = role_client("lead").post("/trackers/import/", {"text": text, "format": "auto"})
    assert answer.status_code == 200
    assert time.monotonic() - started < 2.0
