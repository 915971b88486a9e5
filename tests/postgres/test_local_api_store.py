"""The local Management API on its PostgreSQL store, in-process (store_postgres.py): the same
contract as on SQLite, an earlier schema gains the later columns, what PostgreSQL cannot hold."""

from __future__ import annotations

import psycopg
import pytest
import requests

from local_api.app import create_app
from local_api.store import TRACKERS, open_store
from local_api.store_postgres import PostgresStore
from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL, WSGIAdapter
from tests.local_api.conftest import Api
from tests.local_api.test_listing_snapshot import check_listing_follows_every_write
from tests.postgres.conftest import POSTGRES

pytestmark = POSTGRES

CRITERIA = "conversation.metadata.agentId==johndoe"


@pytest.fixture
def pg_api(new_database, tmp_path):
    url = new_database("store")
    session = requests.Session()
    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(create_app(data_path=url)))
    api = Api("embedded", EMBEDDED_BASE_URL, session, tmp_path)
    api.token = api.fetch_token()
    api.url = url
    return api


def test_open_store_picks_postgresql_for_a_url(new_database):
    assert isinstance(open_store(new_database("pick")), PostgresStore)


def test_a_tracker_goes_through_its_whole_life(pg_api):
    body = {"name": "Leads", "vocabulary": ["I need", "quotes"], "excludeVocabulary": ["no"]}
    created = pg_api.post("/v1/manage/tracker", json=body).json()["tracker"]
    path = f"/v1/manage/tracker/{created['id']}"
    put = pg_api.put(path, json={"name": "Leads 2", "vocabulary": ["quotes"]})
    patched = pg_api.patch(path, json=[{"op": "add", "path": "/vocabulary/-", "value": "deals"}])
    listed = pg_api.get("/v1/manage/trackers").json()["trackers"]
    deleted = pg_api.delete(path)
    assert created["excludeVocabulary"] == ["no"]
    assert put.status_code == 200 and put.json()["tracker"]["name"] == "Leads 2"
    assert patched.status_code == 200, patched.text
    assert patched.json()["tracker"]["vocabulary"] == ["quotes", "deals"]
    assert [t["name"] for t in listed] == ["Leads 2"]
    assert deleted.status_code == 200 and pg_api.get(path).status_code == 404


def test_names_are_case_sensitive_and_unique(pg_api):
    pg_api.create_group("Sales")
    assert (
        pg_api.post("/v1/manage/group", json={"name": "sales", "criteria": CRITERIA}).status_code
        == 201
    )
    assert (
        pg_api.post("/v1/manage/group", json={"name": "Sales", "criteria": CRITERIA}).status_code
        == 409
    )


def test_objects_keep_creation_order_and_unicode(pg_api):
    names = ["Ünïcode", "Zeta", "Alpha", "हिन्दी"]
    for name in names:
        pg_api.create_group(name)
    listed = pg_api.get("/v1/manage/groups").json()["groups"]
    assert [g["name"] for g in listed] == names


def test_a_nul_character_is_refused_not_a_server_error(pg_api):
    response = pg_api.post("/v1/manage/tracker", json={"name": "a\x00b", "vocabulary": ["x"]})
    assert response.status_code == 400
    assert "U+0000" in response.json()["message"]


def test_an_earlier_schema_gains_the_later_columns(new_database):
    url = new_database("earlier")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE trackers (seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
            "name TEXT NOT NULL UNIQUE, vocabulary TEXT NOT NULL, created_on TEXT NOT NULL, "
            "updated_on TEXT NOT NULL)"
        )
        conn.execute(
            "INSERT INTO trackers (id, name, vocabulary, created_on, updated_on) VALUES "
            "('1000000000000001', 'Old', '[\"hi\"]', '2026-01-01T00:00:00.000Z', "
            "'2026-01-01T00:00:00.000Z')"
        )
    (old,) = open_store(url).objects(TRACKERS)
    assert old["name"] == "Old" and old["vocabulary"] == ["hi"]
    assert (old["description"], old["excludeVocabulary"], old["type"]) == ("", [], "custom")


def test_the_embedded_server_uses_symbl_local_api_database_url(settings, new_database):
    from local_api.embedded import wsgi_app

    settings.SYMBL_LOCAL_API_DATABASE_URL = new_database("embedded")
    assert isinstance(wsgi_app().app.store, PostgresStore)


def test_listing_follows_every_write_on_postgresql(new_database):
    check_listing_follows_every_write(new_database("listing"))
