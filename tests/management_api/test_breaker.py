"""The circuit breaker: closed, open, half-open, closed again, against the real-socket double.

The breaker's clock is fake (cool-downs pass at once); everything else goes over HTTP.
"""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from symbl_admin.management_api import Unavailable
from symbl_admin.management_api.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker, CircuitOpen

from .fake_server import Drop, Reply

PATH = "/v1/manage/groups"
OK = Reply(200, {"groups": []})


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def breaker(clock):
    return CircuitBreaker(threshold=3, cooldown=10.0, clock=clock, now=lambda: 1_800_000_000.0)


@pytest.fixture
def client(make_client, breaker):
    # One try per call, so "calls that reached the server" counts logical calls.
    return make_client(breaker=breaker, max_tries=1)


def _fail(client, times: int) -> None:
    for _ in range(times):
        with pytest.raises(Unavailable):
            client.transport.request("GET", PATH)


def _calls(fake_api) -> int:
    return len(fake_api.requests_to("GET", PATH))


def test_stays_closed_below_the_threshold(client, fake_api, breaker):
    fake_api.on("GET", PATH, Reply(503))
    _fail(client, 2)
    assert breaker.state == CLOSED
    _fail(client, 1)
    assert _calls(fake_api) == 3


def test_opens_after_threshold_failures_and_fails_fast_without_sending(client, fake_api, breaker):
    fake_api.on("GET", PATH, Reply(503))
    _fail(client, 3)
    assert breaker.state == OPEN
    with pytest.raises(CircuitOpen) as caught:
        client.transport.request("POST", "/v1/manage/trackers", json_body={"name": "x"})
    assert _calls(fake_api) == 3
    assert fake_api.requests_to("POST", "/v1/manage/trackers") == []
    assert caught.value.may_have_landed is False
    assert isinstance(caught.value, Unavailable)
    assert "unreachable since 2027-01-15 08:00:00 UTC" in caught.value.user_message


def test_connection_errors_and_timeouts_count(make_client, refused_url, breaker):
    client = make_client(base_url=refused_url, breaker=breaker, max_tries=1)
    _fail(client, 3)
    assert breaker.state == OPEN


def test_a_dropped_connection_counts(client, fake_api, breaker):
    fake_api.on("GET", PATH, Drop())
    _fail(client, 3)
    assert breaker.state == OPEN


def test_4xx_answers_do_not_count(client, fake_api, breaker):
    fake_api.on("GET", PATH, Reply(404, {"message": "no"}))
    for _ in range(5):
        with pytest.raises(Exception) as caught:
            client.transport.request("GET", PATH)
        assert not isinstance(caught.value, Unavailable)
    assert breaker.state == CLOSED
    assert _calls(fake_api) == 5


def test_a_success_resets_the_count(client, fake_api, breaker):
    fake_api.on("GET", PATH, Reply(503), Reply(503), OK, Reply(503), Reply(503), OK)
    for _ in range(6):
        with contextlib.suppress(Unavailable):
            client.transport.request("GET", PATH)
    assert breaker.state == CLOSED


def test_half_open_lets_one_probe_through_and_closes_when_it_succeeds(
    client, fake_api, breaker, clock
):
    fake_api.on("GET", PATH, Reply(503), Reply(503), Reply(503), OK)
    _fail(client, 3)
    clock.t += 9.9
    with pytest.raises(CircuitOpen):
        client.transport.request("GET", PATH)
    clock.t += 0.2
    assert client.transport.request("GET", PATH) == {"groups": []}
    assert breaker.state == CLOSED
    assert _calls(fake_api) == 4


def test_a_failed_probe_opens_it_for_another_cooldown(client, fake_api, breaker, clock):
    fake_api.on("GET", PATH, Reply(503))
    _fail(client, 3)
    since = breaker.snapshot()["since"]
    clock.t += 10.0
    _fail(client, 1)  # the probe
    assert breaker.state == OPEN
    assert breaker.snapshot()["since"] == since
    clock.t += 5.0
    with pytest.raises(CircuitOpen):
        client.transport.request("GET", PATH)
    assert _calls(fake_api) == 4


def test_while_the_probe_is_in_flight_other_calls_fail_fast(client, fake_api, breaker, clock):
    fake_api.on("GET", PATH, Reply(503), Reply(503), Reply(503), Reply(200, {}, delay=0.5))
    _fail(client, 3)
    clock.t += 10.0
    probe = threading.Thread(target=client.transport.request, args=("GET", PATH))
    probe.start()
    deadline = time.monotonic() + 2
    while breaker.state != HALF_OPEN and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    with pytest.raises(CircuitOpen):
        client.transport.request("GET", PATH)
    assert time.monotonic() - started < 0.2
    probe.join()
    assert breaker.state == CLOSED
    assert _calls(fake_api) == 4


def test_the_state_is_shared_by_the_threads_of_a_process(client, fake_api, breaker):
    fake_api.on("GET", PATH, Reply(503))
    threads = [threading.Thread(target=_fail, args=(client, 1)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert breaker.state == OPEN


def test_the_dashboard_client_gets_its_breaker_from_settings(settings, fake_api):
    from symbl_admin.management_api import get_client

    settings.SYMBL_API_BASE_URL = fake_api.url
    settings.SYMBL_API_BREAKER_THRESHOLD = 4
    settings.SYMBL_API_BREAKER_COOLDOWN = 7.5
    breaker = get_client().breaker
    assert (breaker.threshold, breaker.cooldown) == (4, 7.5)
    assert get_client().breaker is breaker


def test_production_defaults_turn_it_on():
    import symbl_admin.settings as production

    assert production.SYMBL_API_BREAKER_THRESHOLD == 5
    assert production.SYMBL_API_BREAKER_COOLDOWN == 15.0
