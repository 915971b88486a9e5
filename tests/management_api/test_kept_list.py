"""The client keeps the last full list and asks If-None-Match with its ETag: a 304 gives the
kept items (one call, nothing sent or parsed again), anything else replaces them; a server
without ETags is read in full every time."""

from __future__ import annotations

from symbl_admin.management_api import Tracker

from .fake_server import Reply

TRACKERS = "/v1/manage/trackers"
T1 = {"id": "1", "name": "One", "vocabulary": ["a b"]}
T2 = {"id": "2", "name": "Two", "vocabulary": ["c d"]}


def _asked(fake_api) -> list[str]:
    lower = [
        {k.lower(): v for k, v in s.headers.items()} for s in fake_api.requests_to("GET", TRACKERS)
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
