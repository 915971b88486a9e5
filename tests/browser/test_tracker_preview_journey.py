"""Issue 25's journey in Chromium at 1280 and 390 px, by keyboard only: an analyst edits a
tracker and, before saving, sees what the phrases as typed would catch across the stored
conversations (with progress while it runs); saves; the team lead opens the review queue,
opens the change's "Effect on conversations", sees the sentence it newly catches, approves;
then opens the conversation, whose page highlights the new hit (the server re-scored it).

Conversations are processed through the client's process_text with enableAllTrackers and
waited for, on the embedded Management API server. Fails on a console error, an uncaught
exception or a CSP violation (the `problems` guard), and on sideways scrolling."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.walks import checked, go, press, tab_to, walker_fixture  # noqa: F401 (a fixture)
from tests.support.tracker_preview import processed_with_trackers

pytestmark = pytest.mark.django_db(transaction=True)

PRICE = "Send me the price list, please."
REFUND = "Could I get a refund for the broken one?"
SLOW = 30_000  # the model embeds the draft's phrases; the machine is shared
# Records what the status region said and whether the results and the button were busy, as
# each changed: the in-progress state is short, and a screen reader hears it as it happens.
RECORD = """() => { window.acrossSeen = [];
    const status = document.getElementById('across-status');
    const results = document.getElementById('across-results');
    const button = document.getElementById('across-button');
    const note = () => window.acrossSeen.push([status.textContent,
        document.getElementById('across-results').getAttribute('aria-busy'),
        button.getAttribute('aria-disabled')]);
    new MutationObserver(note).observe(status, {childList: true, characterData: true, subtree: true});
    new MutationObserver(note).observe(results, {attributes: true});
    new MutationObserver(note).observe(button, {attributes: true}); }"""


def _queue_item(page, name: str):
    return page.locator(".review-item").filter(has=page.get_by_role("heading", name=name))


def test_a_draft_is_seen_across_conversations_then_reviewed_with_its_impact(
    walker, login, account, url
):
    tracker = account.trackers.create(name="Pricing", vocabulary=["price list"])
    call = processed_with_trackers(account, "Pricing call", [PRICE, REFUND, "Thanks, bye."])
    page, problems = walker
    main = page.get_by_role("main")

    login(page, "analyst")
    page.goto(url(f"/trackers/{tracker.id}/edit/"))
    checked(page, problems, page.get_by_role("textbox", name="Phrase 1", exact=True))
    press(page, main.get_by_role("button", name="+ Add a phrase"))
    page.keyboard.type("refund")
    checked(page, problems, page.get_by_role("textbox", name="Phrase 2", exact=True))

    press(page, page.locator("#try-it > summary"))
    across = page.locator("#across-results")
    expect(across).to_have_attribute("aria-busy", "false")
    page.evaluate(RECORD)
    press(page, main.get_by_role("button", name="Search your conversations"))
    status = page.locator("#across-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("1 newly caught, 0 no longer caught", timeout=SLOW)
    checked(page, problems, across.get_by_text("Newly caught: 1 sentence"))
    expect(across).to_have_attribute("aria-busy", "false")
    button = main.get_by_role("button", name="Search your conversations")
    expect(button).to_be_focused()  # it kept the focus while it was busy
    expect(button).to_have_attribute("aria-disabled", "false")
    seen = page.evaluate("window.acrossSeen")
    assert ["Searching your conversations…", "true", "true"] in seen, seen
    expect(across).to_contain_text(REFUND)
    expect(across.get_by_role("link", name="Pricing call").first).to_be_visible()
    expect(page.get_by_role("textbox", name="Phrase 2", exact=True)).to_have_value("refund")

    press(page, main.get_by_role("button", name="Save changes"))
    checked(page, problems, page.get_by_role("heading", level=1, name="Pricing"))
    expect(main).to_contain_text("refund")

    page.context.clear_cookies()
    login(page, "lead")
    go(page, "Review")
    item = _queue_item(page, "Pricing")
    checked(page, problems, item)
    impact = item.locator(".review-impact")
    expect(impact).to_contain_text("Show the sentences this change newly catches")
    press(page, item.locator(".review-impact-box > summary"))
    expect(impact).to_contain_text("Newly catches 1 sentence, no longer catches 0.", timeout=SLOW)
    checked(page, problems, impact.get_by_text(REFUND))
    expect(impact).to_contain_text("added")

    press(page, item.get_by_role("button", name="Approve"))
    checked(page, problems, page.locator("#toasts").filter(has_text="Pricing"))
    expect(_queue_item(page, "Pricing")).to_have_count(0)

    # The saved change was re-scored on the stored conversation: its page marks the new hit.
    deadline = time.monotonic() + SLOW / 1000
    while account.detections.tracker_hits(tracker.id).rescoring:
        assert time.monotonic() < deadline, "the change's rescore did not finish"
        time.sleep(0.1)
    page.goto(url(f"/conversations/{call}/"))
    mark = page.locator("mark.hl-exact", has_text="refund")
    tab_to(page, mark)
    detail = page.locator(f"#{mark.get_attribute('aria-describedby')}")
    checked(page, problems, detail)
    expect(detail).to_contain_text("refund")
    expect(detail).to_contain_text("Pricing")
