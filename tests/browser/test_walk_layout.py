"""Walk defects in layout and error pages, in a real browser: on a phone the tracker's check
comes before its buttons and the group editor's heading sits inside its box (375 and 390 px);
the 404 page leads back to its section and one page back. See also test_walk.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import watch
from tests.browser.test_walk import press_on

pytestmark = pytest.mark.django_db(transaction=True)


# ---------------------------------------------------------------- 5. phone layouts


@pytest.mark.parametrize("width", [375, 390])
def test_phone_tracker_check_comes_before_create(browser, live_server, login, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    found = watch(context)
    page = context.new_page()
    login(page, "analyst")
    page.goto(f"{live_server.url}/trackers/new/")
    check = page.get_by_role("heading", name="Check").bounding_box()
    create = page.get_by_role("button", name="Create tracker").bounding_box()
    assert check["y"] + check["height"] <= create["y"]
    # Tab order follows what the user sees: the check panel, then the buttons.
    order = page.evaluate(
        """() => { const check = document.getElementById('tracker-feedback');
            const create = [...document.querySelectorAll('button')].find(
                b => b.textContent.trim() === 'Create tracker');
            return check.compareDocumentPosition(create) & Node.DOCUMENT_POSITION_FOLLOWING; }"""
    )
    assert order
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert found == []
    context.close()


@pytest.mark.parametrize("width", [375, 390])
def test_phone_group_section_heading_sits_inside_its_box(browser, live_server, login, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    found = watch(context)
    page = context.new_page()
    login(page, "lead")
    page.goto(f"{live_server.url}/groups/new/")
    box = page.evaluate(
        """() => { const f = document.querySelector('.criteria-box'),
                         l = f.querySelector('legend');
            const fr = f.getBoundingClientRect(), lr = l.getBoundingClientRect();
            return { gap: lr.top - fr.top, border: parseFloat(getComputedStyle(f).borderTopWidth),
                     right: lr.right, boxRight: fr.right }; }"""
    )
    assert box["gap"] >= box["border"] + 4, box  # below the border line, not straddling it
    assert box["right"] <= box["boxRight"], box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert found == []
    context.close()


# ---------------------------------------------------------------- 6. error pages


def test_not_found_page_offers_the_section_and_a_way_back(browser, url, login):
    context = browser.new_context()
    found = watch(context)
    page = context.new_page()
    login(page, "analyst")
    page.goto(url("/trackers/"))
    page.goto(url("/trackers/no-such-tracker/"))
    main = page.locator("main")
    expect(main.get_by_role("link", name="Back to Trackers")).to_have_attribute(
        "href", "/trackers/"
    )
    sections = main.get_by_role("navigation", name="Sections")
    expect(sections.get_by_role("link")).to_have_text(["Overview", "Groups"])
    back = main.get_by_role("button", name="Go back")
    expect(back).to_be_visible()
    press_on(page, back)
    page.wait_for_url(url("/trackers/"))
    # The browser always logs the 404 status itself; nothing else may show up.
    assert [f for f in found if "status of 404" not in f] == []
    context.close()
