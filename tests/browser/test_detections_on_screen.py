"""Detections on screen, in Chromium at 1280 and 390 px, by keyboard: an analyst opens a
conversation whose sentences trackers caught, Tabs to the exact phrase's mark and to the
contextual sentence's label and sees each one's phrase, tracker and score (also its
accessible description); opens the tracker's page, whose panel says what it caught (a phrase
that caught nothing marked) and follows a caught sentence back to its conversation; the
Overview lists the tracker among the top trackers of the last 7 days.

Over the embedded Management API server. Fails on a console error, an uncaught exception or a
CSP violation (the `problems` guard), and on sideways scrolling at any step. With
SYMBL_SCREENSHOTS=DIR it also saves each screen there, to be looked at."""

from __future__ import annotations

import os
import time

import pytest
from playwright.sync_api import expect

from symbl_admin.management_api.conversation_types import text_message
from tests.browser.walks import settled, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = [
    "Good morning, thanks for calling.",
    "Could you send me the price list for the team plan, please?",
    "I want my money back.",
]


def _wide(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def _shot(page, name: str, width: int) -> None:
    folder = os.environ.get("SYMBL_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}-{width}.png"), full_page=True)


def _caught(account):
    tracker = account.trackers.create(name="Pricing", vocabulary=["price list", "zebra crossing"])
    submitted = account.conversations.process_text(
        [text_message(t, speaker=s) for t, s in zip(TEXTS, ["Ann", "Bob", "Bob"], strict=True)],
        name="Renewal call",
        trackers=[{"name": "Refunds", "vocabulary": ["refund"]}],
        enable_all_trackers=True,
    )
    deadline = time.monotonic() + 30
    while not account.conversations.job(submitted.job_id).done:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    while account.detections.tracker_hits(tracker.id).rescoring:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return tracker, submitted.conversation_id


@pytest.mark.parametrize("width", [1280, 390])
def test_highlights_tracker_hits_and_top_trackers(page, url, login, account, problems, width):
    tracker, conversation = _caught(account)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "analyst")

    expect(page.locator("#top-trackers").get_by_role("link", name="Pricing")).to_be_visible()
    _shot(page, "overview", width)
    assert not _wide(page)

    page.goto(url(f"/conversations/{conversation}/"))
    summary = page.locator("#detections-summary")
    expect(summary.get_by_role("link", name="Pricing")).to_be_visible()
    exact = page.locator("mark.hl-exact", has_text="price list")
    tab_to(page, exact)
    detail = page.locator(f"#{exact.get_attribute('aria-describedby')}")
    expect(detail).to_be_visible()
    expect(detail).to_have_text("Exact match of “price list” · tracker Pricing · score 1.00")
    expect(exact).to_have_accessible_description(
        "Exact match of “price list” · tracker Pricing · score 1.00"
    )
    assert not _wide(page)
    _shot(page, "conversation-exact-focused", width)
    label = page.locator(".hl-label", has_text="Refunds")
    tab_to(page, label)
    expect(detail).to_be_hidden()
    context = page.locator(f"#{label.get_attribute('aria-describedby')}")
    expect(context).to_be_visible()
    expect(context).to_contain_text("Contextual match of “refund” · tracker Refunds · score 0.")
    expect(page.locator("mark.hl-sentence", has_text="money back")).to_be_visible()
    assert not _wide(page)
    _shot(page, "conversation-contextual-focused", width)

    page.goto(url(f"/trackers/{tracker.id}/"))
    panel = page.locator("#tracker-hits")
    expect(panel).to_contain_text("Caught in 1 of 1 conversation processed with the account")
    expect(panel.locator("li", has_text="zebra crossing")).to_contain_text("caught nothing yet")
    settled(page)
    assert not _wide(page)
    _shot(page, "tracker", width)
    tab_to(page, panel.get_by_role("link", name="Open its conversation"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Renewal call")
    assert problems == []


def test_the_detection_screens_have_no_axe_violations(browser, live_server, login, account):
    from axe_playwright_python.sync_playwright import Axe

    tracker, conversation = _caught(account)
    page = browser.new_context(bypass_csp=True).new_page()  # axe runs injected
    login(page, "analyst")
    axe, found = Axe(), {}
    for path in [
        "/",
        f"/conversations/{conversation}/",
        f"/trackers/{tracker.id}/",
        f"/trackers/{tracker.id}/hits/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if "conversations" in path:
            page.locator("mark.hl-exact").first.focus()  # its detail shown, checked too
        violations = axe.run(page).response["violations"]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert found == {}
