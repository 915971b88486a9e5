"""What a draft tracker would catch across stored conversations (local_api/tracker_preview.py):
POST /v1/x/trackers/preview over real HTTP against the standalone server and embedded, and
the candidate pass checked against detection.detect on every message."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from local_api import candidates, detection, tracker_preview
from local_api.conversation_store import ConversationStore
from local_api.store import open_store
from symbl_admin.matching import TrackerInput
from tests.local_api.conftest import make_embedded_api
from tests.local_api.conversation_support import body, message, wait_for_job

PREVIEW = "/v1/x/trackers/preview"
WAIT_SECONDS = 30.0


def _word() -> str:
    """A made-up word no other test's sentence contains."""
    return "zq" + uuid.uuid4().hex[:8]  # noqa: S311


def _process(api, texts: list[str], **extra: Any) -> dict[str, str]:
    response = api.post(
        "/v1/process/text", json=body(messages=[message(t) for t in texts], **extra)
    )
    assert response.status_code == 201, response.text
    assert wait_for_job(api, response.json()["jobId"])["status"] == "completed"
    return response.json()


def _settled(api, tracker_id: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while api.get(f"/v1/x/trackers/{tracker_id}/hits").json()["rescoring"]:
        assert time.monotonic() < deadline, "the tracker's rescore did not finish"
        time.sleep(0.1)


def _texts(listed: dict[str, Any], conversation: str) -> list[str]:
    """The listed sentences of one conversation (the shared store holds other tests' too)."""
    return [hit["text"] for hit in listed["sentences"] if hit["conversationId"] == conversation]


def test_a_draft_catches_stored_sentences_with_their_conversation(api, unique):
    word = _word()
    said = f"Please send the {word} list today."
    made = _process(api, [said, "Nothing here."], enableAllTrackers=True, name=unique("Call"))
    _process(api, [said])  # its job did not take the account's trackers: not scanned
    found = api.post(PREVIEW, json={"vocabulary": [f"{word} list"]})
    assert found.status_code == 200, found.text
    answer = found.json()
    assert answer["comparedWith"] is None and answer["newlyCaught"] is None
    assert answer["caught"]["messages"] == 1 and answer["caught"]["conversations"] == 1
    [hit] = answer["caught"]["sentences"]
    assert hit["conversationId"] == made["conversationId"]
    assert hit["conversationName"].startswith("Call ")
    assert (hit["text"], hit["phrase"], hit["exact"], hit["offset"], hit["score"]) == (
        said,
        f"{word} list",
        True,
        16,
        1.0,
    )
    assert answer["caught"]["phrases"][0]["phrase"] == f"{word} list"
    assert answer["messages"] >= 2


def test_phrases_to_ignore_apply_to_the_draft(api):
    word = _word()
    said = [f"The {word} fee is due.", f"The {word} fee waiver is due."]
    made = _process(api, said, enableAllTrackers=True)
    found = api.post(
        PREVIEW, json={"vocabulary": [f"{word} fee"], "excludeVocabulary": ["fee waiver"]}
    ).json()
    assert _texts(found["caught"], made["conversationId"]) == [said[0]]


def test_an_edit_is_compared_with_the_saved_trackers_stored_detections(api, unique):
    old, new = _word(), _word()
    texts = [f"The {old} invoice is overdue.", f"My {new} garden has tulips.", "Unrelated."]
    tracker = api.create_tracker(unique("Edited"), [f"{old} invoice", "kept phrase"])
    made = _process(api, texts, enableAllTrackers=True)["conversationId"]
    _settled(api, tracker["id"])
    answer = api.post(
        PREVIEW,
        json={"trackerId": tracker["id"], "vocabulary": [f"{new} garden", "kept phrase"]},
    ).json()
    assert answer["comparedWith"] == "stored"
    assert _texts(answer["newlyCaught"], made) == [texts[1]]
    assert _texts(answer["noLongerCaught"], made) == [texts[0]]
    [added] = answer["newlyCaught"]["phrases"]  # the tracker is this test's: nothing else
    [removed] = answer["noLongerCaught"]["phrases"]
    assert (added["phrase"], added["status"], added["messages"]) == (f"{new} garden", "added", 1)
    assert (removed["phrase"], removed["status"]) == (f"{old} invoice", "removed")


def test_a_baseline_is_scored_as_the_draft_is(api):
    old, new = _word(), _word()
    said = [f"The {old} invoice is overdue.", f"My {new} garden has tulips."]
    made = _process(api, said, enableAllTrackers=True)["conversationId"]
    answer = api.post(
        PREVIEW,
        json={"vocabulary": [f"{new} garden"], "baseline": {"vocabulary": [f"{old} invoice"]}},
    ).json()
    assert answer["comparedWith"] == "baseline"
    assert _texts(answer["newlyCaught"], made) == [said[1]]
    assert _texts(answer["noLongerCaught"], made) == [said[0]]
    assert answer["noLongerCaught"]["phrases"][0]["status"] == "removed"


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ([], "body"),
        ({}, "vocabulary"),
        ({"vocabulary": "price"}, "vocabulary"),
        ({"vocabulary": ["p"] * 0 + [f"p{i}" for i in range(51)]}, "vocabulary"),
        ({"vocabulary": ["x" * 256]}, "vocabulary"),
        ({"vocabulary": ["a", "a"]}, "vocabulary"),
        ({"vocabulary": ["a<b"]}, "vocabulary"),
        ({"vocabulary": ["a"], "excludeVocabulary": ["a"]}, "excludeVocabulary"),
        ({"vocabulary": ["a"], "excludeVocabulary": "b"}, "excludeVocabulary"),
        ({"vocabulary": ["a"], "limit": 0}, "limit"),
        ({"vocabulary": ["a"], "limit": 21}, "limit"),
        ({"vocabulary": ["a"], "limit": True}, "limit"),
        ({"vocabulary": ["a"], "trackerId": 5}, "trackerId"),
        ({"vocabulary": ["a"], "trackerId": "x", "baseline": {"vocabulary": []}}, "baseline"),
        ({"vocabulary": ["a"], "baseline": {"vocabulary": ["b" * 256]}}, "baseline"),
        ({"vocabulary": ["a"], "name": "x"}, "name"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, bad, field):
    response = api.post(PREVIEW, json=bad)
    assert response.status_code == 400, response.text
    message_text = response.json()["message"]
    assert field in message_text or (field == "body" and "JSON object" in message_text)


def test_a_field_named_with_a_lone_surrogate_is_a_400_not_a_500(api):
    """JSON may carry "\\ud800", which is no UTF-8 text: the 400 naming it stays JSON."""
    response = api.post(
        PREVIEW,
        data=b'{"vocabulary": ["a"], "\\ud800": 1}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["message"] == '"\ud800" is not a field of a preview.'


def test_an_unknown_tracker_is_a_400_naming_the_field_not_a_missing_endpoint(api):
    response = api.post(PREVIEW, json={"vocabulary": ["a"], "trackerId": "1234567890123456"})
    assert response.status_code == 400
    assert "trackerId" in response.json()["message"]


@pytest.fixture
def own(tmp_path):
    """A server of its own (nothing else stored) with its worker."""
    return make_embedded_api(tmp_path / "api.sqlite3")


def test_a_tracker_previewed_as_saved_changes_nothing(own):
    """The preview's matching is detection's: the saved phrases, exact and contextual, catch
    what the stored detections hold, no more and no less."""
    texts = [
        "Send me the price list.",
        "I want my money back.",
        "Could I get a refund for last month, since the product never worked for us at all?",
        "The weather is lovely today.",
    ]
    tracker = own.create_tracker("Refunds", ["refund", "price list"])
    _process(own, texts, enableAllTrackers=True)
    _settled(own, tracker["id"])
    answer = own.post(
        PREVIEW, json={"trackerId": tracker["id"], "vocabulary": ["refund", "price list"]}
    ).json()
    assert answer["caught"]["messages"] == 3
    assert answer["newlyCaught"]["messages"] == answer["noLongerCaught"]["messages"] == 0
    kinds = {hit["text"]: hit["exact"] for hit in answer["caught"]["sentences"]}
    assert kinds[texts[1]] is False and kinds[texts[0]] is True


def test_the_candidate_pass_finds_what_detection_finds_on_every_message(own, monkeypatch):
    texts = [
        "Send me the price list.",
        "I want my money back.",
        "We should cancel the subscription before renewal.",
        "Is there a discount for annual billing?",
        "The weather is lovely today.",
        "Our budget for tools is small this quarter, and the rest goes to hiring people.",
        "What is the PRICE-list for 2027?",
        "The price, list and terms are attached.",
        "Prices listed here are old.",
    ]
    _process(own, texts, enableAllTrackers=True)
    engines = [
        TrackerInput("draft", "draft", ("refund", "price list", "cancel"), ("weather",)),
        TrackerInput("baseline", "baseline", ("money",), ()),
    ]
    conversations = ConversationStore.of(open_store(own.data_path))
    db = conversations._read()
    rows = db.execute(
        "SELECT v.message_seq, v.units, v.vectors, m.text FROM message_vectors v "
        "JOIN messages m ON m.seq = v.message_seq ORDER BY v.message_seq"
    ).fetchall()
    stored = [detection.from_blob(r["vectors"], r["units"]) for r in rows]
    every = detection.detect([r["text"] for r in rows], stored, engines)
    expected = {
        (m.tracker.id, r["message_seq"], m.phrase, float(m.score))
        for r, found in zip(rows, every, strict=True)
        for m in found
    }
    _, found = tracker_preview.scan(conversations._read, engines)
    got = {(e, seq, h.phrase, h.score) for e, hits in found.items() for seq, h in hits.items()}
    assert got == expected and expected
    # What rescore jobs use: per row, detection's own answer, the vectors read a few at a time.
    monkeypatch.setattr(candidates, "CHUNK", 2)
    monkeypatch.setattr(candidates, "EXACT_CHUNK", 3)
    picked = candidates.detect_rows(rows, engines)
    assert [[(m.tracker.id, m.phrase, m.score) for m in found] for found in picked] == [
        [(m.tracker.id, m.phrase, m.score) for m in found] for found in every
    ]


@pytest.mark.parametrize("extra", ["", "Die Straße ist lang."])  # ß → ss: the slow path
def test_exact_candidates_cover_every_word_for_word_match(extra):
    texts = [
        "What is the PRICE-list for 2027?",
        "The price, list and terms.",
        "Prices listed here.",
        "It\u2019s the customer\u2019s price list.",
        "Nothing.",
        *([extra] if extra else []),
    ]
    engines = [TrackerInput("d", "d", ("price list", "customer's price"), ())]
    found = candidates.exact_candidates(
        [{"text": t} for t in texts], candidates.exact_patterns(engines)
    )
    caught = candidates.matching.exact_matches(texts, engines)
    assert {i for i, m in enumerate(caught) if m} <= set(found)
    assert found == [0, 1, 3]
