"""The PostgreSQL group: a private cluster for the session (tests/support/postgres.py).

Every module here sets `pytestmark = POSTGRES`: marked `postgres` and grouped onto one xdist
worker (`--dist loadgroup` in pyproject.toml), so one cluster serves the session. Without PostgreSQL the group is skipped with a loud banner at the end of the run
(tests/conftest.py), unless SYMBL_REQUIRE_POSTGRES=1 (.ci/run sets it), which makes a missing
server an error: in CI the group always runs.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.support.postgres import PostgresCluster, PostgresUnavailable

SKIP_BANNER = "POSTGRESQL TESTS SKIPPED"
POSTGRES = [pytest.mark.postgres, pytest.mark.xdist_group("postgres")]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    try:
        cluster = PostgresCluster.start()
    except PostgresUnavailable as error:
        if os.environ.get("SYMBL_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"SYMBL_REQUIRE_POSTGRES=1 but {error}", pytrace=False)
        pytest.skip(f"{SKIP_BANNER}: {error}")
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
