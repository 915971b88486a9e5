"""The editor's "Across your conversations" (tester/across_views.py): the phrases as typed
against the conversations stored on the embedded server, per role; bad input, a server
without the extension and one that fails answer in the results region, leaving the editor
(and what was typed in it) alone."""

from __future__ import annotations

import re

import pytest

from tests.management_api.fake_server import Reply
from tests.support.tracker_preview import preview_answering, processed_with_trackers

pytestmark = pytest.mark.django_db

URL = "/tester/across/"
PRICE = "Send me the price list, please."
REFUND = "Could I get a refund for the broken one?"


@pytest.fixture
def stored(api):
    """A tracker on "price list" and a conversation processed with it; (tracker, conversation)."""
    tracker = api.trackers.create(name="Pricing", vocabulary=["price list"])
    conversation = processed_with_trackers(api, "Pricing call", [PRICE, REFUND, "Thanks, bye."])
    return tracker, conversation


def _typed(tracker, phrases: str, **extra) -> dict:
    return {"tracker": tracker.id, "name": tracker.name, "phrases": phrases, **extra}


def test_the_draft_as_typed_is_compared_with_the_saved_tracker(role_client, stored):
    tracker, conversation = stored
    response = role_client("analyst").post(URL, _typed(tracker, "refund"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="across-results"' in body and 'aria-busy="false"' in body
    assert "Newly caught: 1 sentence</strong> in 1 conversation" in body
    assert "No longer caught: 1 sentence</strong>" in body
    assert REFUND in body and PRICE in body
    assert f'href="/conversations/{conversation}/"' in body
    assert re.search(r"“refund”</span> <span class=\"badge badge-info\">added</span>", body)
    assert re.search(r"“price list”</span> <span class=\"badge badge-info\">removed</span>", body)
    assert 'id="across-status" hx-swap-oob="innerHTML"' in body
    assert "1 newly caught, 1 no longer caught." in body


def test_without_javascript_the_saved_phrases_are_previewed_on_a_page(role_client, stored):
    tracker, _ = stored
    body = role_client("analyst").post(URL, {"tracker": tracker.id}).content.decode()
    assert "<html" in body and "Caught: 1 sentence</strong>" in body and PRICE in body
    assert "0 newly caught, 0 no longer caught." in body
    assert f'href="/trackers/{tracker.id}/edit/"' in body


def test_a_new_tracker_is_previewed_without_a_comparison(role_client, stored):
    body = (
        role_client("analyst")
        .post(URL, {"name": "New", "phrases": "refund\nprice list"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "Caught: 2 sentences</strong> in 1 conversation" in body
    assert "Newly caught" not in body


def test_a_viewer_who_may_not_read_messages_sees_counts_only(role_client, stored):
    tracker, _ = stored
    body = (
        role_client("auditor")
        .post(URL, _typed(tracker, "refund"), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "Newly caught: 1 sentence</strong>" in body
    assert REFUND not in body and PRICE not in body and "/conversations/" not in body
    assert "Counts only" in body


def test_bad_phrases_are_explained_in_the_results(role_client, stored):
    tracker, _ = stored
    response = role_client("analyst").post(URL, _typed(tracker, "x" * 256), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="across-results"' in body
    assert "cannot be previewed" in body and "vocabulary" in body
    assert 'id="tracker-form"' not in body  # the editor is not swapped: what was typed stays


def test_no_phrases_asks_for_one(role_client, stored):
    tracker, _ = stored
    body = (
        role_client("analyst")
        .post(URL, _typed(tracker, ""), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "Type at least one phrase" in body


def test_an_id_the_api_never_gives_is_refused_plainly(role_client, stored):
    body = (
        role_client("analyst")
        .post(URL, {"tracker": "../x", "phrases": "refund"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "not one the API gives" in body


def test_an_upstream_failure_is_said_in_the_results_only(role_client, settings):
    with preview_answering(settings, Reply(503, {"message": "down"})):
        response = role_client("analyst").post(
            URL, {"tracker": "5", "phrases": "refund"}, HTTP_HX_REQUEST="true"
        )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="across-results"' in body
    assert 'role="alert"' in body and "your phrases are as you typed them" in body
    assert 'id="tracker-form"' not in body


def test_a_server_without_the_extension_gets_a_note(role_client, settings):
    with preview_answering(settings, Reply(404, {"message": "No such path"})):
        body = (
            role_client("analyst")
            .post(URL, {"tracker": "5", "phrases": "refund"}, HTTP_HX_REQUEST="true")
            .content.decode()
        )
    assert "does not offer the preview extension" in body


def test_only_post_and_only_signed_in_tracker_viewers(client, role_client):
    assert role_client("analyst").get(URL).status_code == 405
    assert client.post(URL, {"phrases": "refund"}).status_code == 302


def test_the_editor_offers_it_with_progress_for_screen_readers(role_client, stored):
    tracker, _ = stored
    body = role_client("analyst").get(f"/trackers/{tracker.id}/edit/").content.decode()
    assert 'hx-post="/tester/across/"' in body and 'action="/tester/across/"' in body
    assert 'hx-sync="this:drop"' in body and 'aria-disabled="false"' in body
    assert 'id="across-status" role="status"' in body and 'aria-busy="false"' in body
