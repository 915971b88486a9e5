"""The server keeps each list answer encoded until the next write (store.Store.listing): a
second instance on the same data sees every write at once, and another file at the same path
never gets the old answer. Run on SQLite here and on PostgreSQL in tests/postgres."""

from __future__ import annotations

import json

from local_api.store import _SCHEMA, GROUPS, TRACKERS, open_store


def _body(store, table, key) -> bytes:
    return store.listing(table, key)[1]


def _fields(name: str, phrases=("a b", "c d")) -> dict:
    return {
        "name": name,
        "vocabulary": list(phrases),
        "description": "",
        "categories": [],
        "languages": [],
        "excludeVocabulary": [],
        "type": "custom",
    }


def check_listing_follows_every_write(location: str) -> None:
    reader, writer = open_store(location), open_store(location)  # two workers
    assert json.loads(_body(reader, TRACKERS, "trackers")) == {"trackers": []}
    with writer.transaction() as db:
        created = writer.insert(db, TRACKERS, _fields("One"))
    first = _body(reader, TRACKERS, "trackers")
    assert [t["name"] for t in json.loads(first)["trackers"]] == ["One"]
    assert _body(reader, TRACKERS, "trackers") is first  # kept: nothing changed
    with writer.transaction() as db:
        writer.replace(db, TRACKERS, created["id"], _fields("One", ("e f",)))
    assert json.loads(_body(reader, TRACKERS, "trackers"))["trackers"][0]["vocabulary"] == ["e f"]
    with writer.transaction() as db:
        writer.delete(db, TRACKERS, created["id"])
    assert json.loads(_body(reader, TRACKERS, "trackers")) == {"trackers": []}
    with writer.transaction() as db:  # a write to groups leaves the trackers' answer kept
        writer.insert(db, GROUPS, {"name": "G", "description": "", "criteria": "a==b"})
    kept = _body(reader, TRACKERS, "trackers")
    assert _body(reader, TRACKERS, "trackers") is kept
    assert [g["name"] for g in json.loads(_body(reader, GROUPS, "groups"))["groups"]] == ["G"]


def test_listing_follows_every_write_on_sqlite(tmp_path):
    check_listing_follows_every_write(str(tmp_path / "api.sqlite3"))


def test_a_new_file_at_the_same_path_is_not_answered_from_the_old_one(tmp_path):
    path = tmp_path / "api.sqlite3"
    store = open_store(str(path))
    with store.transaction() as db:
        store.insert(db, TRACKERS, _fields("Old"))
    assert "Old" in _body(store, TRACKERS, "trackers").decode()
    store._connection().close()
    for leftover in tmp_path.iterdir():
        leftover.unlink()
    store._local.conn = None
    # The same Store object (its kept answers included) on a brand-new file.
    store._connection().executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")
    with store.transaction() as db:
        store._migrate(db)
        store.insert(db, TRACKERS, _fields("New"))
    names = [t["name"] for t in json.loads(_body(store, TRACKERS, "trackers"))["trackers"]]
    assert names == ["New"]


def _signed_in(tmp_path):
    """A requests session on a fresh embedded server (the standalone one's WSGI app)."""
    import requests

    from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
    from local_api.app import create_app
    from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL, WSGIAdapter

    session = requests.Session()
    session.mount(EMBEDDED_BASE_URL, WSGIAdapter(create_app(data_path=str(tmp_path / "a.db"))))
    token = session.post(
        EMBEDDED_BASE_URL + "/oauth2/token:generate",
        json={"type": "application", "appId": LOCAL_APP_ID, "appSecret": LOCAL_APP_SECRET},
    ).json()["accessToken"]
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def test_a_list_answers_304_to_its_etag_until_the_next_write(tmp_path):
    from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL

    session = _signed_in(tmp_path)
    url = EMBEDDED_BASE_URL + "/v1/manage/trackers"
    first = session.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache" and first.json() == {"trackers": []}
    again = session.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)
    session.post(
        EMBEDDED_BASE_URL + "/v1/manage/tracker", json={"name": "N", "vocabulary": ["a b"]}
    )
    changed = session.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert [t["name"] for t in changed.json()["trackers"]] == ["N"]


def test_an_object_answers_304_to_its_etag_until_its_table_is_written(tmp_path):
    """GET one object: its ETag names the table's revision and the object; If-None-Match
    with the current one is a 304 (nothing sent), any write to the table a full answer."""
    from symbl_admin.management_api.embedded import EMBEDDED_BASE_URL

    session = _signed_in(tmp_path)
    base = EMBEDDED_BASE_URL + "/v1/manage/tracker"
    one, two = (
        session.post(base, json={"name": n, "vocabulary": ["a b"]}).json()["tracker"]["id"]
        for n in ("One", "Two")
    )
    first = session.get(f"{base}/{one}")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache" and first.json()["tracker"]["name"] == "One"
    again = session.get(f"{base}/{one}", headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)
    # One object's ETag says nothing of another.
    other = session.get(f"{base}/{two}", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.json()["tracker"]["name"] == "Two"
    # A write to the other object moves the table's revision: read in full again.
    session.put(f"{base}/{two}", json={"name": "Two", "vocabulary": ["c d"]})
    moved = session.get(f"{base}/{one}", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["ETag"] != etag
    session.put(f"{base}/{one}", json={"name": "One again", "vocabulary": ["a b"]})
    changed = session.get(f"{base}/{one}", headers={"If-None-Match": moved.headers["ETag"]})
    assert changed.status_code == 200 and changed.json()["tracker"]["name"] == "One again"
    session.delete(f"{base}/{one}")
    assert session.get(f"{base}/{one}", headers={"If-None-Match": etag}).status_code == 404
