"""The group editor's live count in a real browser, by keyboard alone, at 1280 and 390 px:
change a condition's value and watch "Selects N of M conversations" follow in the live
region; make the criteria invalid in text mode and the count goes while the error shows.
Then the group page loads its conversations. Fails on a console error, an uncaught exception
or a CSP violation (the `problems` guard)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_bulk_actions import tab_to
from tests.groups.conversation_support import processed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_live_count_follows_the_criteria_typed(page, url, login, account, problems, width):
    processed(account, "John call", agentId="john")
    processed(account, "Mary call", agentId="mary")
    processed(account, "Mary again", agentId="mary")
    group = account.groups.create(name="Chosen", criteria="conversation.metadata.agentId==john")
    page.set_viewport_size({"width": width, "height": 850})
    login(page, "analyst")
    page.goto(url(f"/groups/{group.id}/edit/"))
    count = page.locator("#live-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_text("Selects 1 of 3 conversations over all time.")

    tab_to(page, "Condition 1: value")
    page.keyboard.press("Control+A")
    page.keyboard.type("mary")
    expect(count).to_have_text("Selects 2 of 3 conversations over all time.")
    expect(page.get_by_label("Condition 1: value")).to_be_focused()  # the count moved, not focus

    tab_to(page, "Edit as text", back=True)
    page.keyboard.press("Enter")
    text = page.get_by_label("Criteria (RSQL)")
    expect(text).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type("=")
    expect(page.locator("#criteria-preview")).to_contain_text("Not valid yet")
    expect(count).to_have_text("")
    page.keyboard.press("Backspace")
    expect(count).to_have_text("Selects 2 of 3 conversations over all time.")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    page.goto(url(f"/groups/{group.id}/"))
    expect(page.locator("#group-conversations")).to_contain_text("1 conversation selected")
    expect(page.locator("#group-conversations")).to_contain_text("John call")
