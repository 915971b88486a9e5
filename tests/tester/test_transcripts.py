"""Splitting a transcript into sentences (tester/transcripts.py)."""

import io
import json
import random
from pathlib import Path

import pytest

from symbl_admin.sentences import split_sentences
from tester.transcripts import (
    MAX_CHARS,
    PIECE_CHARS,
    TranscriptError,
    read_upload,
    sentences,
    turns,
)


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


# Bounded splitting: pysbd's time grows with the square of what it is handed, so it is never
# handed more than PIECE_CHARS, and ordinary text splits exactly as pysbd splits it whole.


@pytest.fixture
def handed(monkeypatch):
    """The length of every piece pysbd is handed."""
    from symbl_admin import sentences as transcripts

    lengths: list[int] = []
    segment = transcripts._segment

    def recording(piece: str) -> list[str]:
        lengths.append(len(piece))
        return segment(piece)

    monkeypatch.setattr(transcripts, "_segment", recording)
    return lengths


@pytest.mark.parametrize(
    "text",
    [
        "e.g. " * (MAX_CHARS // 5),  # abbreviation-dense: one sentence as far as pysbd sees
        ("We have a sale on. Mr. Smith paid 10.5 dollars! " * 5_000)[:MAX_CHARS],
        "x" * MAX_CHARS,  # no whitespace at all
    ],
    ids=["abbreviations", "ordinary", "one-word"],
)
def test_pysbd_is_never_handed_more_than_a_piece(handed, text):
    found = split_sentences(
        text
    )  # one turn of MAX_CHARS (sentences() would refuse the ordinary one's count)
    assert max(handed) <= PIECE_CHARS
    assert sum(handed) < 2.5 * len(text)  # each piece moves on by at least a quarter
    assert "".join(found).replace(" ", "") == text.replace(" ", "")


def _whole(text: str) -> list[str]:
    """pysbd on the whole text at once, as the tester split before pieces."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    return [s.strip() for s in segmenter.segment(text) if s.strip()]


def _ordinary_sentences() -> list[str]:
    labelled = json.loads((Path(__file__).parent / "calibration.json").read_text())
    return [s["text"] for s in labelled["sentences"]] + [
        "Mr. Smith said it is 10.5 dollars.",
        "Dr. Jones arrived at 3 p.m. on Friday.",
        "We met e.g. at the U.S. office, i.e. the one in St. Louis.",
        "Really?",
        "The price is $1,200.50 per year, Mrs. Brown.",
        'He said "yes." Then he left.',
        "See section 4.2 (page 7) for details.",
    ]


def test_a_long_paragraph_splits_as_pysbd_splits_it_whole():
    rng = random.Random(7)
    pool = _ordinary_sentences()
    text = " ".join(rng.choice(pool) for _ in range(250))  # about 15,000 characters
    assert len(text) > 5 * PIECE_CHARS
    assert [s.text for s in sentences(text)] == _whole(text)


def test_a_normal_transcript_splits_as_before():
    rng = random.Random(11)
    pool = _ordinary_sentences()
    lines = [
        f"{'Agent' if i % 2 else 'Caller'}: "
        + " ".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))
        for i in range(60)
    ]
    expected = [(speaker, s) for speaker, body in turns("\n".join(lines)) for s in _whole(body)]
    found = sentences("\n".join(lines))
    assert [(s.speaker, s.text) for s in found] == expected


def test_threads_splitting_at_once_each_get_all_their_sentences():
    """The job worker and a tester request split in two threads of one process: a pysbd
    Segmenter shared by both looked for one text's sentences in the other's and dropped them."""
    import threading

    from symbl_admin.sentences import split_sentences

    texts = [
        " ".join(
            f"Thread {t} says sentence number {i} about Mr. Smith's refund." for i in range(40)
        )
        for t in range(4)
    ]
    expected = [split_sentences(text) for text in texts]
    found: dict[int, list[list[str]]] = {t: [] for t in range(4)}

    def work(t: int) -> None:
        for _ in range(15):
            found[t].append(split_sentences(texts[t]))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for t in range(4):
        assert all(result == expected[t] for result in found[t]), t
