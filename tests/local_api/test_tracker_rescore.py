"""Account trackers' detections kept current after processing (local_api/rescore.py) and a
tracker's hits (local_api/tracker_hits.py): extensions under /v1/x/, over real HTTP against
the standalone server and embedded. Inline trackers stay as processed."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import pytest
import requests

from local_api import rescore
from local_api.app import create_app
from local_api.conversation_rules import text_job
from local_api.conversation_store import ConversationStore
from local_api.jobs import JobQueue, detected, run_one
from local_api.store import open_store, renew_epochs
from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL, WSGIAdapter
from tests.local_api.conftest import Api
from tests.local_api.conversation_support import body, message, wait_for_job

WAIT_SECONDS = 30.0
TEXTS = ["Send me the price list.", "I want my money back."]


def _process(api, texts: list[str], **extra: Any) -> str:
    response = api.post(
        "/v1/process/text", json=body(messages=[message(t) for t in texts], **extra)
    )
    assert response.status_code == 201, response.text
    assert wait_for_job(api, response.json()["jobId"])["status"] == "completed"
    return response.json()["conversationId"]


def _refs(api, conversation: str, name: str) -> list[tuple[str, str, int]]:
    found = api.get(f"/v1/conversations/{conversation}/trackers-detected").json()
    return [
        (m["value"], r["text"], r["offset"])
        for t in found
        if t["name"] == name
        for m in t["matches"]
        for r in m["messageRefs"]
    ]


def _settled(api, tracker_id: str) -> dict[str, Any]:
    """The tracker's hits once no rescore of it is waiting or running."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        hits = api.get(f"/v1/x/trackers/{tracker_id}/hits").json()
        if not hits["rescoring"] or time.monotonic() > deadline:
            return hits
        time.sleep(0.1)


def _vectors(api, conversation: str) -> list[bytes]:
    with sqlite3.connect(api.data_path) as db:
        return [
            row[0]
            for row in db.execute(
                "SELECT v.vectors FROM message_vectors v JOIN conversations c "
                "ON c.seq = v.conversation_seq WHERE c.id = ? ORDER BY v.message_seq",
                (conversation,),
            )
        ]


def test_a_tracker_changed_after_processing_is_rescored_from_the_stored_vectors(api, unique):
    tracker = api.create_tracker(unique("Changing"), ["price list"])
    conversation = _process(api, TEXTS, enableAllTrackers=True)
    assert _refs(api, conversation, tracker["name"]) == [("price list", TEXTS[0], 12)]
    vectors = _vectors(api, conversation)
    changed = api.put(
        f"/v1/manage/tracker/{tracker['id']}",
        json={"name": tracker["name"], "vocabulary": ["refund"]},
    )
    assert changed.status_code == 200, changed.text
    assert not _settled(api, tracker["id"])["rescoring"]
    assert _refs(api, conversation, tracker["name"]) == [("refund", TEXTS[1], -1)]
    assert _vectors(api, conversation) == vectors  # scored again, never embedded again
    [job, *_] = api.get(f"/v1/x/trackers/{tracker['id']}/rescores").json()["rescores"]
    assert job["status"] == "completed" and job["done"] == job["total"] >= len(TEXTS)


def test_a_tracker_created_after_processing_catches_stored_conversations(api, unique):
    conversation = _process(api, TEXTS, enableAllTrackers=True)
    without_all = _process(api, TEXTS)
    tracker = api.create_tracker(unique("Late"), ["price list"])
    hits = _settled(api, tracker["id"])
    assert _refs(api, conversation, tracker["name"]) == [("price list", TEXTS[0], 12)]
    assert _refs(api, without_all, tracker["name"]) == []  # its job did not enable them
    recent = [h for h in hits["recent"] if h["conversationId"] == conversation]
    assert recent == [
        {
            "conversationId": conversation,
            "messageId": recent[0]["messageId"],
            "text": TEXTS[0],
            "phrase": "price list",
            "offset": 12,
            "score": 1.0,
        }
    ]
    assert hits["hits"] >= 1 and hits["conversations"] >= 1


def test_a_deleted_trackers_detections_are_dropped(api, unique):
    tracker = api.create_tracker(unique("Deleted"), ["price list"])
    _process(api, TEXTS, enableAllTrackers=True)
    assert _settled(api, tracker["id"])["hits"] >= 1
    rescores = f"/v1/x/trackers/{tracker['id']}/rescores"
    before = len(api.get(rescores).json()["rescores"])
    assert api.delete(f"/v1/manage/tracker/{tracker['id']}").status_code == 200
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        jobs = api.get(rescores).json()["rescores"]
        if len(jobs) > before and jobs[0]["status"] == "completed":
            break
        time.sleep(0.1)
    with sqlite3.connect(api.data_path) as db:
        left = db.execute("SELECT COUNT(*) FROM detections WHERE tracker_id = ?", (tracker["id"],))
        assert left.fetchone()[0] == 0
    assert api.get(f"/v1/x/trackers/{tracker['id']}/hits").status_code == 404


def test_inline_trackers_stay_as_processed(api, unique):
    name = unique("Inline")
    conversation = _process(
        api, TEXTS, trackers=[{"name": name, "vocabulary": ["price list"]}], enableAllTrackers=True
    )
    other = api.create_tracker(unique("Unrelated"), ["refund"])
    _settled(api, other["id"])
    assert _refs(api, conversation, name) == [("price list", TEXTS[0], 12)]


def test_hits_refuse_a_bad_limit_and_an_unknown_tracker(api, unique):
    tracker = api.create_tracker(unique("Limits"), ["price list"])
    for bad in ("0", "101", "x", "-1"):
        response = api.get(f"/v1/x/trackers/{tracker['id']}/hits", params={"limit": bad})
        assert response.status_code == 400
        assert "limit" in response.json()["message"]
    assert api.get("/v1/x/trackers/1234567890123456/hits").status_code == 404


def _without_worker(tmp_path) -> tuple[Api, ConversationStore]:
    """An embedded server without its worker (jobs run by hand) and its conversation store."""
    path = tmp_path / "api.sqlite3"
    session = requests.Session()
    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(create_app(data_path=str(path), worker=False)))
    api = Api("embedded", EMBEDDED_BASE_URL, session, path)
    api.token = api.fetch_token()
    return api, ConversationStore.of(open_store(path))


@pytest.fixture
def idle(tmp_path) -> tuple[Api, ConversationStore]:
    """A server without its worker, the rescore cursor read as a worker's first poll reads it."""
    api, conversations = _without_worker(tmp_path)
    rescore.schedule(conversations)
    return api, conversations


def test_a_job_that_read_the_trackers_before_a_change_is_rescored_after_it(idle):
    """The worker read the tracker, the tracker changed, then the job stored its messages: the
    completing job schedules a rescore, so its old-version detections do not stay."""
    api, conversations = idle
    tracker = api.create_tracker("Pricing", ["price list"])
    rescore.schedule(conversations)
    assert rescore.run_one(conversations, 60.0)  # the create's own rescore (nothing stored)
    answer, _ = conversations.create(
        text_job(body(messages=[message(t) for t in TEXTS], enableAllTrackers=True))
    )
    queue = JobQueue(conversations)
    job = queue.claim()
    messages = detected(job)  # scored with "price list"
    api.put(
        f"/v1/manage/tracker/{tracker['id']}", json={"name": "Pricing", "vocabulary": ["refund"]}
    )
    assert rescore.run_one(conversations, 60.0)  # another worker re-scores what is stored
    assert queue.complete(job, messages)
    assert _refs(api, answer["conversationId"], "Pricing") == [("price list", TEXTS[0], 12)]
    while rescore.run_one(conversations, 60.0):
        pass
    assert _refs(api, answer["conversationId"], "Pricing") == [("refund", TEXTS[1], -1)]


def test_a_change_before_the_workers_first_schedule_is_still_rescored(tmp_path):
    """The store's cursor starts when it is opened, not at the worker's first schedule: a
    tracker changed after a job completed but before the worker ever scheduled (a busy or
    starved worker thread) is re-scored, not taken for the starting point."""
    api, conversations = _without_worker(tmp_path)
    tracker = api.create_tracker("Pricing", ["price list"])
    answer, _ = conversations.create(
        text_job(body(messages=[message(t) for t in TEXTS], enableAllTrackers=True))
    )
    assert run_one(JobQueue(conversations))
    assert _refs(api, answer["conversationId"], "Pricing") == [("price list", TEXTS[0], 12)]
    api.put(
        f"/v1/manage/tracker/{tracker['id']}", json={"name": "Pricing", "vocabulary": ["refund"]}
    )
    while rescore.run_one(conversations, 60.0):  # the worker's first schedule comes only now
        pass
    assert _refs(api, answer["conversationId"], "Pricing") == [("refund", TEXTS[1], -1)]


def test_a_conversation_deleted_during_a_rescore_leaves_no_detection(idle, monkeypatch):
    api, conversations = idle
    tracker = api.create_tracker("Pricing", ["price list"])
    answer, _ = conversations.create(
        text_job(body(messages=[message(t) for t in TEXTS], enableAllTrackers=True))
    )
    assert run_one(JobQueue(conversations))
    while rescore.run_one(conversations, 60.0):
        pass
    api.put(
        f"/v1/manage/tracker/{tracker['id']}", json={"name": "Pricing", "vocabulary": ["refund"]}
    )
    scored = rescore.detection.detect

    def deleting_meanwhile(*args, **kwargs):
        found = scored(*args, **kwargs)  # the batch was read before the delete
        assert conversations.delete(answer["conversationId"])
        return found

    monkeypatch.setattr(rescore.detection, "detect", deleting_meanwhile)
    assert rescore.run_one(conversations, 60.0)
    with sqlite3.connect(api.data_path) as db:
        left = db.execute("SELECT COUNT(*) FROM detections WHERE tracker_id = ?", (tracker["id"],))
        assert left.fetchone()[0] == 0
    assert api.get(f"/v1/x/trackers/{tracker['id']}/hits").json()["hits"] == 0


def test_after_a_restore_every_trackers_detections_are_brought_up_to_date(idle):
    """A restore brings older trackers back and starts the revisions again (a new epoch): the
    feed cannot say what changed, so every tracker is re-scored, and a tracker the restored
    store lacks has its detections dropped."""
    api, conversations = idle
    kept = api.create_tracker("Pricing", ["price list"])
    gone = api.create_tracker("Refunds", ["refund"])
    conversations.create(
        text_job(body(messages=[message(t) for t in TEXTS], enableAllTrackers=True))
    )
    assert run_one(JobQueue(conversations))
    answer = conversations._read().execute("SELECT id FROM conversations").fetchone()["id"]
    assert _refs(api, answer, "Refunds") == [("refund", TEXTS[1], -1)]
    while rescore.run_one(conversations, 60.0):  # the creates' rescores: the feed is read
        pass
    with conversations.store.transaction() as db:  # what restoring an older backup amounts to
        renew_epochs(db)
        db.execute(
            "UPDATE trackers SET vocabulary = ? WHERE id = ?", ('["money back"]', kept["id"])
        )
        db.execute("DELETE FROM trackers WHERE id = ?", (gone["id"],))
    while rescore.run_one(conversations, 60.0):
        pass
    assert _refs(api, answer, "Pricing") == [("money back", TEXTS[1], len("I want my "))]
    with sqlite3.connect(api.data_path) as db:
        left = db.execute("SELECT COUNT(*) FROM detections WHERE tracker_id = ?", (gone["id"],))
        assert left.fetchone()[0] == 0


def test_trackers_created_together_are_rescored_in_one_pass(idle):
    api, conversations = idle
    conversations.create(
        text_job(body(messages=[message(t) for t in TEXTS], enableAllTrackers=True))
    )
    assert run_one(JobQueue(conversations))
    answer = conversations._read().execute("SELECT id FROM conversations").fetchone()["id"]
    made = api.post(
        "/v1/manage/trackers",
        json=[
            {"name": "Pricing", "vocabulary": ["price list"]},
            {"name": "Refunds", "vocabulary": ["refund"]},
            {"name": "Money", "vocabulary": ["money back"]},
        ],
    )
    assert made.status_code == 201, made.text
    assert rescore.run_one(conversations, 60.0)  # one claim, one pass over the messages
    statuses = [
        api.get(f"/v1/x/trackers/{t['id']}/rescores").json()["rescores"][0]["status"]
        for t in made.json()["trackers"]
    ]
    assert statuses == ["completed"] * 3
    assert _refs(api, answer, "Pricing") == [("price list", TEXTS[0], 12)]
    assert _refs(api, answer, "Refunds") == [("refund", TEXTS[1], -1)]
    assert _refs(api, answer, "Money") == [("money back", TEXTS[1], len("I want my "))]
