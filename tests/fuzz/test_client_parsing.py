"""Fuzzing the client's response parsing: any JSON into from_api, any body over the wire."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbl_admin.management_api.errors import ManagementAPIError
from symbl_admin.management_api.types import Group, Tracker
from tests.fuzz.support import FUZZ, chars
from tests.management_api.conftest import fake_api, make_client, sleeps, token_cache
from tests.management_api.fake_server import Reply

__all__ = ["fake_api", "make_client", "sleeps", "token_cache"]  # fixtures, used by name

KEYS = ["id", "name", "vocabulary", "description", "categories", "languages",
        "excludeVocabulary", "type", "criteria", "tracker", "trackers", "group", "groups",
        "message", "nextToken"]  # fmt: skip
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(chars, max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=4)), inner, max_size=5)
    ),
    max_leaves=20,
)
objects = st.dictionaries(st.sampled_from(KEYS), junk, max_size=8)


@FUZZ
@given(data=objects)
def test_from_api_takes_any_object(data):
    tracker, group = Tracker.from_api(data), Group.from_api(data)
    assert isinstance(tracker.id, str) and isinstance(group.criteria, str)
    assert tracker.fingerprint and group.fingerprint and tracker.as_dict() and group.as_dict()


def _bodies():
    as_json = junk.map(lambda v: json.dumps(v).encode())
    return st.one_of(
        as_json,
        as_json.map(lambda b: b[: len(b) // 2]),  # truncated
        st.binary(max_size=64),
        st.sampled_from(
            [
                b"",
                b"<html>502 Bad Gateway</html>",
                b"[" * 100_000,
                b"\xff\xfe{}",
                b"null",
                b'{"message": ' + b"[" * 50_000,
                b"1" * 5000,
                b'{"trackers": [1, null]}',
            ]
        ),  # fmt: skip
    )


@FUZZ
@given(
    status=st.sampled_from([200, 201, 204, 302, 400, 401, 404, 409, 413, 418, 429, 500, 503]),
    body=_bodies(),
    content_type=st.sampled_from(["application/json", "text/html", "", "application/json; x"]),
    call=st.sampled_from(["list", "get", "create", "group_list", "group_update"]),
)
def test_any_answer_is_data_or_a_typed_error(
    fake_api, make_client, status, body, content_type, call
):
    client = make_client()
    headers = {"Content-Type": content_type} if content_type else {}
    with fake_api._lock:  # this example's answers only (the last one queued sticks)
        fake_api._script.clear()
    for method, path in (
        ("GET", "/v1/manage/trackers"),
        ("GET", "/v1/manage/tracker/t1"),
        ("POST", "/v1/manage/tracker"),
        ("GET", "/v1/manage/groups"),
        ("PUT", "/v1/manage/group/g1"),
    ):
        fake_api.on(method, path, Reply(status, raw=body, headers=headers))
    calls = {
        "list": lambda: client.trackers.list(),
        "get": lambda: client.trackers.get("t1"),
        "create": lambda: client.trackers.create(name="a", vocabulary=["b"]),
        "group_list": lambda: client.groups.list(),
        "group_update": lambda: client.groups.update("g1", name="a", criteria="a==b"),
    }
    try:
        result = calls[call]()
    except ManagementAPIError as exc:
        assert isinstance(exc.user_message, str)
    else:
        assert isinstance(result, list | Tracker | Group)


@pytest.mark.parametrize("delta, sent", [(-1, True), (0, True), (1, False)])
def test_a_body_over_1_mb_is_refused_before_it_is_sent(fake_api, make_client, delta, sent):
    from symbl_admin.contract import MAX_BODY_BYTES
    from symbl_admin.management_api.errors import PayloadTooLarge

    frame = len(json.dumps({"name": "a", "vocabulary": [""]}, separators=(",", ":")))
    phrase = "é" * ((MAX_BODY_BYTES - frame) // 2) + "a" * ((MAX_BODY_BYTES - frame) % 2 + delta)
    fake_api.on("POST", "/v1/manage/tracker", Reply(201, {"id": "t1", "name": "a"}))
    try:
        make_client().trackers.create(name="a", vocabulary=[phrase])
    except PayloadTooLarge:
        assert not sent
    assert bool(fake_api.requests_to("POST", "/v1/manage/tracker")) is sent
