"""The Overview's "Top trackers, last 7 days" (dashboard/selectors.top_trackers): ranked by
sentences caught in conversations that started in the last 7 days, linked to each tracker;
an empty state; a note against a server without the extension (hosted API's shape, over
real HTTP)."""

from __future__ import annotations

import time

import pytest

from symbl_admin.management_api.conversation_types import text_message
from tests.management_api.fake_server import APP_ID, APP_SECRET, FakeManagementAPI, Reply

pytestmark = pytest.mark.django_db


def _process(api, texts, days_ago=0):
    from datetime import UTC, datetime, timedelta

    start = datetime.now(UTC) - timedelta(days=days_ago)
    submitted = api.conversations.process_text(
        [text_message(t, start_time=start, end_time=start) for t in texts],
        enable_all_trackers=True,
    )
    deadline = time.monotonic() + 30
    while not api.conversations.job(submitted.job_id).done:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def _settled(api, *trackers):
    deadline = time.monotonic() + 30
    for tracker in trackers:
        while api.detections.tracker_hits(tracker.id).rescoring:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_top_trackers_of_the_last_7_days_linked_by_hits(role_client, api):
    invoices = api.trackers.create(name="Invoices", vocabulary=["quarterly invoice"])
    parking = api.trackers.create(name="Parking", vocabulary=["parking garage"])
    _process(
        api,
        [
            "Where is the quarterly invoice?",
            "The quarterly invoice is late.",
            "The parking garage is full.",
        ],
    )
    _process(api, ["The parking garage is closed."] * 3, days_ago=20)  # outside the 7 days
    _settled(api, invoices, parking)
    html = role_client("auditor").get("/").content.decode()
    card = html[html.index('id="top-trackers"') :]
    card = card[: card.index("</section>")]
    assert "Top trackers, last 7 days" in card
    assert "in the 1 conversation that started in the last 7 days" in card
    first = f'<a href="/trackers/{invoices.id}/">Invoices</a> <span class="small muted">2 sentences in 1 conversation</span>'
    second = f'<a href="/trackers/{parking.id}/">Parking</a> <span class="small muted">1 sentence in 1 conversation</span>'
    assert first in card and second in card and card.index(first) < card.index(second)


def test_nothing_caught_shows_an_empty_state(role_client, api):
    api.trackers.create(name="Quiet", vocabulary=["zebra crossing"])
    html = role_client("analyst").get("/").content.decode()
    assert 'id="top-trackers-empty"' in html
    assert "No tracker caught anything in the 0 conversations" in html


@pytest.fixture
def hosted(settings):
    fake = FakeManagementAPI().start()
    fake.on("GET", "/v1/manage/trackers", Reply(200, {"trackers": []}))
    fake.on("GET", "/v1/manage/groups", Reply(200, {"groups": []}))
    settings.SYMBL_API_BASE_URL = fake.url
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = APP_ID, APP_SECRET
    yield fake
    fake.stop()


def test_a_server_without_the_extension_gets_a_note(role_client, hosted):
    html = role_client("analyst").get("/").content.decode()
    assert "does not count what trackers caught (an extension of ours)" in html
    assert hosted.requests_to("GET", "/v1/x/trackers/top")[0].query == {
        "days": ["7"],
        "limit": ["5"],
    }
