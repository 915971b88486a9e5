"""A tracker's "What it caught" panel (trackers/hits_views.py) against the embedded local
Management API: caught in N of M conversations, by phrase (one that caught nothing marked),
the latest sentences linked to their conversations; counts only without the transcripts
permission; polling while re-scoring; a note against a server without the extension."""

from __future__ import annotations

import time

import pytest

from tests.conversations.test_detections import TEXTS, detected_call

pytestmark = pytest.mark.django_db


def _settled(api, tracker_id):
    deadline = time.monotonic() + 30
    while api.detections.tracker_hits(tracker_id).rescoring:
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.fixture
def pricing(api):
    tracker = api.trackers.create(name="Pricing", vocabulary=["price list", "zebra crossing"])
    detected_call(api, enable_all_trackers=True)
    detected_call(api, texts=["Nothing here."], enable_all_trackers=True)
    detected_call(api)  # not processed with the account's trackers: not in M
    _settled(api, tracker.id)
    return tracker


def _panel(role_client, role, tracker_id, **headers):
    response = role_client(role).get(f"/trackers/{tracker_id}/hits/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_caught_in_n_of_m_conversations_by_phrase(role_client, pricing):
    html = _panel(role_client, "analyst", pricing.id)
    assert (
        "Caught in <strong>1</strong> of 2 conversations processed with the account’s "
        "trackers (1 sentence)."
    ) in html
    assert '<span class="hit-phrase">price list</span> <span class="small">1 sentence in 1 ' in html
    assert (
        '<span class="hit-phrase">zebra crossing</span> '
        '<span class="badge badge-warning">caught nothing yet</span>'
    ) in html


def test_the_latest_sentences_link_to_their_conversations(role_client, api, pricing):
    html = _panel(role_client, "analyst", pricing.id)
    [hit] = api.detections.tracker_hits(pricing.id).recent
    assert f'<p class="hit-text">{TEXTS[0]}</p>' in html
    assert "by “price list”, exact (score 1.00)" in html
    assert f'<a href="/conversations/{hit.conversation_id}/">Open its conversation</a>' in html


def test_counts_only_without_the_transcripts_permission(role_client, pricing):
    html = _panel(role_client, "auditor", pricing.id)
    assert "Caught in <strong>1</strong> of 2" in html and "caught nothing yet" in html
    assert TEXTS[0] not in html and "The sentences are hidden" in html


def test_htmx_gets_the_panel_alone_and_it_is_settled(role_client, pricing):
    html = _panel(role_client, "analyst", pricing.id, HTTP_HX_REQUEST="true")
    assert html.startswith('\n<section class="card" id="tracker-hits"') or html.lstrip().startswith(
        '<section class="card" id="tracker-hits"'
    )
    assert "<html" not in html and "hx-trigger" not in html


def test_a_tracker_edited_is_settled_after_its_rescore(role_client, api, pricing):
    api.trackers.update(pricing.id, name="Pricing", vocabulary=["money back"])
    _settled(api, pricing.id)
    settled = _panel(role_client, "analyst", pricing.id, HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in settled and "being brought up to date" not in settled
    assert '<span class="hit-phrase">money back</span> <span class="small">1 sentence' in settled


def test_the_tracker_page_loads_the_panel(role_client, pricing):
    html = role_client("analyst").get(f"/trackers/{pricing.id}/").content.decode()
    assert f'hx-get="/trackers/{pricing.id}/hits/" hx-trigger="load"' in html
    assert f'<a href="/trackers/{pricing.id}/hits/">See what it caught' in html


def test_an_unknown_tracker_is_404(role_client, api):
    assert role_client("analyst").get("/trackers/1234567890/hits/").status_code == 404
