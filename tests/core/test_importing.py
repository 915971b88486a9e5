"""resources.importing: reading bulk files, JSON lists and CSV records, for any resource.

What a feature makes of the records (trackers' rows, groups' rows) is tested with the feature.
"""

from __future__ import annotations

import json

import pytest

from resources.importing import ImportFormatError, csv_records, detect_format, json_items

EXAMPLE = '[{"name": "...", "vocabulary": ["..."]}]'


@pytest.mark.parametrize(
    ("text", "expected"),
    [("[1]", "json"), ('  \n{"a": 1}', "json"), ("name,phrase\n", "csv"), ("", "csv")],
)
def test_detect_format_by_the_first_character(text, expected):
    assert detect_format(text) == expected


def test_json_items_reads_a_bare_list():
    assert json_items('[{"name": "A"}, 2]', key="trackers", example=EXAMPLE) == [{"name": "A"}, 2]


def test_json_items_unwraps_the_apis_answer_shape():
    text = json.dumps({"groups": [{"name": "G"}], "other": 1})
    assert json_items(text, key="groups", example=EXAMPLE) == [{"name": "G"}]


def test_json_items_refuses_an_object_without_the_key_and_shows_the_example():
    with pytest.raises(ImportFormatError) as caught:
        json_items('{"items": []}', key="trackers", example=EXAMPLE)
    assert str(caught.value) == f"JSON must be a list of trackers: {EXAMPLE}."


def test_json_items_names_the_line_of_broken_json():
    with pytest.raises(ImportFormatError) as caught:
        json_items('[\n{"name": }]', key="trackers", example=EXAMPLE)
    assert str(caught.value).startswith("This is not valid JSON (line 2: ")


def test_csv_records_skip_blank_records():
    assert csv_records("a,b\n\n , \nc,d\n") == [["a", "b"], ["c", "d"]]


def test_csv_records_undo_the_exports_formula_protection():
    assert csv_records("'=SUM(A1),'-x,'plain\n") == [["=SUM(A1)", "-x", "'plain"]]


def test_csv_records_of_nothing_is_an_error():
    with pytest.raises(ImportFormatError, match="^There is nothing to import.$"):
        csv_records("\n  \n,\n")


def test_unreadable_csv_is_an_error_that_says_so():
    with pytest.raises(ImportFormatError) as caught:
        csv_records("name," + "x" * 200_000 + "\n")  # over the csv module's field limit
    assert (
        str(caught.value) == "This CSV could not be read: field larger than field limit (131072)."
    )
