"""Reading conversation imports: each format into drafts, each problem named where it is."""

import json

import pytest

from conversations import importing
from conversations.import_formats import read_upload


def _read(*files, metadata=None):
    drafts, notes = read_upload(
        [(name, text.encode()) for name, text in files],
        (metadata[0], metadata[1].encode()) if metadata else None,
    )
    importing.check(drafts)
    return drafts, notes


def _message(text, speaker="Ann", **extra):
    return {"payload": {"content": text}, "from": {"name": speaker, "userId": "u1"}, **extra}


def test_json_one_body_in_the_async_api_shape():
    body = {"name": "Call", "messages": [_message("Hello.")], "metadata": {"agentId": "johndoe"}}
    drafts, _ = _read(("one.json", json.dumps(body)))
    assert [(d.name, d.metadata, d.valid) for d in drafts] == [
        ("Call", {"agentId": "johndoe"}, True)
    ]
    assert drafts[0].body()["messages"][0]["from"] == {"name": "Ann", "userId": "u1"}


def test_json_list_with_bad_items_names_each_problem():
    items = [
        {"name": "Good", "messages": [_message("Hi.")]},
        {"name": "Empty text", "messages": [_message("  ")]},
        {"name": "No speaker", "messages": [{"payload": {"content": "Hi."}}]},
        {
            "name": "Bad time",
            "messages": [_message("Hi.", duration={"startTime": "yesterday"})],
        },
        {"name": "Nested", "messages": [_message("Hi.")], "metadata": {"a": {"b": "c"}}},
        {"name": "Long", "messages": [_message("Hi.")], "metadata": {"a": "x" * 129}},
        {
            "name": "Many",
            "messages": [_message("Hi.")],
            "metadata": {str(i): "v" for i in range(51)},
        },
    ]
    drafts, _ = _read(("list.json", json.dumps(items)))
    problems = {d.name: " ".join(d.problems) for d in drafts}
    assert problems["Good"] == ""
    assert problems["Empty text"] == "message 1: the text is empty."
    assert problems["No speaker"] == "message 1: no speaker."
    assert "startTime “yesterday” is not an ISO 8601 date-time" in problems["Bad time"]
    assert "must be text, not dict" in problems["Nested"]
    assert "129 characters; the most is 128" in problems["Long"]
    assert "51 keys; the most is 50" in problems["Many"]
    assert drafts[1].where == "list.json, item 2"


def test_json_that_is_not_json_is_refused_with_its_line():
    with pytest.raises(importing.ImportRefused, match="not valid JSON"):
        _read(("x.json", '[{"name": }]'))


def test_csv_one_conversation_per_value_in_file_order_with_metadata_csv():
    text = (
        "conversation,speaker,text,startTime\n"
        "Call B,Ann,Hello.,2026-11-01T10:00:00Z\n"
        "Call A,Bob,Hi.,2026-11-01T11:00:00Z\n"
        "Call B,Bob,Yes.,2026-11-01T10:00:05Z\n"
    )
    meta = "conversation,key,value\nCall B,agentId,johndoe\nCall Z,agentId,x\n"
    drafts, notes = _read(("calls.csv", text), metadata=("meta.csv", meta))
    assert [(d.name, len(d.messages), d.where) for d in drafts] == [
        ("Call B", 2, "calls.csv lines 2–4"),
        ("Call A", 1, "calls.csv line 3"),
    ]
    assert drafts[0].metadata == {"agentId": "johndoe"}
    assert drafts[0].body()["messages"][0]["duration"]["startTime"] == "2026-11-01T10:00:00Z"
    assert notes == ["meta.csv: no conversation named “Call Z” in this import."]


def test_csv_semicolons_are_detected_and_bad_rows_named_by_line():
    text = (
        "conversation;speaker;text;startTime\nC;Ann;Hello, you.;\nC;;Hi.;\nD;Bob;;\nE;Eve;x;noon\n"
    )
    drafts, _ = _read(("calls.csv", text))
    assert drafts[0].body()["messages"][0]["payload"]["content"] == "Hello, you."
    assert drafts[0].problems == ["line 3: no speaker."]
    assert drafts[1].problems == ["line 4: the text is empty."]
    assert drafts[2].problems == ["line 5: startTime “noon” is not an ISO 8601 date-time."]


def test_csv_without_header_reads_columns_in_order():
    drafts, _ = _read(("calls.csv", "C,Ann,Hello.\nC,Bob,Hi.\n"))
    assert [m["from"]["name"] for m in drafts[0].body()["messages"]] == ["Ann", "Bob"]


def test_txt_files_one_conversation_each_named_after_the_file():
    drafts, _ = _read(
        ("Call with Acme.txt", "Ann: Hello there.\n\nBob: Hi: glad to talk.\n"),
        ("broken.txt", "Ann: fine\njust words without a speaker\nBob:\n"),
    )
    assert drafts[0].name == "Call with Acme"
    assert [m["payload"]["content"] for m in drafts[0].body()["messages"]] == [
        "Hello there.",
        "Hi: glad to talk.",
    ]
    assert drafts[0].valid
    assert drafts[1].problems == [
        "line 2: no speaker (write “Name: text”).",
        "line 3: the text is empty.",
    ]


def test_a_name_used_twice_is_a_problem_of_the_second():
    drafts, _ = _read(("a.csv", "C,Ann,Hi.\n"), ("C.txt", "Ann: Hi.\n"))
    assert drafts[0].valid
    assert "used earlier, in a.csv line 1" in drafts[1].problems[0]


def test_over_a_thousand_conversations_is_refused():
    rows = "".join(f"C{i},Ann,Hi.\n" for i in range(importing.MAX_CONVERSATIONS + 1))
    drafts, _ = _read(("many.csv", rows))
    with pytest.raises(
        importing.ImportRefused, match="1,001 conversations; one import takes at most 1,000"
    ):
        importing.check_bounds(drafts)


def test_over_five_megabytes_is_refused_before_reading():
    with pytest.raises(importing.ImportRefused, match="5 MB"):
        _read(("big.txt", "Ann: " + "x" * importing.MAX_IMPORT_BYTES))


def test_a_conversation_over_the_servers_body_limit_is_a_problem():
    drafts, _ = _read(("long.txt", "Ann: " + "word " * 250_000))
    assert "the server takes at most 1 MB" in drafts[0].problems[0]


def test_not_utf8_and_unknown_kinds_are_refused_clearly():
    with pytest.raises(importing.ImportRefused, match="not UTF-8"):
        read_upload([("a.txt", b"\xff\xfe\x00A")])
    with pytest.raises(importing.ImportRefused, match="only .json, .csv and .txt"):
        read_upload([("a.docx", b"PK")])
