"""Keyboard-only walks: what test_role_walks*.py share.

A walk reaches every control by pressing Tab (or Shift+Tab) until it has focus, then acts on
it with Enter, Space or Escape; never a mouse click or element.click(). After each step the
walk checks what a user would: a visible outcome, focus on something (not <body>), no
sideways scrolling, and a clean console (the `problems` list of support.watch).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import watch

WIDTHS = [1280, 390]
NARROW = 760  # below this width the main navigation sits behind the "Menu" button

DESCRIBE = """() => { const e = document.activeElement;
    if (!e || e === document.body) return '<body>';
    const name = e.getAttribute('aria-label') || (e.labels && e.labels[0]
        ? e.labels[0].textContent : e.textContent) || e.getAttribute('name') || '';
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "'
        + name.trim().replace(/\\s+/g, ' ').slice(0, 40) + '"'; }"""


# Controls a person can reach that have no accessible name (a screen reader says only "edit
# text" or "button"): a simple approximation of the accessible-name computation.
UNNAMED = """() => [...document.querySelectorAll(
    'main a[href], main button, main input:not([type=hidden]), main select, main textarea')]
    .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
    .filter(e => !(e.getAttribute('aria-label') || '').trim()
        && !e.getAttribute('aria-labelledby') && !(e.labels && e.labels.length)
        && !(e.getAttribute('title') || '').trim()
        && !((e.matches('a, button') && e.textContent.trim()))
        && !(e.matches('input[type=submit], input[type=button]') && e.value))
    .map(e => e.outerHTML.slice(0, 120))"""

# Where the focused element is drawn: a person must see what they are on.
SHOWN = """() => { const e = document.activeElement; if (!e || e === document.body) return true;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; }"""


# Is the focused control covered (by the sticky bar, a toast) where a person would look at it?
COVERED = """() => { const e = document.activeElement; if (!e || e === document.body) return '';
    const r = e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return '';
    const top = document.elementFromPoint(x, y);
    if (!top || e.contains(top) || top.contains(e) || (e.labels && [...e.labels].some(
        l => l.contains(top)))) return '';
    return top.outerHTML.slice(0, 100); }"""


def focused(page) -> str:
    """A short description of the element with keyboard focus ('<body>' when none has)."""
    return page.evaluate(DESCRIBE)


def settled(page) -> None:
    """No htmx request in flight (htmx marks the elements it is working for)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')"
    )


def tab_to(page, locator, limit: int = 60, back: bool = False) -> None:
    """Press Tab (Shift+Tab with back=True) until `locator` has focus; fail naming each stop."""
    key = "Shift+Tab" if back else "Tab"
    locator.wait_for(state="attached", timeout=5000)
    visited = []
    for _ in range(limit):
        if locator.evaluate("e => e === document.activeElement"):
            cover = page.evaluate(COVERED)
            assert not cover, f"{focused(page)} is covered by {cover} at {page.url}"
            return
        page.keyboard.press(key)
        visited.append(focused(page))
        assert page.evaluate(SHOWN), f"focus on something not shown: {visited[-1]} at {page.url}"
    if locator.evaluate("e => e === document.activeElement"):
        return tab_to(page, locator, limit=1)
    pytest.fail(f"{key} x{limit} never reached {locator}; visited: " + " → ".join(visited))


def press(page, locator, key: str = "Enter", back: bool = False) -> None:
    """Tab to the control, press the key on it, wait for htmx to finish."""
    tab_to(page, locator, back=back)
    page.keyboard.press(key)
    page.wait_for_load_state()
    settled(page)


def choose_file(page, locator, files) -> None:
    """Tab to a file input, open the browser's file chooser with Space, pick `files` (a path,
    or a list of paths or {"name", "mimeType", "buffer"} payloads)."""
    count = len(files) if isinstance(files, list) else 1
    # Listen first: Playwright only intercepts the chooser once someone listens, and a listener
    # added inside expect_file_chooser can miss a Space pressed right after it (CI saw it).
    page.once("filechooser", lambda chooser: chooser.set_files(files))
    tab_to(page, locator)
    with page.expect_file_chooser():
        page.keyboard.press("Space")
    page.wait_for_function(
        "([e, n]) => e.files.length === n", arg=[locator.element_handle(), count]
    )


def checked(page, problems: list[str], outcome=None, timeout: float = 5000) -> None:
    """What a user sees after a step: the outcome, focus somewhere, no sideways scroll."""
    if outcome is not None:
        expect(outcome.first).to_be_visible(timeout=timeout)
    settled(page)
    # A newly loaded page starts at its top (the next Tab reaches "Skip to main content"), as
    # browsers do; within one page, focus that falls to <body> is lost.
    same_page = page.evaluate(
        "() => { const s = !!window.walkMark; window.walkMark = 1; return s; }"
    )
    assert not (same_page and focused(page) == "<body>"), f"focus fell to <body> at {page.url}"
    wide = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], f"sideways scroll at {page.url}: {wide}"
    assert page.evaluate(UNNAMED) == [], f"controls without a name at {page.url}"
    assert problems == [], problems


def go(page, section: str) -> None:
    """Open a section from the top navigation by keyboard (behind "Menu" on a phone): Tab on
    from the top of a page just loaded, else Shift+Tab back up to it."""
    narrow = page.viewport_size["width"] < NARROW
    nav = page.locator(".nav-toggle" if narrow else ".mainnav")
    first = nav.locator("summary") if narrow else nav.get_by_role("link").first
    tab_to(page, first, limit=200, back=focused(page) != "<body>")
    if narrow:
        press(page, nav.locator("summary"))
    # A link's name may carry a count after the section's name ("Review 3").
    press(page, nav.get_by_role("link", name=re.compile(rf"^{re.escape(section)}\b")))


@pytest.fixture(name="walker", params=WIDTHS, ids=lambda w: f"{w}px")
def walker_fixture(request, browser, login):
    """(page, problems) for a fresh context at 1280 or 390 px wide."""
    # A fixed locale and zone: a date is typed in en-US order, and "today" is the same day for
    # the browser, the server and the test, whichever zone the audit filters come to use.
    context = browser.new_context(
        viewport={"width": request.param, "height": 800},
        accept_downloads=True,
        locale="en-US",
        timezone_id="UTC",
    )
    problems = watch(context)
    page = context.new_page()
    yield page, problems
    context.close()
