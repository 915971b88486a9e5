"""The client keeps the last full list, and the objects it read one by one, and asks
If-None-Match with their ETags: a 304 gives the kept items (one call, nothing sent or parsed
again), anything else replaces them; a server without ETags is read in full every time."""

from __future__ import annotations

from symbl_admin.management_api import Tracker

from .fake_server import Reply

TRACKERS = "/v1/manage/trackers"
T1 = {"id": "1", "name": "One", "vocabulary": ["a b"]}
T2 = {"id": "2", "name": "Two", "vocabulary": ["c d"]}


def _asked(fake_api, path: str = TRACKERS) -> list[str]:
    """The If-None-Match of each GET of `path` ("" when there was none)."""
    lower = [
        {k.lower(): v for k, v in s.headers.items()} for s in fake_api.requests_to("GET", path)
    ]
    return [h.get("if-none-match", "") for h in lower]


def test_a_304_answers_with_the_kept_list(make_client, fake_api):
    fake_api.on(
        "GET",
        TRACKERS,
        Reply(200, {"trackers": [T1]}, headers={"ETag": '"e-1"'}),
        Reply(304, raw=b"", headers={"ETag": '"e-1"'}),
        Reply(200, {"trackers": [T1, T2]}, headers={"ETag": '"e-2"'}),
        Reply(304, raw=b"", headers={"ETag": '"e-2"'}),
    )
    client = make_client()
    first = client.trackers.list()
    assert first == [Tracker.from_api(T1)]
    first.append("a caller's own change")  # callers get a copy: the kept list stays as read
    assert client.trackers.list() == [Tracker.from_api(T1)]
    assert client.trackers.list() == [Tracker.from_api(T1), Tracker.from_api(T2)]
    assert client.trackers.list() == [Tracker.from_api(T1), Tracker.from_api(T2)]
    assert _asked(fake_api) == ["", '"e-1"', '"e-1"', '"e-2"']


def test_without_an_etag_every_list_is_read_in_full(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}), Reply(200, {"trackers": [T2]}))
    client = make_client()
    assert client.trackers.list() == [Tracker.from_api(T1)]
    assert client.trackers.list() == [Tracker.from_api(T2)]
    assert _asked(fake_api) == ["", ""]


def test_keep_off_never_asks(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1]}, headers={"ETag": '"e-1"'}))
    client = make_client()
    client.trackers.keep = False
    client.trackers.list()
    client.trackers.list()
    assert _asked(fake_api) == ["", ""]


def test_our_server_and_the_client_agree_over_http(api):
    """The embedded server (the same WSGI app as the standalone one) and the client."""
    api.trackers.create(name="One", vocabulary=["a b"])
    first = api.trackers.list()
    again = api.trackers.list()  # answered 304
    assert again == first and api.trackers._kept is not None
    api.trackers.create(name="Two", vocabulary=["c d"])
    assert [t.name for t in api.trackers.list()] == ["One", "Two"]


ONE = "/v1/manage/tracker/1"


def test_a_304_answers_with_the_kept_object(make_client, fake_api):
    changed = {**T1, "name": "One changed"}
    fake_api.on(
        "GET",
        ONE,
        Reply(200, {"tracker": T1}, headers={"ETag": '"e-1-1"'}),
        Reply(304, raw=b"", headers={"ETag": '"e-1-1"'}),
        Reply(200, {"tracker": changed}, headers={"ETag": '"e-2-1"'}),
    )
    client = make_client()
    assert client.trackers.get("1") == Tracker.from_api(T1)
    assert client.trackers.get("1") == Tracker.from_api(T1)
    assert client.trackers.get("1") == Tracker.from_api(changed)
    assert _asked(fake_api, ONE) == ["", '"e-1-1"', '"e-1-1"']


def test_objects_without_an_etag_or_with_keep_off_are_read_in_full(make_client, fake_api):
    fake_api.on(
        "GET",
        ONE,
        Reply(200, {"tracker": T1}),
        Reply(200, {"tracker": T1}, headers={"ETag": '"e-1-1"'}),
        Reply(200, {"tracker": T1}, headers={"ETag": '"e-1-1"'}),
    )
    client = make_client()
    client.trackers.get("1")  # no ETag: nothing kept
    client.trackers.keep = False
    client.trackers.get("1")
    client.trackers.get("1")
    assert _asked(fake_api, ONE) == ["", "", ""]


def test_a_kept_object_follows_a_change_made_anywhere(api, tmp_path):
    """Over our server: a 304 while nothing changed, the new version after a change made by
    another client (another worker, another dashboard)."""
    from symbl_admin.management_api.client import _client_from_settings

    made = api.trackers.create(name="One", vocabulary=["a b"])
    first = api.trackers.get(made.id)
    assert api.trackers.get(made.id) is first  # answered 304: the kept object itself
    other = _client_from_settings()  # another process's client: its own kept objects
    other.trackers.update(made.id, name="One, renamed", vocabulary=["a b"])
    assert api.trackers.get(made.id).name == "One, renamed"


def test_a_server_without_the_changes_extension_is_asked_for_whole_lists(make_client, fake_api):
    """The first revalidation asks /v1/x/…/changes once; its 404 means: never again, and the
    list is revalidated as before (If-None-Match on the whole list)."""
    changes = "/v1/x/manage/trackers/changes"
    fake_api.on(
        "GET",
        TRACKERS,
        Reply(200, {"trackers": [T1]}, headers={"ETag": '"e-1"'}),
        Reply(200, {"trackers": [T1, T2]}, headers={"ETag": '"e-2"'}),
        Reply(304, raw=b"", headers={"ETag": '"e-2"'}),
    )
    fake_api.on("GET", changes, Reply(404, {"message": "There is no endpoint there."}))
    client = make_client()
    assert client.trackers.list() == [Tracker.from_api(T1)]
    assert client.trackers.list() == [Tracker.from_api(T1), Tracker.from_api(T2)]
    assert client.trackers.list() == [Tracker.from_api(T1), Tracker.from_api(T2)]
    assert len(fake_api.requests_to("GET", changes)) == 1
    assert _asked(fake_api) == ["", '"e-1"', '"e-2"']


def test_a_404_is_asked_again_ten_minutes_later(make_client, fake_api):
    """A server upgraded meanwhile (or a proxy's passing 404) gets asked again."""
    from symbl_admin.management_api import changes as module

    changes = "/v1/x/manage/trackers/changes"
    fake_api.on(
        "GET",
        TRACKERS,
        Reply(200, {"trackers": [T1]}, headers={"ETag": '"e-1"'}),
        Reply(304, raw=b"", headers={"ETag": '"e-1"'}),
    )
    fake_api.on(
        "GET",
        changes,
        Reply(404, {"message": "There is no endpoint there."}),
        Reply(304, raw=b"", headers={"ETag": '"e-1"'}),
    )
    client = make_client()
    now = [1000.0]
    client.trackers._changes._clock = lambda: now[0]
    client.trackers.list()
    client.trackers.list()  # 404: the whole list, revalidated
    client.trackers.list()  # within ten minutes: not asked
    assert len(fake_api.requests_to("GET", changes)) == 1
    now[0] += module.ASK_AGAIN_SECONDS + 1
    assert client.trackers.list() == [Tracker.from_api(T1)]  # asked again: 304
    assert len(fake_api.requests_to("GET", changes)) == 2


def test_changes_are_applied_to_the_kept_list(make_client, fake_api):
    """A written object replaces the kept one with its id, a new one is appended, a deleted
    one goes; the answer's ETag becomes the kept list's."""
    changes = "/v1/x/manage/trackers/changes"
    t1b = {**T1, "vocabulary": ["changed"]}
    t3 = {"id": "3", "name": "Three", "vocabulary": ["e f"]}
    fake_api.on("GET", TRACKERS, Reply(200, {"trackers": [T1, T2]}, headers={"ETag": '"e-1"'}))
    fake_api.on(
        "GET",
        changes,
        Reply(200, {"trackers": [t1b, t3], "deleted": ["2"]}, headers={"ETag": '"e-4"'}),
        Reply(304, raw=b"", headers={"ETag": '"e-4"'}),
    )
    client = make_client()
    client.trackers.list()
    expected = [Tracker.from_api(t1b), Tracker.from_api(t3)]
    assert client.trackers.list() == expected
    assert client.trackers.list() == expected
    sent = [s.query for s in fake_api.requests_to("GET", changes)]
    assert [q.get("since") for q in sent] == [['"e-1"'], ['"e-4"']]
    assert len(fake_api.requests_to("GET", TRACKERS)) == 1
