"""Text jobs in the background (local_api/jobs.py): claimed once, re-picked after a worker
dies, `failed` with the reason after 3 attempts, and messages held back until done."""

from __future__ import annotations

import sqlite3
import time

import pytest
import requests

from local_api.app import create_app
from local_api.conversation_rules import text_job
from local_api.conversation_store import ConversationStore
from local_api.jobs import JobQueue, Worker, run_one, start_worker
from local_api.store import open_store
from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL, WSGIAdapter
from tests.local_api.conftest import Api, make_http_api
from tests.local_api.conversation_support import body, wait_for_job
from tests.support.standalone import standalone_server


def _queue(path) -> JobQueue:
    return JobQueue(ConversationStore.of(open_store(path)))


def _enqueue(queue: JobQueue) -> dict[str, str]:
    answer, _ = queue.conversations.create(text_job(body({"agentId": "x"})))
    return answer


def _row(path, job_id: str) -> sqlite3.Row:
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()


def test_a_job_whose_worker_died_is_picked_up_by_the_server(tmp_path):
    path = tmp_path / "api.sqlite3"
    queue = _queue(path)
    answer = _enqueue(queue)
    # A worker claims it and dies: its claim stands, its heartbeat stops.
    assert queue.claim() is not None
    assert _row(path, answer["jobId"])["status"] == "in_progress"
    env = {"SYMBL_LOCAL_API_JOB_STALE_SECONDS": "1"}
    with standalone_server(path, env=env) as url:
        api = make_http_api(url, path)
        assert wait_for_job(api, answer["jobId"]) == {"id": answer["jobId"], "status": "completed"}
        messages = api.get(f"/v1/conversations/{answer['conversationId']}/messages").json()
        api.close()
    assert len(messages["messages"]) == 3
    assert _row(path, answer["jobId"])["attempts"] == 2


def test_a_live_workers_job_is_not_taken_from_it(tmp_path, monkeypatch):
    monkeypatch.setattr("local_api.jobs.STALE_SECONDS", 60.0)
    queue = _queue(tmp_path / "api.sqlite3")
    _enqueue(queue)
    assert queue.claim() is not None
    assert queue.claim() is None


def test_three_failed_attempts_end_failed_with_the_reason(tmp_path):
    path = tmp_path / "api.sqlite3"
    queue = _queue(path)
    answer = _enqueue(queue)

    def broken(job):
        raise RuntimeError("the splitter fell over")

    statuses = []
    for _ in range(3):
        assert run_one(queue, broken)
        statuses.append(queue.status(answer["jobId"])["status"])
    assert statuses == ["scheduled", "scheduled", "failed"]
    assert queue.status(answer["jobId"]) == {
        "id": answer["jobId"],
        "status": "failed",
        # The class only: an exception's text may quote the transcript (personal data).
        "reason": "Processing failed (RuntimeError); the server's log has the details. "
        "Gave up after 3 attempts.",
    }
    assert not run_one(queue, broken)  # nothing left to run


def test_a_job_whose_workers_die_three_times_ends_failed(tmp_path, monkeypatch):
    monkeypatch.setattr("local_api.jobs.STALE_SECONDS", 0.0)
    queue = _queue(tmp_path / "api.sqlite3")
    answer = _enqueue(queue)
    for _ in range(3):
        assert queue.claim() is not None
        time.sleep(0.01)
    assert queue.claim() is None
    status = queue.status(answer["jobId"])
    assert status["status"] == "failed"
    assert "stopped answering" in status["reason"] and "3 attempts" in status["reason"]


def test_a_late_worker_cannot_finish_a_job_taken_over(tmp_path, monkeypatch):
    monkeypatch.setattr("local_api.jobs.STALE_SECONDS", 0.0)
    queue = _queue(tmp_path / "api.sqlite3")
    answer = _enqueue(queue)
    late = queue.claim()
    time.sleep(0.01)
    current = queue.claim()
    assert not queue.complete(late, [])
    assert queue.complete(current, [])
    assert queue.status(answer["jobId"])["status"] == "completed"


@pytest.fixture
def idle_api(tmp_path):
    """An embedded server without its worker thread: jobs wait until a test runs them."""
    path = tmp_path / "api.sqlite3"
    session = requests.Session()
    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(create_app(data_path=str(path), worker=False)))
    api = Api("embedded", EMBEDDED_BASE_URL, session, path)
    api.token = api.fetch_token()
    return api


def test_messages_are_404_still_being_processed_until_the_first_job_completes(idle_api):
    answer = idle_api.post("/v1/process/text", json=body()).json()
    conversation = answer["conversationId"]
    for path in ("messages", "trackers-detected", "trackers"):
        waiting = idle_api.get(f"/v1/conversations/{conversation}/{path}")
        assert waiting.status_code == 404
        assert "still being processed" in waiting.json()["message"]
    assert idle_api.get(f"/v1/job/{answer['jobId']}").json()["status"] == "scheduled"
    assert run_one(_queue(idle_api.data_path))
    assert idle_api.get(f"/v1/conversations/{conversation}/messages").status_code == 200


def test_the_job_keeps_its_trackers_for_detection(idle_api):
    trackers = [{"name": "Promotion Mention", "vocabulary": ["special promotion"]}]
    data = body(trackers=trackers, enableAllTrackers="true")
    answer = idle_api.post("/v1/process/text", json=data).json()
    job = _queue(idle_api.data_path).claim()
    assert job.id == answer["jobId"]
    kept = [{**tracker, "excludeVocabulary": []} for tracker in trackers]  # phrases to ignore too
    assert job.payload["trackers"] == kept and job.payload["enableAllTrackers"] is True


def test_a_worker_whose_store_is_down_says_so_once_and_backs_off(monkeypatch, caplog):
    monkeypatch.setattr("local_api.jobs.POLL_SECONDS", 0.01)

    class Down:
        claims = 0

        def claim(self):
            Down.claims += 1
            raise OSError("connection refused")

    worker = Worker(Down())
    with caplog.at_level("ERROR", logger="local_api.jobs"):
        worker.start()
        time.sleep(1.0)
        worker.stop()
        worker.join(timeout=5)
    # Polling every 10 ms it would have tried ~100 times; doubling waits: under 10.
    assert [r.message for r in caplog.records].count(
        "job worker: cannot reach the store; retrying"
    ) == 1
    assert Down.claims < 10


def test_a_server_built_before_a_fork_runs_jobs_in_the_child(tmp_path):
    # gunicorn with --preload builds the app in the master: threads do not survive the fork,
    # so the child starts its own worker when its first job wakes one.
    import os

    conversations = ConversationStore.of(open_store(tmp_path / "api.sqlite3"))
    waker = start_worker(conversations)
    # Only the child may run the job: the parent's thread ends before the fork.
    parent_thread = waker.ensure() if hasattr(waker, "ensure") else waker
    parent_thread.stop()
    parent_thread.join(timeout=5)
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which reports by its exit status
        answer, _ = conversations.create(text_job(body()))
        waker.wake()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if JobQueue(conversations).status(answer["jobId"])["status"] == "completed":
                os._exit(0)
            time.sleep(0.05)
        os._exit(1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_finished_job_keeps_no_copy_of_the_transcript(tmp_path):
    """Done or given up, a job's payload drops the messages (they live on as the
    conversation's messages, or nowhere): transcripts are personal data, kept once."""
    path = tmp_path / "api.sqlite3"
    queue = _queue(path)
    done, failing = _enqueue(queue), _enqueue(queue)
    assert run_one(queue)  # the first completes
    assert "messages" not in _row(path, done["jobId"])["payload"]

    def broken(job):
        raise RuntimeError("fell over on: a sentence someone said")

    for _ in range(3):
        assert run_one(queue, broken)
    row = _row(path, failing["jobId"])
    assert row["status"] == "failed" and "messages" not in row["payload"]
    assert "someone said" not in row["reason"]
