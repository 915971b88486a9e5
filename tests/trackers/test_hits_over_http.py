"""The detection screens against servers over real HTTP that are not our full server (test
doubles speaking the contract): one
still re-scoring (the panel says so and polls), and the hosted API's shape without our /v1/x
extensions (the tracker panel hidden with a note; the conversation page highlights from the
contract's trackers-detected alone, saying scores are not given)."""

from __future__ import annotations

import pytest

from tests.conversations.test_over_http import CONVERSATION
from tests.management_api.fake_server import APP_ID, APP_SECRET, FakeManagementAPI, Reply

pytestmark = pytest.mark.django_db

TRACKER = {"id": "9", "name": "Pricing", "vocabulary": ["price list"]}
HITS = {
    "trackerId": "9",
    "hits": 1,
    "conversations": 1,
    "scored": 4,
    "rescoring": True,
    "phrases": [{"phrase": "price list", "hits": 1, "conversations": 1, "inTracker": True}],
    "recent": [],
}
TEXT = "Send me the price list."
DETECTED = [
    {
        "id": "9",
        "name": "Pricing",
        "matches": [
            {
                "type": "vocabulary",
                "value": "price list",
                "messageRefs": [{"id": "m1", "text": TEXT, "offset": 12}],
                "insightRefs": [],
            }
        ],
    }
]


@pytest.fixture
def fake(settings):
    server = FakeManagementAPI().start()
    settings.SYMBL_API_BASE_URL = server.url
    settings.SYMBL_APP_ID, settings.SYMBL_APP_SECRET = APP_ID, APP_SECRET
    yield server
    server.stop()


def test_while_rescoring_the_panel_says_so_and_polls(role_client, fake):
    fake.on("GET", "/v1/x/trackers/9/hits", Reply(200, HITS))
    html = role_client("analyst").get("/trackers/9/hits/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-get="/trackers/9/hits/" hx-trigger="every 2s" hx-swap="outerHTML"' in html
    assert "These figures are being brought up to date" in html
    assert "Caught in <strong>1</strong> of 4 conversations" in html


def test_an_older_server_without_phrase_counts_still_shows_its_hits(role_client, fake):
    older = {k: v for k, v in HITS.items() if k not in ("scored", "phrases")}
    fake.on("GET", "/v1/x/trackers/9/hits", Reply(200, {**older, "rescoring": False}))
    html = role_client("analyst").get("/trackers/9/hits/").content.decode()
    assert "Caught in <strong>1</strong> conversation (1 sentence)." in html
    assert "By phrase" not in html and "hx-trigger" not in html


def test_without_the_extension_the_panel_says_so(role_client, fake):
    html = role_client("analyst").get("/trackers/9/hits/").content.decode()
    assert 'id="hits-unsupported"' in html


def test_the_conversation_page_highlights_from_the_contract_alone(role_client, fake):
    message = {"id": "m1", "text": TEXT, "from": {"name": "Ann"}}
    fake.on("GET", "/v1/conversations/5001", Reply(200, CONVERSATION))
    fake.on("GET", "/v1/conversations/5001/messages", Reply(200, {"messages": [message]}))
    fake.on("GET", "/v1/conversations/5001/trackers-detected", Reply(200, DETECTED))
    fake.on("GET", "/v1/manage/trackers", Reply(200, {"trackers": [TRACKER]}))
    html = role_client("analyst").get("/conversations/5001/").content.decode()
    assert 'aria-describedby="hl-1-2">price list</mark>' in html
    assert "tracker Pricing · score not given by this server" in html
    assert '<a href="/trackers/9/">Pricing</a>' in html


SCORES = {
    "detections": [
        {
            "messageId": "m1",
            "trackerId": "9",
            "trackerName": "Pricing",
            "inline": False,
            "phrase": "price list",
            "offset": 12,
            "score": 1.0,
        }
    ]
}


def test_a_viewer_who_may_not_read_gets_counts_without_the_sentences_being_sent(role_client, fake):
    fake.on("GET", "/v1/conversations/5001", Reply(200, CONVERSATION))
    fake.on("GET", "/v1/x/conversations/5001/detections", Reply(200, SCORES))
    fake.on("GET", "/v1/conversations/5001/trackers-detected", Reply(200, DETECTED))
    html = role_client("auditor").get("/conversations/5001/").content.decode()
    assert "1 sentence caught: 1 exact, 0 contextual" in html
    assert '<a href="/trackers/9/">Pricing</a>' in html and TEXT not in html
    assert fake.requests_to("GET", "/v1/conversations/5001/trackers-detected") == []


def test_without_the_extension_a_non_reader_gets_a_note_not_the_sentences(role_client, fake):
    fake.on("GET", "/v1/conversations/5001", Reply(200, CONVERSATION))
    fake.on("GET", "/v1/conversations/5001/trackers-detected", Reply(200, DETECTED))
    html = role_client("auditor").get("/conversations/5001/").content.decode()
    assert "Which trackers caught sentences here is not shown" in html
    assert fake.requests_to("GET", "/v1/conversations/5001/trackers-detected") == []


def test_a_reader_of_a_conversation_still_processing_gets_no_permission_note(role_client, fake):
    fake.on("GET", "/v1/conversations/5001", Reply(200, CONVERSATION))
    still = Reply(404, {"message": "The conversation 5001 is still being processed."})
    fake.on("GET", "/v1/conversations/5001/messages", still)
    html = role_client("analyst").get("/conversations/5001/").content.decode()
    assert "still being processed" in html
    assert "your role may not read them" not in html
