"""A conversation's page with its detected trackers, against the embedded local Management
API: the exact phrase marked inside its sentence, a contextual sentence marked as a whole and
labelled, each mark focusable and described (phrase, tracker, score), a per-tracker summary;
counts only for a viewer who may not read messages; tracker text escaped by construction."""

from __future__ import annotations

import time
import uuid

import pytest

from symbl_admin.management_api.conversation_types import text_message

pytestmark = pytest.mark.django_db

TEXTS = ["Could you send me the PRICE list, please?", "I want my money back."]


def detected_call(api, texts=TEXTS, **options) -> str:
    submitted = api.conversations.process_text(
        [text_message(t, speaker="Ann") for t in texts],
        name=f"Call {uuid.uuid4().hex[:6]}",
        **options,
    )
    deadline = time.monotonic() + 30
    while not api.conversations.job(submitted.job_id).done:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return submitted.conversation_id


@pytest.fixture
def pricing(api):
    return api.trackers.create(name="Pricing", vocabulary=["price list", "zebra crossing"])


@pytest.fixture
def call(api, pricing):
    inline = [{"name": "Refunds", "vocabulary": ["refund"]}]
    return detected_call(api, trackers=inline, enable_all_trackers=True)


def _page(role_client, role, cid) -> str:
    response = role_client(role).get(f"/conversations/{cid}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_exact_match_marks_the_phrase_inside_its_sentence(role_client, call):
    html = _page(role_client, "analyst", call)
    assert (
        'Could you send me the <mark class="hl hl-exact" tabindex="0" '
        'aria-describedby="hl-1-2">PRICE list</mark>'
    ) in html
    assert (
        '<span class="hl-detail" id="hl-1-2" role="tooltip">Exact match of “price list” · '
        "tracker Pricing · score 1.00</span>, please?"
    ) in html


def test_a_contextual_match_marks_the_whole_sentence_and_labels_it(role_client, call):
    html = _page(role_client, "analyst", call)
    assert '<p><mark class="hl-sentence">I want my money back.</mark></p>' in html
    label = html[html.index('<p class="hl-labels">') :]
    assert '<span class="hl hl-label" tabindex="0" aria-describedby="hl-2-s1">' in label
    assert 'Refunds <span class="small">(contextual)</span>' in label
    detail = label[label.index('id="hl-2-s1"') :]
    assert detail.startswith('id="hl-2-s1" role="tooltip">Contextual match of “refund” · ')
    assert "tracker Refunds · score 0." in detail


def test_the_summary_counts_each_tracker_and_links_account_trackers(role_client, call, pricing):
    html = _page(role_client, "analyst", call)
    summary = html[html.index('id="detections-summary"') : html.index("</section>")]
    assert (
        f'<a href="/trackers/{pricing.id}/">Pricing</a> <span class="detections-counts">'
        "1 sentence caught: 1 exact, 0 contextual</span>"
    ) in summary
    assert (
        '<strong>Refunds</strong> <span class="small muted">(given with the job)</span> '
        '<span class="detections-counts">1 sentence caught: 0 exact, 1 contextual</span>'
    ) in summary
    assert html.index('id="detections-summary"') < html.index('id="messages-heading"')


def test_a_viewer_who_may_not_read_messages_gets_counts_only(role_client, call, pricing):
    html = _page(role_client, "auditor", call)
    assert f'<a href="/trackers/{pricing.id}/">Pricing</a>' in html
    assert "1 sentence caught: 0 exact, 1 contextual" in html
    assert "money back" not in html and "PRICE" not in html and "hl-detail" not in html
    assert "price list" not in html and "refund" not in html  # phrases come with sentences


def test_tracker_names_and_phrases_are_escaped(role_client, api):
    inline = [{"name": "<b>Bold</b>", "vocabulary": ["price"]}]
    cid = detected_call(api, texts=["The <i>x</i> price is fine."], trackers=inline)
    html = _page(role_client, "analyst", cid)
    assert "<b>Bold</b>" not in html and "tracker &lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<i>x</i>" not in html
    assert 'The &lt;i&gt;x&lt;/i&gt; <mark class="hl hl-exact" tabindex="0" ' in html


def test_no_detection_says_so(role_client, api):
    cid = detected_call(api, texts=["Nothing to see here."])
    html = _page(role_client, "analyst", cid)
    assert "No tracker caught anything in this conversation." in html
    assert "<mark" not in html


def test_a_reader_s_page_reads_the_detections_once(role_client, call, monkeypatch):
    """With our extension the page builds its marks from it and the messages it already
    has: the documented trackers-detected (the sentences again) is not asked for."""
    from symbl_admin.management_api.detections import Detections

    def not_asked(self, conversation_id):
        raise AssertionError("trackers-detected read although the extension answered")

    monkeypatch.setattr(Detections, "of_conversation", not_asked)
    html = _page(role_client, "analyst", call)
    assert 'aria-describedby="hl-1-2">PRICE list</mark>' in html


def test_without_the_extension_the_documented_answer_is_highlighted(role_client, call, monkeypatch):
    from symbl_admin.management_api.detections import Detections
    from symbl_admin.management_api.errors import ExtensionNotSupported

    def missing(self, conversation_id):
        raise ExtensionNotSupported("no /v1/x here")

    monkeypatch.setattr(Detections, "scores_of", missing)
    html = _page(role_client, "analyst", call)
    assert 'aria-describedby="hl-1-2">PRICE list</mark>' in html
    assert "score not given by this server" in html
