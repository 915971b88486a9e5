"""Our /v1/x/conversations/{id}/groups and /jobs extensions on PostgreSQL (one standalone
server on its own database): the same answers as on SQLite."""

from __future__ import annotations

import uuid

import pytest

from tests.local_api import test_conversation_extensions as on_sqlite
from tests.local_api.conftest import make_http_api
from tests.postgres.conftest import POSTGRES
from tests.support.standalone import standalone_server

pytestmark = POSTGRES


@pytest.fixture(scope="module")
def pg_api(pg_cluster, tmp_path_factory):
    url = pg_cluster.create_database(f"convx_{uuid.uuid4().hex[:8]}")
    unused = tmp_path_factory.mktemp("api") / "unused.sqlite3"
    with standalone_server(unused, args=("--database", url)) as base:
        api = make_http_api(base, unused)
        yield api
        api.close()


def test_the_groups_that_select_a_conversation(pg_api):
    on_sqlite.test_the_groups_that_select_a_conversation(pg_api)


def test_a_conversations_jobs_newest_first(pg_api):
    on_sqlite.test_a_conversations_jobs_newest_first(pg_api)


@pytest.mark.parametrize("what", ["groups", "jobs"])
def test_an_unknown_conversation_is_a_404_naming_it(pg_api, what):
    on_sqlite.test_an_unknown_conversation_is_a_404_naming_it(pg_api, what)
