"""Trackers in a real browser: Playwright driving Debian's Chromium against the live server
and the embedded Management API."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHRASES = [
    "special promotion",
    "discount for new customers",
    "month special",
    "sale right now",
    "limited offer",
]


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def paste(locator, text: str) -> None:
    locator.evaluate(
        """(el, text) => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )


def test_create_by_pasting_phrases(page, live_server, login, api, console_errors):
    login(page, "analyst")
    page.goto(f"{live_server.url}/trackers/new/")
    page.get_by_label("Tracker name").fill("Pricing questions")
    first = page.get_by_role("textbox", name="Phrase 1")
    first.click()
    paste(
        first,
        "how much is it\nwhat's the price\nany discount\nis there a fee\nmonthly cost\nwhy so expensive?",
    )
    expect(page.locator("#phrase-rows .phrase-row")).to_have_count(6)
    expect(page.locator("#phrase-counter")).to_have_text("6 of 50")
    expect(page.locator(".json-preview")).to_contain_text("monthly cost")
    bad_row = page.locator(".phrase-row").nth(5)
    expect(bad_row.locator(".row-msg")).to_contain_text("Remove “?”")
    expect(bad_row.locator("input")).to_have_attribute("aria-invalid", "true")
    bad_row.get_by_role("button", name="Remove phrase 6").click()
    expect(page.locator("#phrase-counter")).to_have_text("5 of 50")
    page.get_by_role("button", name="Create tracker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pricing questions")
    expect(page.locator("#toasts")).to_contain_text("created")
    tracker = api.trackers.find_by_name("Pricing questions")
    assert list(tracker.vocabulary) == [
        "how much is it",
        "what's the price",
        "any discount",
        "is there a fee",
        "monthly cost",
    ]
    assert console_errors == []


def test_search_updates_table_url_and_history(page, live_server, login, api):
    api.trackers.create(name="Voice Message", vocabulary=["please leave a message"])
    api.trackers.create(name="Promotion Mention", vocabulary=PHRASES)
    login(page, "analyst")
    page.goto(f"{live_server.url}/trackers/")
    marker = page.evaluate("() => (window.__noReload = 'still here')")
    page.get_by_label("Search names and phrases").fill("discount")
    expect(page).to_have_url(re.compile(r"\?q=discount"))
    expect(page.locator("#tracker-table tbody tr")).to_have_count(1)
    expect(page.locator("#tracker-table mark").first).to_have_text("discount")
    assert page.evaluate("() => window.__noReload") == marker  # htmx swap, not a page load
    page.reload()
    expect(page.locator("#tracker-table tbody tr")).to_have_count(1)
    expect(page.get_by_label("Search names and phrases")).to_have_value("discount")
    page.go_back()
    expect(page.locator("#tracker-table tbody tr")).to_have_count(2)


def test_edit_conflict_between_two_browsers(browser, live_server, login, api):
    tracker = api.trackers.create(name="Shared", vocabulary=PHRASES)
    first = login(browser.new_context().new_page(), "analyst", "ana")
    second = login(browser.new_context().new_page(), "lead", "lee")
    for page in (first, second):
        page.goto(f"{live_server.url}/trackers/{tracker.id}/edit/")
    first.get_by_role("button", name="+ Add a phrase").click()
    first.get_by_role("textbox", name="Phrase 6").fill("from the analyst")
    first.get_by_role("button", name="Save changes").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Shared")

    second.get_by_role("button", name="+ Add a phrase").click()
    second.get_by_role("textbox", name="Phrase 6").fill("from the lead")
    second.get_by_role("button", name="Save changes").click()
    expect(second.locator("#tracker-form")).to_contain_text("changed after you opened it")
    expect(second.locator(".diff-list")).to_contain_text("from the lead")
    second.get_by_role("button", name="Merge phrases").click()
    expect(second.locator("#tracker-form")).to_contain_text("Review, then save")
    second.get_by_role("button", name="Save changes").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Shared")
    vocabulary = api.trackers.get(tracker.id).vocabulary
    assert "from the analyst" in vocabulary and "from the lead" in vocabulary


def test_delete_with_confirmation_dialog(page, live_server, login, api):
    tracker = api.trackers.create(name="Old Tracker", vocabulary=PHRASES)
    login(page, "lead")
    page.goto(f"{live_server.url}/trackers/{tracker.id}/")
    opener = page.get_by_role("link", name="Delete")
    opener.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("“Old Tracker”")
    expect(dialog).to_contain_text("5 phrases")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()
    opener.click()
    page.get_by_role("dialog").get_by_role("button", name="Delete tracker").click()
    expect(page).to_have_url(f"{live_server.url}/trackers/")
    expect(page.locator("#toasts")).to_contain_text("Restore it")
    assert api.trackers.find_by_name("Old Tracker") is None


def test_import_preview_with_bad_rows(page, live_server, login, api):
    api.trackers.create(name="Existing", vocabulary=["x"])
    login(page, "lead")
    page.goto(f"{live_server.url}/trackers/import/")
    page.get_by_label("…or paste here").fill(
        "name,phrases\nFresh Tracker,quote|pricing|discount|offer|deal\nExisting,y\nBroken,why?\n"
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#import-area")).to_contain_text("1 ready")
    expect(page.locator("#import-area")).to_contain_text("2 with problems")
    expect(page.locator("#import-area")).to_contain_text("already exists")
    expect(page.locator("#import-area")).to_contain_text("remove “?”")
    assert api.trackers.find_by_name("Fresh Tracker") is None
    page.get_by_role("button", name="Import 1 tracker").click()
    expect(page.locator("#import-area")).to_contain_text("Import finished")
    expect(page.locator("#import-area")).to_contain_text("1 created")
    page.get_by_role("link", name="Back to trackers").click()
    expect(page.locator("#tracker-table")).to_contain_text("Fresh Tracker")


def test_revert_to_earlier_version(page, live_server, login, api):
    login(page, "lead")
    page.goto(f"{live_server.url}/trackers/new/")
    page.get_by_label("Tracker name").fill("Versioned")
    page.get_by_role("textbox", name="Phrase 1").fill("first phrase")
    page.get_by_role("button", name="Create tracker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Versioned")
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("textbox", name="Phrase 1").fill("second phrase")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".phrase-list").first).to_contain_text("second phrase")
    page.get_by_role("link", name="Revert to this version").click()
    expect(page.locator(".diff-list")).to_contain_text("first phrase")
    page.get_by_role("button", name="Revert").click()
    expect(page.locator(".phrase-list").first).to_contain_text("first phrase")
    expect(page.locator(".audit-timeline")).to_contain_text("Revert")


def test_core_flows_without_javascript(browser, live_server, login, api):
    api.trackers.create(name="Plain One", vocabulary=PHRASES)
    context = browser.new_context(java_script_enabled=False)
    page = login(context.new_page(), "lead", "nojs")
    page.goto(f"{live_server.url}/trackers/")
    page.get_by_label("Search names and phrases").fill("plain")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=plain"))
    page.goto(f"{live_server.url}/trackers/new/")
    page.get_by_label("Tracker name").fill("No Script")
    page.locator("textarea[name=phrases]").fill("alpha\nbeta\ngamma")
    page.get_by_role("button", name="Create tracker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("No Script")
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this tracker?")
    page.get_by_role("button", name="Delete tracker").click()
    expect(page).to_have_url(f"{live_server.url}/trackers/")
    assert api.trackers.find_by_name("No Script") is None


@pytest.mark.parametrize(
    "path", ["/trackers/", "/trackers/new/", "/trackers/import/", "/trackers/deleted/"]
)
def test_no_console_errors_or_csp_violations(page, live_server, login, api, console_errors, path):
    api.trackers.create(name="Any", vocabulary=PHRASES)
    login(page, "admin")
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    assert console_errors == []
