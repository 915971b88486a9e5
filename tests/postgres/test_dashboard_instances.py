"""Two dashboard instances (separate gunicorn processes, each its own var/) on one PostgreSQL
database and one standalone Management API: what they must share, they share."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.postgres.conftest import POSTGRES
from tests.support.dashboard import (
    DashboardServer,
    DashboardUser,
    dashboard_server,
    django_env,
    manage,
)
from tests.support.standalone import standalone_server

pytestmark = POSTGRES

PASSWORD = "Instances-test-Pw-2026!"
CREDENTIALS = {"SYMBL_APP_ID": "instances-test", "SYMBL_APP_SECRET": "instances-test-secret"}
SAVES = 20


@dataclass
class Deployment:
    database_url: str
    api_data: Path
    a: DashboardServer
    b: DashboardServer
    analyst_a: DashboardUser
    analyst_b: DashboardUser

    def api_tokens_issued(self) -> int:
        with sqlite3.connect(self.api_data) as db:
            return db.execute("SELECT COUNT(*) FROM tokens").fetchone()[0]

    def api_tracker_names(self) -> set[str]:
        with sqlite3.connect(self.api_data) as db:
            return {row[0] for row in db.execute("SELECT name FROM trackers")}


@pytest.fixture(scope="module")
def deployment(pg_cluster, tmp_path_factory):
    root = tmp_path_factory.mktemp("instances")
    url = pg_cluster.create_database(f"instances_{uuid.uuid4().hex[:8]}")
    api_data = root / "api.sqlite3"
    with ExitStack() as stack:
        api_url = stack.enter_context(
            standalone_server(
                api_data,
                env=CREDENTIALS,
                # Each tracker write holds the server's lock 100 ms: overlapping writes would 429.
                args=("--workers", "2", "--threads", "4", "--write-hold-ms", "100"),
            )
        )
        env_a = django_env(
            url, root / "host-a", SYMBL_API_BASE_URL=api_url, DEMO_PASSWORD=PASSWORD, **CREDENTIALS
        )
        env_b = django_env(
            url, root / "host-b", SYMBL_API_BASE_URL=api_url, DEMO_PASSWORD=PASSWORD, **CREDENTIALS
        )
        manage(env_a, "migrate", "--noinput", "-v", "0")  # once per release, from one host
        manage(env_a, "create_demo_users")
        a = stack.enter_context(dashboard_server(env_a))
        b = stack.enter_context(dashboard_server(env_b))
        analyst_a, analyst_b = DashboardUser(a.url), DashboardUser(b.url)
        assert analyst_a.sign_in("analyst", PASSWORD).status_code == 302
        assert analyst_b.sign_in("analyst", PASSWORD).status_code == 302
        yield Deployment(url, api_data, a, b, analyst_a, analyst_b)


@pytest.fixture(scope="module")
def token_step(deployment):
    """One page on A, then one on B: the token A fetched is in the shared cache for B."""
    first = deployment.analyst_a.get("/trackers/").status_code
    second = deployment.analyst_b.get("/trackers/").status_code
    return first, second, deployment.api_tokens_issued()


@pytest.fixture(scope="module")
def parallel_saves(deployment, token_step):
    """SAVES tracker saves at once, alternating between the instances."""
    names = [f"Parallel {n} {uuid.uuid4().hex[:6]}" for n in range(SAVES)]
    start = threading.Barrier(SAVES, timeout=30)

    def save(n: int):
        signed_in = deployment.analyst_a if n % 2 else deployment.analyst_b
        user = signed_in.on(signed_in.base_url)  # its own connection, the same session
        start.wait()
        return user.post_form("/trackers/new/", {"name": names[n], "phrases": "hello there"})

    with ThreadPoolExecutor(SAVES) as pool:
        responses = list(pool.map(save, range(SAVES)))
    return names, responses


def test_a_token_fetched_by_one_instance_is_reused_by_the_other(token_step):
    assert token_step == (200, 200, 1)


def test_a_session_started_on_one_instance_is_valid_on_the_other(deployment):
    signed_in_on_a = deployment.analyst_a.on(deployment.b.url)  # A's session cookie, sent to B
    assert signed_in_on_a.get("/trackers/").status_code == 200


def test_parallel_saves_across_instances_all_succeed(deployment, parallel_saves):
    names, responses = parallel_saves
    assert [r.status_code for r in responses] == [302] * SAVES
    assert all(r.headers["Location"].startswith("/trackers/") for r in responses)
    assert set(names) <= deployment.api_tracker_names()


def test_the_server_never_saw_two_tracker_writes_in_flight(deployment, parallel_saves):
    # A 429 would show as a retried call (tries > 1) or a failed one in the client's log.
    calls = deployment.a.management_api_calls() + deployment.b.management_api_calls()
    writes = [c for c in calls if c["method"] == "POST" and c["path"] == "/v1/manage/tracker"]
    assert len(writes) == SAVES
    assert {(c["status"], c["tries"]) for c in writes} == {(201, 1)}


def test_the_audit_chain_verifies_after_concurrent_writes(deployment, parallel_saves):
    env = django_env(deployment.database_url, deployment.api_data.parent / "verify")
    verified = manage(env, "verify_audit", "--no-checkpoint", check=False)
    with psycopg.connect(deployment.database_url) as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM audit_auditentry ORDER BY seq")]
        creates = conn.execute(
            "SELECT COUNT(*) FROM audit_auditentry WHERE action = 'create' AND outcome = 'success'"
        ).fetchone()[0]
    assert verified.returncode == 0, verified.stderr
    assert seqs == list(range(1, len(seqs) + 1))
    assert creates >= SAVES


def test_failed_sign_ins_count_across_instances(deployment):
    on_a, on_b = DashboardUser(deployment.a.url), DashboardUser(deployment.b.url)
    for user in (on_a, on_b, on_a, on_b, on_a):  # 5 failures, split over both instances
        assert user.sign_in("auditor", "wrong password").status_code == 200
    refused = on_b.sign_in("auditor", PASSWORD)  # both from 127.0.0.1: one (username, address)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.text
