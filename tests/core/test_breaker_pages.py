"""What the pages say while the client's circuit breaker is open, over real HTTP to a server
that stalls past the read timeout: at once "unreachable since ...", and what does not need
the Management API keeps working."""

from __future__ import annotations

import json
import time

import pytest

from symbl_admin.management_api import get_client
from symbl_admin.management_api.breaker import CLOSED, OPEN
from tests.management_api.fake_server import APP_ID, APP_SECRET, FakeManagementAPI, Reply

pytestmark = pytest.mark.django_db

STALL = Reply(200, {"trackers": []}, delay=1.0)
PATHS = ("/v1/manage/trackers", "/v1/manage/groups")


@pytest.fixture
def stalling(settings):
    fake = FakeManagementAPI().start()
    for path in PATHS:
        fake.on("GET", path, STALL)
    settings.SYMBL_API_BASE_URL = fake.url
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = APP_ID, APP_SECRET
    settings.SYMBL_API_CONNECT_TIMEOUT = 0.3
    settings.SYMBL_API_READ_TIMEOUT = 0.2
    settings.SYMBL_API_DEADLINE = 0.4
    settings.SYMBL_API_BREAKER_THRESHOLD = 2
    settings.SYMBL_API_BREAKER_COOLDOWN = 60.0
    yield fake
    fake.stop()


@pytest.fixture
def opened(stalling, role_client):
    """Two trackers pages that wait out their timeouts; the breaker is open after them."""
    analyst = role_client("analyst")
    for _ in range(2):
        started = time.monotonic()
        analyst.get("/trackers/")
        assert time.monotonic() - started >= 0.2
    assert get_client().breaker.state == OPEN
    return stalling


def _reached(fake) -> int:
    return sum(len(fake.requests_to("GET", path)) for path in PATHS)


def test_the_trackers_page_says_unreachable_at_once(opened, role_client, figure):
    before = _reached(opened)
    started = time.monotonic()
    response = role_client("analyst").get("/trackers/")
    took = time.monotonic() - started
    figure(
        "circuit breaker",
        f"the trackers page took {took:.3f} s while open (each of the two before it waited "
        "out its timeouts, at least 0.2 s)",
    )
    assert took < 0.15
    assert b"The Management API is unreachable since " in response.content
    assert response.status_code < 500
    assert _reached(opened) == before


def test_an_htmx_request_gets_the_same_words(opened, role_client):
    response = role_client("analyst").get("/trackers/", headers={"HX-Request": "true"})
    assert b"unreachable since" in response.content


def test_readyz_says_unreachable_at_once(opened, client):
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 0.15
    assert response.status_code == 503
    reason = json.loads(response.content)["reasons"]["management_api"]
    assert reason.startswith("The Management API is unreachable since ")


def test_the_overview_says_unreachable(opened, role_client):
    response = role_client("analyst").get("/")
    assert response.status_code == 200
    assert b"Not answering: The Management API is unreachable since " in response.content


def test_the_audit_log_keeps_working(opened, role_client):
    assert role_client("lead").get("/audit/").status_code == 200


def test_the_review_queue_keeps_working(api, make_user, role_client, request):
    from resources import services
    from tests.review.conftest import ctx_for
    from trackers.resource import TRACKERS

    data = {"name": "Queued change", "vocabulary": ["a phrase"]}
    services.create(client=api, resource=TRACKERS, data=data, ctx=ctx_for(make_user("w")))
    request.getfixturevalue("opened")
    response = role_client("lead").get("/review/")
    assert response.status_code == 200
    assert b"Queued change" in response.content
    assert b"Quality findings are missing" in response.content


def test_it_closes_when_a_probe_succeeds_after_the_cooldown(opened, client):
    breaker = get_client().breaker
    for path in PATHS:
        opened._script[("GET", path)].clear()
        opened.on("GET", path, Reply(200, {"groups": []}))
    later = time.monotonic() + 61.0
    breaker._clock = lambda: later
    response = client.get("/readyz")
    assert response.status_code == 200
    assert breaker.state == CLOSED


def test_the_error_component_says_since_once(opened, role_client):
    body = role_client("analyst").get("/trackers/").content.decode()
    assert body.count("unreachable since") == 1
    assert "Try again" in body
    assert "nothing was sent" in body
