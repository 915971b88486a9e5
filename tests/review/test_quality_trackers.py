"""The quality report's findings from the trackers' real hits (review/hit_quality.py), over
conversations processed with the account's trackers on the embedded server: quiet trackers,
overlapping pairs, silent phrases, the bounded window, and the note against a server without
the extension."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from symbl_admin.management_api.conversation_types import text_message

pytestmark = pytest.mark.django_db
URL = "/review/quality/trackers/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _processed(api, texts: list[str]) -> None:
    start = datetime.now(UTC) - timedelta(hours=1)
    messages = [
        text_message(t, speaker="Ann", start_time=start, end_time=start + timedelta(minutes=1))
        for t in texts
    ]
    submitted = api.conversations.process_text(messages, enable_all_trackers=True)
    deadline = time.monotonic() + 30
    while not (job := api.conversations.job(submitted.job_id)).done:
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.05)
    assert job.status == "completed"


@pytest.fixture
def account(api):
    api.trackers.create(name="Pricing", vocabulary=["price list"])
    api.trackers.create(name="Prices", vocabulary=["price list", "giraffe safari"])
    api.trackers.create(name="Volcano", vocabulary=["volcanic eruption"])
    _processed(api, ["Send me the price list.", "Is the price list current?"])
    return api


def _section(client, query: str = "") -> str:
    body = client.get(URL + query, **HTMX).content.decode()
    assert "<html" not in body and 'id="quality-trackers"' in body
    return body


def test_a_quiet_tracker_an_overlapping_pair_and_a_silent_phrase_are_named(role_client, account):
    body = _section(role_client("analyst"))
    quiet = body.split("Trackers that caught nothing")[1].split("<h3>")[0]
    assert "Volcano" in quiet and "Pricing" not in quiet
    pairs = body.split("Pairs that catch mostly the same sentences")[1].split("<h3>")[0]
    row = pairs.split("<tbody>")[1]  # one pair, its two trackers in either order
    assert "Prices</a>" in row and "Pricing</a>" in row and "</a> and <a" in row
    assert "<strong>100%</strong>" in row and "Volcano" not in row
    assert "the sentences both trackers caught ÷ the sentences caught by the one" in pairs
    silent = body.split("Phrases that never contribute")[1]
    assert "“giraffe safari”" in silent and "“price list”" not in silent


def test_the_window_is_shown_and_can_be_changed(role_client, account):
    body = _section(role_client("analyst"), "?last=5")
    assert 'value="5"' in body and "Over the last <strong>1</strong> conversation " in body
    assert 'value="100"' in _section(role_client("analyst"))  # the default


@pytest.mark.parametrize("bad", ["0", "10001", "x", "-3"])
def test_a_window_out_of_bounds_is_a_form_error_not_a_call(role_client, account, bad):
    body = _section(role_client("analyst"), f"?last={bad}")
    assert 'aria-invalid="true"' in body and 'role="alert"' in body
    assert "Trackers that caught nothing" not in body


def test_the_report_loads_the_section_apart(role_client, account):
    page = role_client("analyst").get("/review/quality/").content.decode()
    assert f'hx-get="{URL}"' in page and f'href="{URL}"' in page and 'hx-trigger="load"' in page
    assert "<h3>Trackers that caught nothing" not in page  # not computed with the kept report


def test_without_javascript_the_section_is_a_page(role_client, account):
    page = role_client("analyst").get(URL).content.decode()
    assert "<html" in page and "Volcano" in page


def test_the_findings_follow_new_hits(role_client, account):
    analyst = role_client("analyst")
    assert "Volcano" in _section(analyst).split("Trackers that caught nothing")[1].split("<h3>")[0]
    _processed(account, ["The volcanic eruption was loud."])
    quiet = _section(analyst).split("Trackers that caught nothing")[1].split("<h3>")[0]
    assert "Volcano" not in quiet  # rendered fresh, never kept


def test_hidden_with_a_note_against_a_server_without_the_extension(role_client, no_extension):
    page = role_client("analyst").get(URL).content.decode()
    assert "real hits are not checked: this Management API server does not offer" in page
    assert "Trackers that caught nothing" not in page
