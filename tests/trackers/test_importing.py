import json

import pytest

from symbl_admin.management_api.types import Tracker
from trackers.importing import ImportFormatError, parse, validate_rows


def test_csv_one_phrase_per_row_groups_by_name():
    rows = parse("name,phrase\nSales,price\nSales,discount\nSupport,help me\n")
    assert [(r.name, r.vocabulary) for r in rows] == [
        ("Sales", ["price", "discount"]),
        ("Support", ["help me"]),
    ]
    assert rows[0].line == "line 2"


def test_csv_pipe_separated_phrases():
    rows = parse("name,phrases\nSales,price | discount|quote\n")
    assert rows[0].vocabulary == ["price", "discount", "quote"]


def test_csv_without_header_detects_pipes():
    rows = parse("Sales,price|discount\n")
    assert rows[0].vocabulary == ["price", "discount"]


def test_csv_row_with_one_column_is_invalid():
    rows = parse("name,phrase\nLonely\n")
    assert rows[0].errors


def test_json_bulk_format():
    rows = parse(json.dumps([{"name": "A", "vocabulary": ["x", "y"]}]))
    assert (rows[0].name, rows[0].vocabulary, rows[0].line) == ("A", ["x", "y"], "item 1")


def test_json_wrapped_in_trackers_key():
    rows = parse(json.dumps({"trackers": [{"name": "A", "vocabulary": ["x"]}]}))
    assert rows[0].name == "A"


def test_json_wrong_types_marked():
    rows = parse(json.dumps([{"name": 5, "vocabulary": "x"}]))
    assert len(rows[0].errors) == 2


def test_broken_json_says_where():
    with pytest.raises(ImportFormatError, match="line 1"):
        parse('[{"name": }]')


def test_validate_marks_taken_repeated_and_broken_rows():
    rows = parse("name,phrases\nTaken,a|b\nNew,a|b\nNew,c\nBad,why?\n")
    validate_rows(rows, [Tracker(id="1", name="Taken", vocabulary=("x",))])
    assert ["already exists" in " ".join(r.errors) for r in rows] == [True, False, False, False]
    assert "earlier in the file" in rows[2].errors[0]
    assert "“?”" in rows[3].errors[0]
    assert rows[1].valid


def test_validate_applies_account_limit_up_front():
    rows = parse("name,phrase\nA,x\nB,x\nC,x\n")
    validate_rows(rows, [Tracker(id=str(i), name=f"t{i}", vocabulary=("x",)) for i in range(498)])
    assert [r.valid for r in rows] == [True, True, False]
    assert "500" in rows[2].errors[0]


def test_csv_export_protection_is_undone_on_import():
    rows = parse("name,phrase\n'=Sales,'-minus one\nPlain,'quoted already\n")
    assert [(r.name, r.vocabulary) for r in rows] == [
        ("=Sales", ["-minus one"]),
        ("Plain", ["'quoted already"]),
    ]


def test_csv_with_the_later_fields_reads_every_column():
    text = (
        "name,phrase,description,categories,languages,phrase_to_ignore\n"
        "Sales,price,Pricing talk,sales|billing,en-US,price list\n"
        "Sales,discount,Pricing talk,sales|billing,en-US,\n"
    )
    [row] = parse(text)
    assert row.as_item() == {
        "name": "Sales",
        "vocabulary": ["price", "discount"],
        "description": "Pricing talk",
        "categories": ["sales", "billing"],
        "languages": ["en-US"],
        "excludeVocabulary": ["price list"],
    }


def test_json_with_the_later_fields_and_without_them():
    text = (
        '[{"name": "A", "vocabulary": ["x"], "description": "d", "categories": ["c"],'
        ' "languages": ["fr-FR"], "excludeVocabulary": ["y"]}, {"name": "B", "vocabulary": ["z"]}]'
    )
    first, second = parse(text)
    assert first.as_item()["excludeVocabulary"] == ["y"] and first.languages == ["fr-FR"]
    assert second.valid and second.as_item()["categories"] == []


def test_csv_export_rows_read_back_as_the_same_tracker():
    from symbl_admin.management_api.types import Tracker
    from trackers.importing import CSV_COLUMNS, csv_rows

    tracker = Tracker(
        id="1",
        name="Sales",
        vocabulary=("price", "discount", "deal"),
        description="Pricing, talk",
        categories=("sales", "billing"),
        languages=("en-US",),
        exclude_vocabulary=("price list",),
    )
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(tracker))
    [row] = parse(out.getvalue())
    assert row.as_item() == {
        k: list(v) if isinstance(v, list) else v for k, v in tracker.to_api().items()
    }


def test_csv_export_puts_each_phrase_to_ignore_on_a_row_of_its_own():
    from symbl_admin.management_api.types import Tracker
    from trackers.importing import CSV_COLUMNS, csv_rows

    tracker = Tracker(
        id="1", name="Sales", vocabulary=("price", "deal"), exclude_vocabulary=("price list",)
    )
    phrase, ignored = CSV_COLUMNS.index("phrase"), CSV_COLUMNS.index("phrase_to_ignore")
    assert [(row[phrase], row[ignored]) for row in csv_rows(tracker)] == [
        ("price", ""),
        ("deal", ""),
        ("", "price list"),
    ]


def test_csv_export_id_mark_is_taken_off_and_rows_of_one_id_form_one_tracker():
    rows = parse(
        'id,version,name,phrase\n"#5347464590213121",v1,Sales,a b\n#5347464590213121,v1,Sales,c d\n'
    )
    [row] = rows
    assert (row.object_id, row.version, row.vocabulary) == (
        "5347464590213121",
        "v1",
        ["a b", "c d"],
    )
