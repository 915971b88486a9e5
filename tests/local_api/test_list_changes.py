"""GET /v1/x/manage/{plural}/changes: what changed in a list since an ETag (an extension), and
the client that keeps its list up to date with it. After any sequence of another client's
writes, the kept list equals a fresh full read; a server without the extension, another epoch
or a restored database makes the client read the whole list."""

from __future__ import annotations

import random
import sqlite3

import pytest

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from local_api.store import TRACKERS, Store, renew_epochs
from symbl_admin.management_api import ManagementAPIClient
from tests.local_api.test_migration import _earlier_file

CHANGES = "/v1/x/manage/trackers/changes"


def _etag(api) -> str:
    response = api.get("/v1/manage/trackers")
    assert response.status_code == 200
    return response.headers["ETag"]


def test_changes_name_what_was_written_and_deleted_since(api, unique):
    kept, gone = api.create_tracker(unique("Kept")), api.create_tracker(unique("Gone"))
    since = _etag(api)
    changed = api.put(
        f"/v1/manage/tracker/{kept['id']}", json={"name": kept["name"], "vocabulary": ["new"]}
    ).json()["tracker"]
    assert api.delete(f"/v1/manage/tracker/{gone['id']}").status_code == 200
    added = api.create_tracker(unique("Added"))
    answer = api.get(CHANGES, params={"since": since})
    assert answer.status_code == 200
    body = answer.json()
    assert body["trackers"][-2:] == [changed, added]  # creation order
    assert gone["id"] in body["deleted"]
    assert answer.headers["ETag"] == _etag(api)


def test_changes_answer_304_when_nothing_changed(api, unique):
    api.create_tracker(unique("Any"))
    now = _etag(api)
    answer = api.get(CHANGES, params={"since": now})
    assert answer.status_code == 304 and answer.headers["ETag"] == now


@pytest.mark.parametrize("since", ['"0123abcd-1"', "not an etag", "", '"ab"'])
def test_an_etag_the_server_cannot_answer_is_410(api, since):
    answer = api.get(CHANGES, params={"since": since})
    assert answer.status_code == 410
    assert "whole list" in answer.json()["message"]


def test_an_etag_from_the_future_is_410(api, unique):
    api.create_tracker(unique("Any"))
    epoch, n = _etag(api).strip('"').split("-")
    assert api.get(CHANGES, params={"since": f'"{epoch}-{int(n) + 5}"'}).status_code == 410


def _client(url: str) -> ManagementAPIClient:
    return ManagementAPIClient(url, LOCAL_APP_ID, LOCAL_APP_SECRET)


def follow(reader_url: str, writer_url: str, steps: int = 40) -> None:
    """Seeded random creates, edits and deletes by one client; after each (or two), the other
    client's kept list equals a full read by a client that keeps nothing."""
    reader, writer, fresh = _client(reader_url), _client(writer_url), _client(reader_url)
    fresh.trackers.keep = False
    rng = random.Random(20261207)
    mine = [writer.trackers.create(name=f"Follow {rng.random()}", vocabulary=["a"]).id]
    assert reader.trackers.list() == fresh.trackers.list()
    for step in range(steps):
        roll = rng.random()
        if roll < 0.3 or not mine:
            created = writer.trackers.create(name=f"Follow {rng.random()}", vocabulary=["b"])
            mine.append(created.id)
        elif roll < 0.75:
            target = rng.choice(mine)
            writer.trackers.update(target, name=f"Edited {rng.random()}", vocabulary=[f"v {step}"])
        else:
            writer.trackers.delete(mine.pop(rng.randrange(len(mine))))
        if rng.random() < 0.7:  # sometimes two writes land between two reads
            assert reader.trackers.list() == fresh.trackers.list(), step
    assert reader.trackers.list() == fresh.trackers.list()
    assert reader.trackers._changes.offered is True


def test_a_kept_list_follows_any_sequence_of_another_clients_writes(standalone):
    url, _ = standalone
    follow(url, url)


def test_a_restored_database_makes_the_client_read_the_whole_list(tmp_path, settings):
    """New epochs (backup restore) → 410 → the whole list, which is right."""
    settings.SYMBL_API_BASE_URL = ""
    settings.SYMBL_LOCAL_API_DATA = str(tmp_path / "api.sqlite3")
    from symbl_admin.management_api import get_client, reset_client

    reset_client()
    client = get_client()
    first = client.trackers.create(name="Before", vocabulary=["a"])
    assert [t.id for t in client.trackers.list()] == [first.id]
    store = Store(settings.SYMBL_LOCAL_API_DATA)
    with store.transaction() as db:
        db.execute("DELETE FROM trackers")  # what a restore of an empty backup does
        renew_epochs(db)
    assert client.trackers.list() == []
    reset_client()


def test_an_earlier_file_gets_new_epochs_when_revisions_are_added(tmp_path):
    """Its rows' revisions are unknown (0): an ETag kept from before must not be answered."""
    path = _earlier_file(tmp_path)
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE revisions (name TEXT PRIMARY KEY, epoch TEXT NOT NULL, n INTEGER NOT NULL);"
            "INSERT INTO revisions VALUES ('trackers', 'aaaa', 7), ('groups', 'bbbb', 0);"
        )
    db.close()
    assert Store(path).revision(TRACKERS)[0] != "aaaa"
