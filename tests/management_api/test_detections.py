"""client.detections: a conversation's detected trackers (the contract's trackers-detected)
and our extensions (scores, a tracker's hits, the top trackers), over real HTTP against the
standalone server; against a server without /v1/x, ExtensionNotSupported."""

from __future__ import annotations

import time
import uuid

import pytest

from symbl_admin.management_api import (
    ExtensionNotSupported,
    ManagementAPIClient,
    NotFound,
    ValidationFailed,
)
from symbl_admin.management_api.conversation_types import text_message
from symbl_admin.management_api.sessions import new_session
from tests.support.standalone import standalone_server

from .fake_server import Reply

TEXTS = ["Could you send me the PRICE list, please?", "I want my money back."]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET

    path = tmp_path_factory.mktemp("api") / "api.sqlite3"
    with standalone_server(path) as url:
        session = new_session()
        yield ManagementAPIClient(url, LOCAL_APP_ID, LOCAL_APP_SECRET, session=session)
        session.close()


def _processed(client, texts, **options) -> str:
    submitted = client.conversations.process_text(
        [text_message(t) for t in texts], name=f"Call {uuid.uuid4().hex[:6]}", **options
    )
    deadline = time.monotonic() + 20
    while not client.conversations.job(submitted.job_id).done:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return submitted.conversation_id


def _settled(client, tracker_id: str):
    deadline = time.monotonic() + 30
    while (hits := client.detections.tracker_hits(tracker_id)).rescoring:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return hits


def test_a_conversations_detected_trackers_are_typed(client):
    inline = [{"name": "Refunds", "vocabulary": ["refund", "price list"]}]
    cid = _processed(client, TEXTS, trackers=inline)
    [tracker] = client.detections.of_conversation(cid)
    assert tracker.name == "Refunds" and tracker.id
    refs = {m.value: m.refs for m in tracker.matches}
    [exact], [contextual] = refs["price list"], refs["refund"]
    assert (exact.text, exact.offset, exact.exact) == (TEXTS[0], TEXTS[0].index("PRICE"), True)
    assert (contextual.offset, contextual.exact) == (-1, False)
    scores = {d.phrase: d.score for d in client.detections.scores_of(cid)}
    assert scores["price list"] == 1.0 and 0 < scores["refund"] < 1


def test_a_trackers_hits_are_typed_with_phrase_counts(client):
    tracker = client.trackers.create(
        name=f"Pricing {uuid.uuid4().hex[:6]}", vocabulary=["price list", "zebra crossing"]
    )
    cid = _processed(client, TEXTS, enable_all_trackers=True)
    hits = _settled(client, tracker.id)
    assert hits.hits >= 1 and hits.conversations >= 1 and hits.scored >= 1
    assert [(p.phrase, p.hits > 0) for p in hits.phrases] == [
        ("price list", True),
        ("zebra crossing", False),
    ]
    mine = [h for h in hits.recent if h.conversation_id == cid]
    assert [(h.text, h.phrase, h.exact, h.score) for h in mine] == [
        (TEXTS[0], "price list", True, 1.0)
    ]
    top = client.detections.top_trackers(days=7, limit=50)
    assert tracker.id in [t.id for t in top.trackers] and top.days == 7


def test_unknown_objects_are_not_found_not_unsupported(client):
    with pytest.raises(NotFound) as raised:
        client.detections.tracker_hits("1234567890123456")
    assert not isinstance(raised.value, ExtensionNotSupported)
    with pytest.raises(NotFound) as raised:
        client.detections.scores_of("1234567890123456")
    assert not isinstance(raised.value, ExtensionNotSupported)
    with pytest.raises(NotFound):
        client.detections.of_conversation("1234567890123456")


def test_bad_bounds_are_a_validation_error(client):
    with pytest.raises(ValidationFailed):
        client.detections.top_trackers(days=0)


def test_a_server_without_the_extensions_says_not_supported(make_client, fake_api):
    for path in ("/v1/x/trackers/5/hits", "/v1/x/trackers/top", "/v1/x/conversations/5/detections"):
        fake_api.on("GET", path, Reply(404, {"message": "No such path"}))
    client = make_client()
    with pytest.raises(ExtensionNotSupported):
        client.detections.tracker_hits("5")
    with pytest.raises(ExtensionNotSupported):
        client.detections.top_trackers()
    with pytest.raises(ExtensionNotSupported):
        client.detections.scores_of("5")
