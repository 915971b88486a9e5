"""A data file written before the later tracker fields keeps working: opening it adds the
columns, its trackers read back with the defaults, and it can be written again."""

from __future__ import annotations

import sqlite3

import requests

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from local_api.store import TRACKERS, Store
from tests.support.standalone import standalone_server

# The tracker table as the first version of the server created it (store.py before the
# later fields), with one tracker in it.
EARLIER_SCHEMA = """
CREATE TABLE trackers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    vocabulary TEXT NOT NULL,
    created_on TEXT NOT NULL,
    updated_on TEXT NOT NULL
);
INSERT INTO trackers (id, name, vocabulary, created_on, updated_on) VALUES (
    '4476908732794496', 'Promotion Mention', '["special promotion", "discount"]',
    '2021-03-04T05:06:07.890Z', '2021-03-04T05:06:07.890Z'
);
"""
EARLIER_TRACKER = {
    "id": "4476908732794496",
    "name": "Promotion Mention",
    "vocabulary": ["special promotion", "discount"],
    "description": "",
    "categories": [],
    "languages": [],
    "excludeVocabulary": [],
    "type": "custom",
    "createdOn": "2021-03-04T05:06:07.890Z",
    "updatedOn": "2021-03-04T05:06:07.890Z",
}


def _earlier_file(tmp_path):
    path = tmp_path / "management-api.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(EARLIER_SCHEMA)
    db.close()
    return path


def _columns(path) -> set[str]:
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(trackers)")}
    db.close()
    return columns


def test_opening_an_earlier_file_adds_the_later_columns(tmp_path):
    path = _earlier_file(tmp_path)
    Store(path)
    assert set(TRACKERS.columns) <= _columns(path)


def test_an_earlier_tracker_reads_back_with_the_defaults(tmp_path):
    store = Store(_earlier_file(tmp_path))
    assert store.object(TRACKERS, EARLIER_TRACKER["id"]) == EARLIER_TRACKER


def test_opening_a_migrated_file_again_changes_nothing(tmp_path):
    path = _earlier_file(tmp_path)
    Store(path)
    before = _columns(path)
    assert Store(path).objects(TRACKERS) == [EARLIER_TRACKER] and _columns(path) == before


def test_the_standalone_server_serves_and_patches_an_earlier_file(tmp_path):
    path = _earlier_file(tmp_path)
    with standalone_server(path) as url, requests.Session() as session:
        token = session.post(
            f"{url}/oauth2/token:generate",
            json={"type": "application", "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET},
            timeout=10,
        ).json()["accessToken"]
        session.headers["Authorization"] = f"Bearer {token}"
        listed = session.get(f"{url}/v1/manage/trackers", timeout=10).json()["trackers"]
        patched = session.patch(
            f"{url}/v1/manage/trackers/{EARLIER_TRACKER['id']}",
            json=[{"op": "add", "path": "/categories", "value": "sales"}],
            timeout=10,
        )
    assert listed == [EARLIER_TRACKER]
    assert patched.status_code == 200 and patched.json()["tracker"]["categories"] == ["sales"]
