"""Conversations on PostgreSQL: two standalone servers on one database, each with its job
worker; every job is run once (FOR UPDATE SKIP LOCKED), and the contract's typed membership,
search and metadata rules hold there as on SQLite."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import psycopg
import pytest

from local_api.conversation_rules import text_job
from local_api.conversation_store import ConversationStore
from local_api.jobs import JobQueue
from local_api.store import open_store
from tests.local_api.conftest import make_http_api
from tests.local_api.conversation_support import body, ids, iso_ago, message, wait_for_job
from tests.postgres.conftest import POSTGRES
from tests.support.standalone import standalone_server

pytestmark = POSTGRES

WIDE = {"startTime": "2000-01-01T00:00:00Z", "endTime": "2100-01-01T00:00:00Z"}
JOBS = 24


@pytest.fixture(scope="module")
def two_servers(pg_cluster, tmp_path_factory):
    url = pg_cluster.create_database(f"conv_{uuid.uuid4().hex[:8]}")
    unused = tmp_path_factory.mktemp("api") / "unused.sqlite3"
    args = ("--database", url, "--workers", "2", "--threads", "4")
    with ExitStack() as stack:
        first = stack.enter_context(standalone_server(unused, args=args))
        second = stack.enter_context(standalone_server(unused, args=args))
        apis = make_http_api(first, unused), make_http_api(second, unused)
        yield url, *apis
        for api in apis:
            api.close()


def test_two_instances_run_each_job_once(two_servers):
    url, first, second = two_servers
    tag = uuid.uuid4().hex[:10]

    def post(n: int) -> dict:
        api = (first if n % 2 else second).new_session()
        return api.post("/v1/process/text", json=body({"tag": tag})).json()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(JOBS)))
    for answer in answers:
        assert wait_for_job(first, answer["jobId"])["status"] == "completed"
    with psycopg.connect(url) as conn:
        attempts = conn.execute(
            "SELECT attempts, COUNT(*) FROM jobs WHERE id = ANY(%s) GROUP BY attempts",
            ([a["jobId"] for a in answers],),
        ).fetchall()
        per_conversation = conn.execute(
            "SELECT COUNT(*) FROM messages m JOIN conversations c ON c.seq = m.conversation_seq "
            "WHERE c.id = ANY(%s) GROUP BY c.id",
            ([a["conversationId"] for a in answers],),
        ).fetchall()
    assert attempts == [(1, JOBS)]
    assert sorted(n for (n,) in per_conversation) == [3] * JOBS


def test_a_claim_skips_a_job_another_instance_holds(two_servers):
    url = two_servers[0]
    first_queue = JobQueue(ConversationStore.of(open_store(url)))
    second_queue = JobQueue(ConversationStore.of(open_store(url)))
    first_queue.conversations.create(text_job(body()))
    # Hold the row lock of the oldest waiting job as a claim in progress would.
    held = first_queue.store._connection()
    with held.raw.transaction():
        locked = held.execute(
            "SELECT id FROM jobs WHERE status = 'scheduled' ORDER BY seq LIMIT 1 FOR UPDATE"
        ).fetchone()
        other = second_queue.claim()
        assert other is None or other.id != locked["id"]


def test_typed_membership_and_search_on_postgres(two_servers):
    _, first, second = two_servers
    tag = uuid.uuid4().hex[:10]
    made = {}
    for key, value in (
        ("n", "9"),
        ("n", "12"),
        ("f", "apple"),
        ("f", "pear"),
        ("d", "2024-03-01T10:00:00+02:00"),
        ("d", "2024-03-01T09:30:00Z"),
    ):
        msg = message("Hi.", start=iso_ago(days=1), end=iso_ago(days=1, minutes=-1))
        data = body({"tag": tag, key: value}, messages=[msg])
        answer = first.post("/v1/process/text", json=data).json()
        made[value] = answer["conversationId"]
        assert wait_for_job(first, answer["jobId"])["status"] == "completed"
    own = f"conversation.metadata.tag=={tag}"
    group = second.create_group(f"Over ten {tag}", f"conversation.metadata.n=gt=10;{own}")
    assert ids(second.get(f"/v1/groups/{group['id']}/conversations", params=WIDE)) == [made["12"]]
    for rule, expected in (
        ("d=lt=2024-03-01T09:00:00Z", "2024-03-01T10:00:00+02:00"),  # 08:00Z, as an instant
        ("f=lt=banana", "apple"),
    ):
        params = {**WIDE, "filter": f"{own};conversation.metadata.{rule}"}
        assert ids(second.get("/v1/conversations", params=params)) == [made[expected]]
    found = second.get("/v1/x/conversations/search", params={"q": "APPLE"}).json()
    assert made["apple"] in [c["id"] for c in found["conversations"]]
    assert second.get("/v1/x/conversations/search", params={"q": f"%{tag}"}).json()["total"] == 0


def test_metadata_update_and_delete_on_postgres(two_servers):
    _, first, second = two_servers
    answer = first.post("/v1/process/text", json=body({"a": "1"})).json()
    conversation = answer["conversationId"]
    put = second.put(f"/v1/conversations/{conversation}", json={"metadata": {"b": "2"}})
    assert put.json() == {"id": conversation, "metadata": {"b": "2"}}
    assert first.get(f"/v1/conversations/{conversation}").json()["metadata"] == {"b": "2"}
    assert second.delete(f"/v1/conversations/{conversation}").status_code == 200
    assert first.get(f"/v1/conversations/{conversation}").status_code == 404
