"""Screenshots of the trackers screens at desktop and phone widths, for looking at them.

Not collected by a plain `pytest` run (the file name does not start with test_); run it on
purpose:  .venv/bin/python -m pytest tests/browser/shots_trackers.py -q
Writes PNGs into $SHOTS_DIR (default /tmp/trackers-shots).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.test_trackers import PHRASES, audited_tracker, paste

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(browser, live_server, login, api, width):
    out = Path(os.environ.get("SHOTS_DIR", "/tmp/trackers-shots"))
    out.mkdir(parents=True, exist_ok=True)
    tracker = audited_tracker("Promotion Mention", PHRASES)
    api.trackers.create(name="Voice Message", vocabulary=["leave a message", "voicemail"])
    api.trackers.create(
        name="Discount Asks — a rather long tracker name that has to wrap",
        vocabulary=["any coupon", "price match"],
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()

    def go(path):
        page.goto(f"{live_server.url}{path}")

    def shot(name, full=True):
        page.wait_for_timeout(300)  # let the live check and transitions finish
        page.screenshot(path=out / f"{name}-{width}.png", full_page=full)

    login(page, "lead")
    go("/trackers/?q=discount")
    shot("list")

    go(f"/trackers/{tracker.id}/edit/")
    page.get_by_role("button", name="Remove phrase 1").click()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="History").wait_for()
    shot("detail")
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("dialog").wait_for()
    shot("delete-dialog", full=False)
    page.keyboard.press("Escape")

    go("/trackers/new/")
    page.get_by_label("Tracker name").fill("Pricing")
    paste(
        page,
        page.get_by_role("textbox", name="Phrase 1", exact=True),
        "how much?\nI think the price is high\nprice list\nprice list\n",
    )
    page.get_by_role("button", name="Create tracker").click()
    page.get_by_role("alert").wait_for()
    shot("new-errors")
    shot("new-errors-viewport", full=False)

    go(f"/trackers/{tracker.id}/edit/")
    api.trackers.update(tracker.id, name=tracker.name, vocabulary=[*PHRASES, "their addition"])
    page.get_by_role("button", name="Remove phrase 2").click()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="Someone else changed this tracker").wait_for()
    shot("conflict")

    go("/trackers/import/")
    page.get_by_label("…or paste here").fill(
        "name,phrase\nBilling,invoice\nBilling,refund please\nQuestions,why?\n"
        "Voice Message,hello\nShort,one\n"
    )
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("heading", name="Preview").wait_for()
    shot("import-preview")
    context.close()
