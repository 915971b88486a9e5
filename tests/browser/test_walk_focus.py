"""Defects found by the role walks (test_role_walks*.py), each pinned by its own browser test.

1. Import: Preview, then Import, replace the form the focused button was in; focus fell to
   <body> and the next Tab started again at "Skip to main content". It now lands on the new
   content's heading (static/js/app.js, keepFocusInSwap).
2. Audit log: a date typed by keyboard fired a request per digit, each aborting the last (a
   console error from htmx) and each pushing a history entry (templates/audit/entry_list.html).
3. Lists: Enter on a sort header lost focus to <body> (issue 23); it stays on that header.
4. List search: leaving the box asked again and pushed a second history entry (issue 23);
   "change" now listens to the list's selects only (components/list_search.html).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.walks import choose_file, focused, press, tab_to

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_keeps_focus_in_the_import_area(page, url, login, problems, tmp_path):
    source = tmp_path / "trackers.csv"
    source.write_text("name,phrase\nWarranty,is it still under warranty\n")
    login(page, "lead")
    page.goto(url("/trackers/import/"))
    main = page.get_by_role("main")
    choose_file(page, main.locator("input[type=file]"), source)

    press(page, main.get_by_role("button", name="Preview"))
    expect(main.get_by_role("cell", name="Warranty")).to_be_visible()
    assert focused(page).startswith("h2#preview-h"), focused(page)

    press(page, main.locator(".import-actions").get_by_role("button").first)
    expect(main.get_by_role("link", name="Warranty")).to_be_visible()
    assert focused(page).startswith("h2#progress-h"), focused(page)
    page.keyboard.press("Tab")  # on into the result, not back to the top of the page
    assert page.evaluate("!!document.activeElement.closest('#import-area')"), focused(page)


def test_typing_an_audit_date_by_keyboard_asks_once(page, url, login, problems):
    """Chromium's date field changes with every digit typed (year 0002, 0020, 0202, 2026): each
    change asked for the table, the next aborted it (htmx logs that as a console error) and
    every answer pushed a history entry."""
    login(page, "auditor")
    page.goto(url("/audit/"))
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/audit/?" in r.url else None)
    tab_to(page, page.get_by_label(re.compile("^From")))
    before = page.evaluate("history.length")
    page.keyboard.type("12072026")
    page.wait_for_url(re.compile("date_from=2026-12-07"))
    page.wait_for_timeout(800)  # anything still debounced has had its turn
    assert problems == []
    assert len(asked) == 1, asked
    assert page.evaluate("history.length") == before + 1


def test_sort_header_keeps_focus_on_its_column(page, url, login, account, problems):
    """Enter on a column header swapped the table and focus fell to <body>; the next Tab went
    to "Skip to main content" (issue 23). Focus stays on that column's header."""
    for name, phrases in (("Alpha", ["one"]), ("Beta", ["one", "two"])):
        account.trackers.create(name=name, vocabulary=phrases)
    login(page, "analyst")
    page.goto(url("/trackers/"))
    header = page.get_by_role("columnheader").filter(has_text="Phrases").get_by_role("link")
    for sort in ("sort=phrases", "sort=-phrases"):
        press(page, header)
        page.wait_for_url(re.compile(sort))
        expect(header).to_be_focused()
    page.keyboard.press("Shift+Tab")  # back along the same row of headers, not the page top
    assert page.evaluate("!!document.activeElement.closest('thead')"), focused(page)


def test_leaving_the_list_search_asks_nothing_more(page, url, login, account, problems):
    """The search had already asked as the user typed; leaving the box (its change event)
    asked again and pushed a second, identical history entry (issue 23)."""
    account.trackers.create(name="Pricing", vocabulary=["what is the price"])
    login(page, "analyst")
    page.goto(url("/trackers/"))
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/trackers/?" in r.url else None)
    tab_to(page, page.get_by_role("searchbox"))
    before = page.evaluate("history.length")
    page.keyboard.type("pric")
    page.wait_for_url(re.compile("q=pric"))
    page.wait_for_timeout(400)
    page.keyboard.press("Tab")
    page.wait_for_timeout(600)
    assert len(asked) == 1, asked
    assert page.evaluate("history.length") == before + 1
    expect(page.get_by_role("link", name="Pricing")).to_be_visible()
