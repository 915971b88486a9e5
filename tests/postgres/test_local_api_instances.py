"""Two standalone local Management API servers on one PostgreSQL database: one account, the
one-write-at-a-time rule across both, and no write lost."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import psycopg
import pytest

from local_api.store_postgres import TRACKER_WRITE_KEY
from tests.local_api.conftest import Api, make_http_api
from tests.postgres.conftest import POSTGRES
from tests.support.standalone import standalone_server

pytestmark = POSTGRES

ROUNDS = 12


@pytest.fixture(scope="module")
def two_servers(pg_cluster, tmp_path_factory):
    url = pg_cluster.create_database(f"api_{uuid.uuid4().hex[:8]}")
    unused = tmp_path_factory.mktemp("api") / "unused.sqlite3"  # --database wins over --data
    args = ("--database", url, "--workers", "1", "--threads", "8", "--write-hold-ms", "150")
    with ExitStack() as stack:
        first = stack.enter_context(standalone_server(unused, args=args))
        second = stack.enter_context(standalone_server(unused, args=args))
        yield url, make_http_api(first, unused), make_http_api(second, unused)


def _names(url: str, table: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [row[0] for row in conn.execute(f"SELECT name FROM {table} ORDER BY seq")]  # noqa: S608


def _tracker(name: str) -> dict:
    return {"name": name, "vocabulary": ["hello there"], "excludeVocabulary": ["goodbye"]}


def test_both_instances_serve_one_account(two_servers):
    _, first, second = two_servers
    created = first.create_tracker(f"Shared {uuid.uuid4().hex[:8]}")
    seen = second.get(f"/v1/manage/tracker/{created['id']}")
    token_from_first = Api("http", second.base_url, second.session, second.data_path, first.token)
    assert seen.status_code == 200 and seen.json()["tracker"]["name"] == created["name"]
    assert token_from_first.get("/v1/manage/trackers").status_code == 200


def test_the_later_fields_are_stored(two_servers):
    _, first, second = two_servers
    name = f"Later {uuid.uuid4().hex[:8]}"
    created = first.post("/v1/manage/tracker", json=_tracker(name)).json()["tracker"]
    seen = second.get(f"/v1/manage/tracker/{created['id']}").json()["tracker"]
    assert seen["excludeVocabulary"] == ["goodbye"]
    assert {"description", "categories", "languages", "type"} <= set(seen)


def test_a_tracker_write_in_flight_elsewhere_gets_429_on_both(two_servers):
    url, first, second = two_servers
    with psycopg.connect(url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (TRACKER_WRITE_KEY,))
        refused = [
            api.post("/v1/manage/tracker", json=_tracker(f"Held {uuid.uuid4().hex[:8]}"))
            for api in (first, second)
        ]
        group = first.post(
            "/v1/manage/group",
            json={"name": f"G {uuid.uuid4().hex[:8]}", "criteria": "conversation.metadata.a==b"},
        )
    # PostgreSQL frees a closed session's locks when its backend has finished exiting, which
    # a loaded machine may not have done the instant close() returns: allow it 3 s.
    deadline = time.monotonic() + 3
    while True:
        after = second.post("/v1/manage/tracker", json=_tracker(f"After {uuid.uuid4().hex[:8]}"))
        if after.status_code != 429 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert [r.status_code for r in refused] == [429, 429]
    assert group.status_code == 201  # only tracker writes take the lock
    assert after.status_code == 201  # a holder that went away released it


def test_two_simultaneous_writes_on_two_instances_one_gets_429_none_lost(two_servers):
    url, first, second = two_servers
    outcomes: list[tuple[str, int]] = []

    def write(api: Api, name: str, start: threading.Barrier) -> tuple[str, int]:
        start.wait()
        return name, api.post("/v1/manage/tracker", json=_tracker(name)).status_code

    for _ in range(ROUNDS):
        start = threading.Barrier(2, timeout=30)
        pair = [
            (first.new_session(), f"Race A {uuid.uuid4().hex[:8]}", start),
            (second.new_session(), f"Race B {uuid.uuid4().hex[:8]}", start),
        ]
        with ThreadPoolExecutor(2) as pool:
            outcomes += pool.map(lambda args: write(*args), pair)
    statuses = [status for _, status in outcomes]
    stored = set(_names(url, "trackers"))
    assert set(statuses) <= {201, 429}
    assert statuses.count(429) >= ROUNDS // 2  # held 150 ms: a simultaneous second one loses
    assert {name for name, status in outcomes if status == 201} <= stored
    assert not {name for name, status in outcomes if status == 429} & stored


def test_concurrent_group_writes_on_both_instances_all_land(two_servers):
    url, first, second = two_servers
    names = [f"Group {n} {uuid.uuid4().hex[:6]}" for n in range(20)]
    apis = [(first if n % 2 else second).new_session() for n in range(20)]

    def create(n: int) -> int:
        body = {"name": names[n], "criteria": "conversation.metadata.agentId==x"}
        return apis[n].post("/v1/manage/group", json=body).status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(create, range(20)))
    assert statuses == [201] * 20
    assert set(names) <= set(_names(url, "groups"))


def test_the_same_name_on_both_instances_at_once_is_taken_once(two_servers):
    url, first, second = two_servers
    name = f"Twin {uuid.uuid4().hex[:8]}"
    start = threading.Barrier(2, timeout=30)

    def create(api: Api) -> int:
        start.wait()
        body = {"name": name, "criteria": "conversation.metadata.agentId==x"}
        return api.post("/v1/manage/group", json=body).status_code

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(create, [first.new_session(), second.new_session()]))
    assert statuses == [201, 409]
    assert _names(url, "groups").count(name) == 1


def test_an_objects_etag_follows_a_write_made_on_the_other_instance(two_servers):
    """One object's ETag names the table's revision, which lives in the database: a 304 on
    either instance while nothing changed, a full answer once the other one wrote."""
    _, first, second = two_servers
    created = first.create_tracker(f"Tagged {uuid.uuid4().hex[:8]}")
    path = f"/v1/manage/tracker/{created['id']}"
    etag = first.get(path).headers["ETag"]
    assert second.get(path, headers={"If-None-Match": etag}).status_code == 304
    second.put(path, json={"name": created["name"], "vocabulary": ["changed here"]})
    again = first.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.json()["tracker"]["vocabulary"] == ["changed here"]


def test_a_kept_list_on_one_instance_follows_writes_on_the_other(two_servers):
    """The list's changes (GET /v1/x/manage/trackers/changes) read on one instance after writes
    on the other: the kept list always equals a full read."""
    from tests.local_api.test_list_changes import follow

    _, first, second = two_servers
    follow(second.base_url, first.base_url, steps=25)
