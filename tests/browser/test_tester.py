"""The tracker tester in a real browser: "Try it" in the editor with unsaved phrases, the
threshold slider by keyboard, and the tester page. Fails on any console error or CSP
violation (the `problems` guard)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tester.scoring import DEFAULT_THRESHOLD

DEFAULT = f"{DEFAULT_THRESHOLD:.2f}"

pytestmark = pytest.mark.django_db(transaction=True)


def test_try_it_with_a_typed_phrase(page, url, login, account, problems):
    tracker = account.trackers.create(name="Voice Message", vocabulary=["Please leave message"])
    login(page, "analyst")
    page.goto(url(f"/trackers/{tracker.id}/edit/"))
    page.get_by_role("button", name="+ Add a phrase").click()
    page.get_by_role("textbox", name="Phrase 2", exact=True).fill("how much does it cost")

    page.locator("#try-it > summary").click()
    page.get_by_role("textbox", name="Transcript").fill(
        "Caller: Hi, I saw your ad yesterday.\nCaller: What is the price of the basic plan?"
    )
    status = page.locator("#tester-status")
    expect(status).to_contain_text(f"0 of 2 sentences caught at {DEFAULT}")
    sentence = page.locator("#tester-results [data-sentence]").nth(1)
    expect(sentence.locator("[data-not-caught]")).to_contain_text("score 0.57")

    slider = page.get_by_role("slider", name="Threshold")
    slider.focus()
    page.keyboard.press("End")  # keyboard only: to the top of the range
    expect(status).to_contain_text("0 of 2 sentences caught at 0.80")
    expect(page.locator("#tester-results [data-nothing]")).to_be_visible()
    expect(slider).to_have_attribute("aria-valuetext", "0.80, 0 of 2 caught")
    page.keyboard.press("Home")
    expect(status).to_contain_text("1 of 2 sentences caught at 0.20")
    caught = page.locator("#tester-results .sentence.is-caught")
    expect(caught).to_contain_text("What is the price of the basic plan?")
    expect(caught.locator(".match:not([hidden]) .score")).to_have_text("0.57")
    expect(caught).to_contain_text("closest phrase “how much does it cost”")

    for _ in range(37):  # 0.20 + 37 steps of 0.01: the score as shown, and it counts
        page.keyboard.press("ArrowRight")
    expect(page.locator("#tester-threshold-value")).to_have_text("0.57")
    expect(status).to_contain_text("1 of 2 sentences caught at 0.57")
    page.keyboard.press("ArrowRight")
    expect(status).to_contain_text(f"0 of 2 sentences caught at {DEFAULT}")
    page.get_by_role("textbox", name="Transcript").fill(
        "Caller: The weather has been lovely all week.\nCaller: I grabbed a coffee first."
    )
    expect(status).to_contain_text(f"0 of 2 sentences caught at {DEFAULT}")
    expect(page.locator("#tester-results")).to_contain_text("Nothing caught at this threshold.")


def test_a_sentence_containing_a_phrase_is_marked_exact(page, url, login, account, problems):
    account.trackers.create(
        name="Intro Tracker", vocabulary=["Thank you for taking some time to speak with me"]
    )
    login(page, "analyst")
    page.goto(url("/tester/"))
    page.get_by_role("textbox", name="Transcript").fill(
        "Agent: Hi, this is Sarah from Acme, thank you for taking some time to speak with me "
        "today.\nAgent: The weather is lovely."
    )
    page.get_by_role("button", name="Test the transcript").click()
    caught = page.locator(".sentence.is-caught")
    expect(caught).to_have_count(1)
    match = caught.locator(".match")
    expect(match).to_be_visible()
    expect(match.locator(".badge-exact")).to_be_visible()
    expect(match.locator(".badge-exact")).to_have_text("exact match")  # said in full
    expect(match.locator(".score")).to_have_text("1.00")
    page.get_by_role("slider", name="Threshold").focus()
    page.keyboard.press("End")  # an exact match is caught at any threshold
    expect(page.locator("#tester-status")).to_contain_text("1 of 2 sentences caught at 0.80")


def test_tester_page_for_every_tracker(page, url, login, account, problems):
    account.trackers.create(name="Voice Message", vocabulary=["Sorry we missed your call"])
    account.trackers.create(name="Pricing", vocabulary=["What is the price"])
    login(page, "auditor")
    page.goto(url("/tester/"))
    page.get_by_role("textbox", name="Transcript").fill(
        "Sorry we missed your call. How much is it? Bye now."
    )
    page.get_by_role("button", name="Test the transcript").click()
    expect(page.locator("#tester-status")).to_contain_text(f"sentences caught at {DEFAULT}")
    expect(page.locator(".tester-counts")).to_contain_text("Voice Message")
    expect(page.locator(".sentence.is-caught").first).to_contain_text("Sorry we missed your call.")
