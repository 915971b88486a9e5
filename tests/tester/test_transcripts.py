"""Splitting a transcript into sentences (tester/transcripts.py)."""

import io

import pytest

from tester.transcripts import MAX_CHARS, TranscriptError, read_upload, sentences, turns


def test_plain_text_splits_into_sentences():
    found = sentences("Hello there. How much does it cost? Please leave a message!")
    assert [s.text for s in found] == [
        "Hello there.",
        "How much does it cost?",
        "Please leave a message!",
    ]


def test_abbreviations_and_decimals_stay_whole():
    found = sentences("Mr. Smith said it is 10.5 dollars. That is fine.")
    assert [s.text for s in found] == ["Mr. Smith said it is 10.5 dollars.", "That is fine."]


def test_a_wrapped_line_inside_a_paragraph_joins_the_sentence():
    found = sentences("We have a sale\nright now.\n\nNew paragraph here.")
    assert [s.text for s in found] == ["We have a sale right now.", "New paragraph here."]


def test_speaker_lines_keep_the_speaker_per_sentence():
    found = sentences("Alice: Hi. What is the price?\nBob Jones: It is ten dollars.")
    assert [(s.speaker, s.text) for s in found] == [
        ("Alice", "Hi."),
        ("Alice", "What is the price?"),
        ("Bob Jones", "It is ten dollars."),
    ]


def test_a_line_without_speaker_continues_the_turn():
    assert turns("Agent: Thanks for calling\nabout the offer.\nCaller: Sure.") == [
        ("Agent", "Thanks for calling about the offer."),
        ("Caller", "Sure."),
    ]


def test_one_colon_line_in_plain_text_is_not_a_speaker():
    text = "Note: the call starts late.\nWe talked about prices.\nThen we said goodbye."
    assert {s.speaker for s in sentences(text)} == {""}


def test_indexes_run_in_order():
    assert [s.index for s in sentences("A: One. Two.\nB: Three.")] == [0, 1, 2]


def test_empty_transcript_is_refused():
    with pytest.raises(TranscriptError, match="Paste or upload"):
        sentences("   \n  ")


def test_too_long_transcript_is_refused():
    with pytest.raises(TranscriptError, match="characters long"):
        sentences("a" * (MAX_CHARS + 1))


class Upload(io.BytesIO):
    @property
    def size(self):
        return len(self.getvalue())


def test_upload_reads_utf8_with_bom():
    assert read_upload(Upload("\ufeffAlice: Hi.".encode())) == "Alice: Hi."


def test_upload_that_is_not_text_is_refused():
    with pytest.raises(TranscriptError, match="not UTF-8"):
        read_upload(Upload(b"\xff\xfe\x00\x81"))
