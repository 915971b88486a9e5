"""Local Management API server: text jobs, run in the background by a worker thread.

A job is a row of the `jobs` table in the server's own store, written in the same
transaction as its conversation (so an answered POST always has its job). A worker claims
one job at a time with the database's own locking — SQLite's BEGIN IMMEDIATE, PostgreSQL's
SELECT ... FOR UPDATE SKIP LOCKED — so any number of workers in any number of processes or
instances on one store run each job once.

A claim counts as an attempt and stamps a heartbeat, which the worker moves while it splits
the messages. A job whose heartbeat is older than STALE_SECONDS was claimed by a worker that
died (a killed process, a lost host): the next claim picks it up again. An attempt that
raises goes back to `scheduled` with its reason; after JOB_MAX_ATTEMPTS attempts (dead
workers' included) the job ends `failed` with the reason. A worker only finishes a job it
still holds (`claimed_by`), so a worker thought dead that wakes up late changes nothing.

Processing: split each message into sentences (symbl_admin.sentences, the tester's
splitter), embed each sentence once and detect the job's trackers (its inline ones, and the
account's with enableAllTrackers) with the tester's engine (detection.py), then store the
sentences, their vectors and detections together (detection_store.py).

When no text job waits, the worker runs the account trackers' rescore jobs (rescore.py).

One worker thread per server process (`start_worker`): the standalone server's gunicorn
workers, the embedded server in the dashboard's process, the image's dashboard workers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import orjson

from local_api import detection, rescore
from local_api.conversation_store import ConversationStore
from local_api.store import TRACKERS
from symbl_admin.contract import JOB_MAX_ATTEMPTS
from symbl_admin.sentences import split_sentences

logger = logging.getLogger(__name__)

STALE_SECONDS = float(os.environ.get("SYMBL_LOCAL_API_JOB_STALE_SECONDS", "60"))
POLL_SECONDS = float(os.environ.get("SYMBL_LOCAL_API_JOB_POLL_SECONDS", "0.5"))
MAX_BACKOFF_SECONDS = 30.0  # an idle worker whose store does not answer looks this rarely
DIED = "The worker processing it stopped answering (its heartbeat went stale)."


class Job:
    """A claimed job: its row, the claiming worker's token, and a heartbeat to move."""

    def __init__(self, queue: JobQueue, row: Any, token: str) -> None:
        self.queue = queue
        self.id: str = row["id"]
        self.conversation_id: str = row["conversation_id"]
        self.attempts: int = row["attempts"]
        self.payload: dict[str, Any] = orjson.loads(row["payload"])
        self.token = token
        self._beaten = time.monotonic()
        self.trackers_revision: tuple[str, int] | None = None  # read before its trackers

    def beat(self) -> None:
        """Move the heartbeat (at most every quarter of STALE_SECONDS)."""
        if time.monotonic() - self._beaten >= STALE_SECONDS / 4:
            self._beaten = time.monotonic()
            self.queue.heartbeat(self)


class JobQueue:
    """The jobs table of one store."""

    def __init__(self, conversations: ConversationStore) -> None:
        self.conversations = conversations
        self.store = conversations.store

    def status(self, job_id: str) -> dict[str, Any] | None:
        row = (
            self.store._read()
            .execute("SELECT id, status, reason FROM jobs WHERE id = ?", (job_id,))
            .fetchone()
        )
        if row is None:
            return None
        answer = {"id": row["id"], "status": row["status"]}
        if row["status"] == "failed":
            answer["reason"] = row["reason"]
        return answer

    @contextlib.contextmanager
    def _claiming(self) -> Iterator[tuple[Any, str]]:
        """A transaction to claim in, and the row lock clause its SELECT takes."""
        if self.conversations.postgres:
            db = self.store._connection()
            with db.raw.transaction():
                yield db, " FOR UPDATE SKIP LOCKED"
        else:
            with self.store.transaction() as db:  # BEGIN IMMEDIATE
                yield db, ""

    def _waiting(self, now: float) -> bool:
        row = (
            self.store._read()
            .execute(
                "SELECT 1 FROM jobs WHERE status = 'scheduled' OR "
                "(status = 'in_progress' AND heartbeat < ?) LIMIT 1",
                (now - STALE_SECONDS,),
            )
            .fetchone()
        )
        return row is not None

    def claim(self) -> Job | None:
        """The oldest job to run (scheduled, or held by a dead worker), now held by the caller;
        None when there is none. A dead worker's job out of attempts ends `failed` here."""
        while True:
            now = time.time()
            if not self._waiting(now):  # a plain read first: idle polls take no write lock
                return None
            with self._claiming() as (db, lock):
                row = db.execute(
                    "SELECT * FROM jobs WHERE status = 'scheduled' OR "  # noqa: S608
                    f"(status = 'in_progress' AND heartbeat < ?) ORDER BY seq LIMIT 1{lock}",
                    (now - STALE_SECONDS,),
                ).fetchone()
                if row is None:
                    return None
                if row["status"] == "in_progress" and row["attempts"] >= JOB_MAX_ATTEMPTS:
                    db.execute(
                        "UPDATE jobs SET status = 'failed', reason = ?, claimed_by = NULL "
                        "WHERE seq = ?",
                        (f"{DIED} Gave up after {row['attempts']} attempts.", row["seq"]),
                    )
                    continue
                token = secrets.token_hex(8)
                db.execute(
                    "UPDATE jobs SET status = 'in_progress', attempts = attempts + 1, "
                    "claimed_by = ?, claimed_at = ?, heartbeat = ?, "
                    "reason = CASE WHEN status = 'in_progress' THEN ? ELSE reason END "
                    "WHERE seq = ?",
                    (token, now, now, DIED, row["seq"]),
                )
                claimed = db.execute("SELECT * FROM jobs WHERE seq = ?", (row["seq"],)).fetchone()
            return Job(self, claimed, token)

    def heartbeat(self, job: Job) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE jobs SET heartbeat = ? WHERE id = ? AND claimed_by = ?",
                (time.time(), job.id, job.token),
            )

    def complete(self, job: Job, messages: list[dict[str, Any]]) -> bool:
        """Store the sentences and mark the job completed, in one transaction, if the caller
        still holds it. False: another worker holds it now, or it is gone."""
        with self.store.transaction() as db:
            held = db.execute(
                "SELECT 1 FROM jobs WHERE id = ? AND claimed_by = ? AND status = 'in_progress'",
                (job.id, job.token),
            ).fetchone()
            if not held:
                return False
            inline = job.payload.get("trackers") or []
            if not self.conversations.add_messages(db, job.conversation_id, messages, inline):
                db.execute(
                    "UPDATE jobs SET status = 'failed', reason = ? WHERE id = ?",
                    ("The conversation was deleted before the job ran.", job.id),
                )
                return False
            if job.payload.get("enableAllTrackers") and job.trackers_revision:
                rescore.changed_during(db, job.trackers_revision)
            db.execute(
                "UPDATE jobs SET status = 'completed', reason = '', claimed_by = NULL, "
                "payload = ? WHERE id = ?",
                (_without_messages(job), job.id),
            )
        return True

    def fail(self, job: Job, reason: str) -> None:
        """An attempt failed: back to scheduled, or `failed` after the last attempt."""
        final = job.attempts >= JOB_MAX_ATTEMPTS
        if final:
            reason = f"{reason.rstrip('.')}. Gave up after {job.attempts} attempts."
        payload = _without_messages(job) if final else orjson.dumps(job.payload).decode()
        with self.store.transaction() as db:
            db.execute(
                "UPDATE jobs SET status = ?, reason = ?, claimed_by = NULL, payload = ? "
                "WHERE id = ? AND claimed_by = ?",
                ("failed" if final else "scheduled", reason, payload, job.id, job.token),
            )


def _without_messages(job: Job) -> str:
    """The job's payload once it is done: its trackers kept, the transcript dropped (it lives
    on as the conversation's messages; a finished job need not hold it twice)."""
    return orjson.dumps({k: v for k, v in job.payload.items() if k != "messages"}).decode()


class JobError(Exception):
    """A failure whose message we wrote (safe to show): anything else is named by its class
    only, since an exception's text may quote the transcript it failed on (personal data),
    which the job's status shows to every client of the account."""


def failure_reason(error: Exception) -> str:
    if isinstance(error, JobError):
        return str(error)
    return f"Processing failed ({type(error).__name__}); the server's log has the details"


def sentences_of(job: Job) -> list[dict[str, Any]]:
    """The job's messages, one per sentence, each with its message's speaker and times."""
    found = []
    for message in job.payload["messages"]:
        for text in split_sentences(message["content"], job.beat):
            found.append(
                {
                    "text": text,
                    "from": message["from"],
                    "startTime": message["startTime"],
                    "endTime": message["endTime"],
                }
            )
    return found


def detected(job: Job) -> list[dict[str, Any]]:
    """The job's sentences, each with its stored vectors and tracker detections.

    Raises:
        ModelUnavailable: the model cannot be loaded here (the attempt fails, and is retried).
    """
    job.trackers_revision = job.queue.store.revision(TRACKERS)
    return detection.annotate(job.queue.store, job.payload, sentences_of(job), job.beat)


def run_one(queue: JobQueue, process: Callable[[Job], list[dict[str, Any]]] = detected) -> bool:
    """Claim and run one job; False when there was none."""
    job = queue.claim()
    if job is None:
        return False
    try:
        messages = process(job)
    except Exception as error:  # any failure of an attempt is recorded, never lost
        logger.exception("job %s attempt %s failed", job.id, job.attempts)
        queue.fail(job, failure_reason(error))
        return True
    queue.complete(job, messages)
    return True


class Worker(threading.Thread):
    """Runs jobs until stopped; `wake()` (after an enqueue) saves waiting for the next poll."""

    def __init__(self, queue: JobQueue) -> None:
        super().__init__(name="symbl-local-api-jobs", daemon=True)
        self.queue = queue
        self._wake = threading.Event()
        self._stopping = threading.Event()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    def run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                ran = run_one(self.queue) or rescore.run_one(
                    self.queue.conversations, STALE_SECONDS
                )
            except Exception:  # the store unreachable: say so once, then wait longer each time
                failures += 1
                if failures == 1:
                    logger.exception("job worker: cannot reach the store; retrying")
                ran = False
            else:
                if failures:
                    logger.info("job worker: the store answers again")
                failures = 0
            if not ran:
                self._wake.wait(min(POLL_SECONDS * 2 ** min(failures, 6), MAX_BACKOFF_SECONDS))
                self._wake.clear()


class ProcessWorker:
    """This process's worker for a store, started now and again in a forked child (threads do
    not survive a fork: a server built before gunicorn forks would otherwise run no jobs).
    `wake` is what an enqueue calls."""

    def __init__(self, conversations: ConversationStore) -> None:
        self._conversations = conversations
        self._lock = threading.Lock()
        self._pid = 0
        self._worker: Worker | None = None
        self.ensure()

    def ensure(self) -> Worker:
        with self._lock:
            if self._worker is None or self._pid != os.getpid() or not self._worker.is_alive():
                self._worker = Worker(JobQueue(self._conversations))
                self._worker.start()
                self._pid = os.getpid()
            return self._worker

    def wake(self) -> None:
        self.ensure().wake()


def start_worker(conversations: ConversationStore) -> ProcessWorker:
    """Start this process's worker thread for a store."""
    return ProcessWorker(conversations)
