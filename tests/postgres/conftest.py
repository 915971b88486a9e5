"""The PostgreSQL group: a private cluster for the session (tests/support/postgres.py).

Every module here sets `pytestmark = POSTGRES` (the `postgres` mark). The cluster is per
session, so under xdist each worker that runs some of these tests starts its own (about 1 s;
xdist's loadgroup would put them on one worker, but it does not group here with pytest 9, and
loadfile slows the whole suite by ~20 s).
Without PostgreSQL the group is skipped with a loud banner at the end of the run
(tests/conftest.py), unless SYMBL_REQUIRE_POSTGRES=1 (.ci/run sets it), which makes a missing
server an error: in CI the group always runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.support.postgres import PostgresCluster, start_for_tests

POSTGRES = [pytest.mark.postgres]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    cluster = start_for_tests()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def new_database(pg_cluster: PostgresCluster):
    """new_database("api") -> the URL of a fresh, empty database on the session's cluster."""

    def make(prefix: str = "t") -> str:
        return pg_cluster.create_database(f"{prefix}_{uuid.uuid4().hex[:12]}")

    return make
