"""The reader keeps their place (issue 23, medium items), by keyboard alone at 1280 and 390 px:
Enter on a list's sort header leaves focus on that header; the list search sends each query
once (one request, one history entry) and never drops focus to the page top; a review decision
moves the reader to the item that follows, and Next → to the top of the new page.

Every test fails on a console error or warning, an uncaught exception or a CSP violation
(`watch`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import watch
from tests.browser.test_groups import settled
from tests.browser.test_trackers import PHRASES

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 390]


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def screen(request, browser):
    """A page at this width and what its console reported."""
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    found = watch(context)
    yield context.new_page(), found
    context.close()
    assert found == [], "the browser reported problems"


def active(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; return {
            tag: e.tagName.toLowerCase(), id: e.id, text: e.textContent.trim().slice(0, 40),
            header: !!e.closest('thead'), table: !!e.closest('[id$="-table"]'),
            skip: e.classList.contains('skip-link') }; }"""
    )


def press_on(page, locator, key: str = "Enter") -> None:
    locator.focus()
    page.keyboard.press(key)
    settled(page)


# ---------------------------------------------------------------- sort headers


@pytest.mark.parametrize("path", ["/trackers/", "/groups/"])
def test_enter_on_a_sort_header_keeps_focus_on_that_header(screen, url, login, api, path):
    page, _ = screen
    for n in range(3):
        api.trackers.create(name=f"Tracker {n}", vocabulary=PHRASES)
        api.groups.create(name=f"Group {n}", criteria=f"conversation.metadata.customerId=={n}")
    login(page, "analyst")
    page.goto(url(path))
    header = page.locator("thead th a").first
    label = header.text_content().strip().rstrip(" ▲▼")
    press_on(page, header)
    assert "sort=" in page.url
    now = active(page)
    assert now["header"] and now["text"].startswith(label), now
    page.keyboard.press("Tab")  # onward through the table, not back to "Skip to main content"
    after = active(page)
    assert not after["skip"] and after["table"], after


# ---------------------------------------------------------------- list search


def _searches(page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "q=discount" in r.url else None)
    return sent


def test_leaving_the_search_box_sends_no_second_request_and_adds_no_history(
    screen, url, login, api
):
    page, _ = screen
    api.trackers.create(name="Discount Asks", vocabulary=["any coupon", "price match"])
    api.trackers.create(name="Voice Message", vocabulary=["leave a message", "voicemail"])
    login(page, "analyst")
    page.goto(url("/trackers/"))
    sent = _searches(page)
    box = page.get_by_label("Search names and phrases")
    box.focus()
    page.keyboard.type("discount")
    page.wait_for_timeout(400)
    settled(page)
    page.keyboard.press("Tab")  # leave the box: its `change` must not send the query again
    page.wait_for_timeout(400)
    settled(page)
    box.focus()
    page.keyboard.press("Enter")  # the same query again: nothing to send
    page.wait_for_timeout(400)
    settled(page)
    assert len(sent) == 1, sent
    expect(page.locator("#tracker-table tbody tr")).to_have_count(1)
    page.go_back()  # one Back undoes the one search
    expect(page).to_have_url(url("/trackers/"))
    expect(page.locator("#tracker-table tbody tr")).to_have_count(2)


def test_tabbing_into_the_table_while_a_search_lands_keeps_focus_off_the_page_top(
    screen, url, login, api
):
    page, _ = screen
    api.trackers.create(name="Discount Asks", vocabulary=["any coupon", "price match"])
    api.trackers.create(name="Voice Message", vocabulary=["leave a message", "voicemail"])
    login(page, "analyst")
    page.goto(url("/trackers/"))
    page.get_by_label("Search names and phrases").focus()
    page.keyboard.type("discount")
    for _ in range(8):  # a quick reader tabs on before the search has answered
        page.keyboard.press("Tab")
        if active(page)["table"]:
            break
    assert active(page)["table"]
    page.wait_for_timeout(600)
    settled(page)
    expect(page.locator("#tracker-table tbody tr")).to_have_count(1)
    assert active(page)["id"] == "list-search"  # the table it was in is gone: back in the box
    page.keyboard.press("Tab")
    assert not active(page)["skip"]


# ---------------------------------------------------------------- review queue


def _queue(n: int) -> None:
    from audit.services import AuditContext
    from resources import services
    from symbl_admin.management_api import get_client
    from trackers.resource import TRACKERS

    ctx = AuditContext(actor=None, username="someone", request_id="r", ip="", user_agent="")
    for i in range(n):
        data = {"name": f"Tracker {i:02}", "vocabulary": PHRASES}
        services.create(client=get_client(), resource=TRACKERS, data=data, ctx=ctx)


def _top_of(page, selector_or_id: str) -> float:
    return page.evaluate(
        "id => document.getElementById(id).getBoundingClientRect().top", selector_or_id
    )


@pytest.mark.parametrize("decision", ["Approve", "Request changes"])
def test_a_decision_moves_the_reader_to_the_item_that_follows(screen, url, login, decision):
    page, _ = screen
    _queue(10)
    login(page, "lead")
    page.goto(url("/review/"))
    items = page.locator(".review-item")
    expect(items).to_have_count(10)
    seventh, eighth = items.nth(6), items.nth(7)
    following = eighth.get_attribute("id")
    if decision == "Request changes":
        seventh.get_by_label("Comment").focus()
        page.keyboard.type("Say it the way customers do.")
    press_on(page, seventh.get_by_role("button", name=decision, exact=True))
    expect(page.locator(".review-item")).to_have_count(9)
    assert active(page)["id"] == following
    top = _top_of(page, following)
    assert 0 <= top < 200, top  # at the top of the window, below the sticky bar
    said = "Approved “Tracker 06”." if decision == "Approve" else "Changes requested on"
    expect(page.locator("#toasts .toast")).to_contain_text(said)
    assert page.get_by_text(said).count() == 1  # once: the toast, not the status line too


def test_next_page_starts_the_reader_at_its_first_item(screen, url, login):
    page, _ = screen
    _queue(12)
    login(page, "lead")
    page.goto(url("/review/"))
    press_on(page, page.get_by_role("link", name="Next →"))
    expect(page.locator(".pagination")).to_contain_text("Page 2 of 2")
    first = page.locator(".review-item").first.get_attribute("id")
    assert active(page)["id"] == first
    top = _top_of(page, first)
    assert 0 <= top < 200, top
    assert "page=2" in page.url


def test_deciding_the_last_item_of_a_page_moves_to_the_one_the_next_page_moved_up(
    screen, url, login
):
    page, _ = screen
    _queue(12)
    login(page, "lead")
    page.goto(url("/review/?page=2"))
    moved_up = page.locator(".review-item").first.get_attribute("id")
    page.goto(url("/review/"))
    last = page.locator(".review-item").nth(9)
    press_on(page, last.get_by_role("button", name="Approve", exact=True))
    expect(page.locator(f"#{moved_up}")).to_have_count(1)
    assert active(page)["id"] == moved_up  # the next item, not the one before
