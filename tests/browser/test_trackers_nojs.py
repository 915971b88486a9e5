"""Trackers in a browser with JavaScript off: search, create and delete still work (every
hx- control also has a plain href or form)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_trackers import PHRASES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plain_page(browser):
    """A page with JavaScript off: the core flows must work as plain HTML forms."""
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_search_without_javascript(plain_page, url, login, account):
    account.trackers.create(name="Promotion Mention", vocabulary=PHRASES)
    account.trackers.create(name="Voice Message", vocabulary=["leave a message"])
    page = login(plain_page, "analyst")
    page.goto(url("/trackers/"))
    page.get_by_label("Search names and phrases").fill("voice")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"\?q=voice"))
    expect(page.locator("#tracker-table tbody tr")).to_have_count(1)
    expect(page.locator("#tracker-table")).to_contain_text("Voice Message")


def test_create_without_javascript_uses_the_textarea(plain_page, url, login, account):
    page = login(plain_page, "analyst")
    page.goto(url("/trackers/new/"))
    page.get_by_label("Tracker name").fill("Cancellations")
    page.locator("#id_phrases").fill("cancel my plan\nend the contract\nstop billing\n")
    page.get_by_role("button", name="Create tracker").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cancellations")
    expect(page.locator("#toasts")).to_contain_text("Tracker “Cancellations” created.")
    assert list(account.trackers.find_by_name("Cancellations").vocabulary) == [
        "cancel my plan",
        "end the contract",
        "stop billing",
    ]


def test_delete_without_javascript_uses_the_confirmation_page(plain_page, url, login, account):
    tracker = account.trackers.create(name="Voice Message", vocabulary=PHRASES)
    page = login(plain_page, "lead")
    page.goto(url(f"/trackers/{tracker.id}/"))
    page.get_by_role("button", name="Delete", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this tracker?")
    page.get_by_role("button", name="Delete tracker").click()
    expect(page).to_have_url(url("/trackers/"))
    expect(page.locator("#toasts")).to_contain_text("Tracker “Voice Message” deleted.")
    assert account.trackers.list() == []
