"""Error mapping: one status→class map; errors carry status, upstream message and request id."""

from __future__ import annotations

import pytest

from symbl_admin.management_api import (
    AuthFailed,
    Busy,
    ManagementAPIError,
    NameTaken,
    NotFound,
    PayloadTooLarge,
    Unavailable,
    ValidationFailed,
)
from symbl_admin.management_api.policy import MAX_MESSAGE_CHARS
from symbl_admin.request_context import current_request_id

from .fake_server import Reply

TRACKERS = "/v1/manage/trackers"
TRACKER = "/v1/manage/tracker"

STATUSES = [
    (400, ValidationFailed),
    (403, AuthFailed),
    (404, NotFound),
    (405, ValidationFailed),
    (409, NameTaken),
    (413, PayloadTooLarge),
    (429, Busy),
    (418, ManagementAPIError),
    (500, Unavailable),
    (502, Unavailable),
    (503, Unavailable),
    (504, Unavailable),
]


@pytest.fixture
def request_id():
    token = current_request_id.set("req-42")
    yield "req-42"
    current_request_id.reset(token)


@pytest.mark.parametrize(("status", "error"), STATUSES)
def test_status_maps_to_its_error_class(make_client, fake_api, status, error):
    fake_api.on("POST", TRACKER, Reply(status, {"message": f"upstream says {status}"}))
    with pytest.raises(error) as info:
        make_client().trackers.create(name="T", vocabulary=["hello"])
    assert type(info.value) is error


@pytest.mark.parametrize(("status", "error"), STATUSES)
def test_error_carries_status(make_client, fake_api, status, error):
    fake_api.on("POST", TRACKER, Reply(status, {"message": f"upstream says {status}"}))
    with pytest.raises(error) as info:
        make_client().trackers.create(name="T", vocabulary=["hello"])
    assert info.value.status == status


@pytest.mark.parametrize(("status", "error"), STATUSES)
def test_error_carries_upstream_message(make_client, fake_api, status, error):
    fake_api.on("POST", TRACKER, Reply(status, {"message": f"upstream says {status}"}))
    with pytest.raises(error) as info:
        make_client().trackers.create(name="T", vocabulary=["hello"])
    assert info.value.message == f"upstream says {status}"


@pytest.mark.parametrize(("status", "error"), STATUSES)
def test_error_carries_our_request_id(make_client, fake_api, request_id, status, error):
    fake_api.on("POST", TRACKER, Reply(status, {"message": "x"}))
    with pytest.raises(error) as info:
        make_client().trackers.create(name="T", vocabulary=["hello"])
    assert info.value.request_id == request_id


def test_401_twice_carries_message_and_request_id(make_client, fake_api, request_id):
    fake_api.on("GET", TRACKERS, Reply(401, {"message": "Token validation failed."}))
    with pytest.raises(AuthFailed) as info:
        make_client().trackers.list()
    assert (info.value.status, info.value.message, info.value.request_id) == (
        401,
        "Token validation failed.",
        request_id,
    )


def test_transport_failure_carries_our_request_id(make_client, refused_url, request_id):
    with pytest.raises(Unavailable) as info:
        make_client(base_url=refused_url).trackers.list()
    assert info.value.request_id == request_id


def test_error_without_json_body_has_empty_message(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(502, raw=b"<html>Bad Gateway</html>"))
    with pytest.raises(Unavailable) as info:
        make_client().trackers.list()
    assert info.value.message == ""


def test_error_without_message_shows_the_default_words(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(500, raw=b"<html>oops</html>"))
    with pytest.raises(Unavailable) as info:
        make_client().trackers.list()
    assert info.value.user_message == Unavailable.default_user_message


def test_error_with_non_string_message_has_empty_message(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(400, {"message": {"nested": True}}))
    with pytest.raises(ValidationFailed) as info:
        make_client().trackers.list()
    assert info.value.message == ""


def test_long_upstream_message_is_cut(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(400, {"message": "x" * 5000}))
    with pytest.raises(ValidationFailed) as info:
        make_client().trackers.list()
    assert len(info.value.message) == MAX_MESSAGE_CHARS


def test_success_that_is_not_json_is_an_error(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, raw=b"<html>login portal</html>"))
    with pytest.raises(ManagementAPIError):
        make_client().trackers.list()


def test_success_with_unexpected_shape_is_an_error(make_client, fake_api):
    fake_api.on("GET", TRACKERS, Reply(200, {"items": []}))
    with pytest.raises(ManagementAPIError):
        make_client().trackers.list()


def test_4xx_write_error_has_not_landed(make_client, fake_api):
    fake_api.on("POST", TRACKER, Reply(409, {"message": "Tracker with name T exists."}))
    with pytest.raises(NameTaken) as info:
        make_client().trackers.create(name="T", vocabulary=["hello"])
    assert info.value.may_have_landed is False
