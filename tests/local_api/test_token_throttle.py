"""Wrong appId/appSecret pairs are limited per client address: 429 with Retry-After, over real
HTTP against the standalone server; the limiter's window and its bounded memory."""

from __future__ import annotations

import http.client
import json

import pytest
import requests

from local_api.throttle import FailedTokenLimiter
from tests.support.standalone import standalone_server

PAIR = {"type": "application", "appId": "own-id", "appSecret": "own-secret-long-enough"}
WRONG = {**PAIR, "appSecret": "a-guess"}
ENV = {"SYMBL_APP_ID": PAIR["appId"], "SYMBL_APP_SECRET": PAIR["appSecret"]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Three wrong pairs a minute per address; on every address, so 127.0.0.2 reaches it."""
    args = ("--host", "0.0.0.0", "--token-failures", "3", "--token-window", "60")
    data = tmp_path_factory.mktemp("throttle") / "api.sqlite3"
    with standalone_server(data, env=ENV, args=args) as url:
        yield url.replace("0.0.0.0", "127.0.0.1")


def _token(url, body, source="127.0.0.1"):
    """POST the token route from `source`: (status, Retry-After, JSON body)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5, source_address=(source, 0))
    try:
        connection.request(
            "POST",
            "/oauth2/token:generate",
            body=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
        response = connection.getresponse()
        return response.status, response.getheader("Retry-After"), json.loads(response.read())
    finally:
        connection.close()


def test_wrong_pairs_from_one_address_get_429_with_retry_after(server):
    token = _token(server, PAIR, source="127.0.0.3")[2]["accessToken"]
    assert [_token(server, WRONG, source="127.0.0.3")[0] for _ in range(3)] == [401] * 3
    status, retry_after, body = _token(server, WRONG, source="127.0.0.3")
    assert status == 429
    assert 1 <= int(retry_after) <= 60
    assert body == {
        "message": "Too many wrong appId/appSecret pairs from this address; try again in "
        f"{retry_after} seconds."
    }
    # The right pair too: a guess that hits must not be told so.
    assert _token(server, PAIR, source="127.0.0.3")[0] == 429
    # A token issued before keeps working.
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{server}/v1/manage/trackers", headers=headers, timeout=5).ok


def test_another_address_is_not_limited(server):
    for _ in range(4):
        _token(server, WRONG, source="127.0.0.4")
    assert _token(server, WRONG, source="127.0.0.4")[0] == 429
    assert _token(server, PAIR, source="127.0.0.5")[0] == 200


def test_bad_requests_are_not_counted(server):
    for _ in range(5):
        assert _token(server, {"type": "application"}, source="127.0.0.6")[0] == 400
    assert _token(server, PAIR, source="127.0.0.6")[0] == 200


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_ends_with_its_window():
    clock = Clock()
    limiter = FailedTokenLimiter(limit=2, window=60, clock=clock)
    limiter.failed("a")
    clock.now += 10
    limiter.failed("a")
    assert limiter.retry_after("a") == 50
    clock.now += 50
    assert limiter.retry_after("a") == 0


def test_memory_is_bounded_forgetting_the_oldest():
    limiter = FailedTokenLimiter(limit=1, window=60, max_addresses=3, clock=Clock())
    for address in ("a", "b", "c", "d", "e"):
        limiter.failed(address)
    assert len(limiter) == 3
    assert [limiter.retry_after(a) for a in ("a", "b", "c", "d", "e")] == [0, 0, 60, 60, 60]


def test_bad_limits_are_refused():
    with pytest.raises(ValueError):
        FailedTokenLimiter(limit=0)
