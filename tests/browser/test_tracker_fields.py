"""Every field a tracker has, in a browser: an analyst fills them all, finds the tracker by
its category, edits it, reads the change in the history, and an export imports back whole."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_trackers import paste, toast

pytestmark = pytest.mark.django_db(transaction=True)

PHRASES = "how much is it\nwhat does it cost\nprice list\nmonthly fee\nyearly plan\n"


def test_every_tracker_field_from_create_to_export_and_back(page, url, login, account, problems):
    login(page, "lead")
    page.goto(url("/trackers/new/"))
    page.get_by_label("Tracker name").fill("Pricing questions")
    paste(page, page.get_by_role("textbox", name="Phrase 1", exact=True), PHRASES)
    page.get_by_label("Description (optional)").fill("Customers asking what it costs")
    categories = page.get_by_label("Categories (optional)")
    categories.fill("sales")
    categories.press("Enter")
    categories.fill("billing,")
    expect(page.get_by_role("button", name="Remove category billing")).to_be_visible()
    languages = page.get_by_label("Languages (optional)")
    languages.fill("en-US")
    languages.press("Enter")
    page.locator("details.excluded summary").click()
    page.get_by_label("Phrases to ignore (optional)").fill("price list download")
    expect(page.locator("#tracker-feedback")).to_contain_text("English (United States)")
    expect(page.get_by_label("JSON preview")).to_contain_text('"price list download"')
    page.get_by_role("button", name="Create tracker").click()

    expect(toast(page)).to_contain_text("Tracker “Pricing questions” created.")
    created = account.trackers.find_by_name("Pricing questions")
    assert created.description == "Customers asking what it costs"
    assert created.categories == ("sales", "billing")
    assert created.languages == ("en-US",)
    assert created.exclude_vocabulary == ("price list download",)
    account.trackers.create(name="Voice Message", vocabulary=["leave a message"])

    page.goto(url("/trackers/"))
    page.get_by_label("Category", exact=True).select_option("billing")
    expect(page.locator("#tracker-table tbody tr")).to_have_count(1)
    expect(page.locator("#tracker-table")).to_contain_text("Pricing questions")
    expect(page).to_have_url(re.compile(r"/trackers/\?category=billing"))

    page.goto(url(f"/trackers/{created.id}/edit/"))
    page.get_by_label("Description (optional)").fill("What customers ask about price")
    page.get_by_role("button", name="Save changes").click()
    expect(toast(page)).to_contain_text("saved")
    history = page.locator(".audit-timeline-item").first
    history.locator("summary").click()
    expect(history).to_contain_text("Description")
    expect(history).to_contain_text("What customers ask about price")

    with page.expect_download() as download:
        page.goto(url("/trackers/"))
        page.get_by_role("link", name="CSV").click()
    exported = download.value.path().read_text(encoding="utf-8-sig")
    for tracker in account.trackers.list():
        account.trackers.delete(tracker.id)
    page.goto(url("/trackers/import/"))
    page.get_by_label("…or paste here").fill(exported)
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Import 2 trackers").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    back = account.trackers.find_by_name("Pricing questions")
    assert back.to_api() == {**created.to_api(), "description": "What customers ask about price"}


def test_chips_work_from_the_keyboard(page, url, login, problems):
    login(page, "analyst")
    page.goto(url("/trackers/new/"))
    box = page.get_by_label("Categories (optional)")
    box.focus()
    page.keyboard.type("sales")
    page.keyboard.press("Enter")
    page.keyboard.type("billing,")
    remove_sales = page.get_by_role("button", name="Remove category sales")
    expect(remove_sales).to_be_visible()
    expect(box).to_be_focused()
    expect(page.locator("#id_categories-value")).to_have_value("sales, billing")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(remove_sales).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Remove category billing")).to_be_focused()
    expect(page.locator("#id_categories-value")).to_have_value("billing")
    page.keyboard.press("Tab")
    expect(box).to_be_focused()
    page.keyboard.press("Backspace")
    expect(page.locator("#id_categories-value")).to_have_value("")
    expect(box).to_be_focused()
