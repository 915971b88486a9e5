"""Defects from the new-user walk (every role, 1280 and 390 px, keyboard only), each pinned by
a browser test: focus after the group builder's swaps, a clean console in both editors, list
state kept in the URL, limits read from the page, the top bar's focus ring and menus. The
phone layouts and the error pages are in test_walk_layout.py.

Every test fails on a console error or warning, an uncaught exception or a CSP violation in
any page it opened (the `problems` guard from test_trackers).
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from symbl_admin import contract
from tests.browser.support import watch
from tests.browser.test_groups import settled
from tests.browser.test_trackers import PHRASES

pytestmark = pytest.mark.django_db(transaction=True)


def focused(page) -> dict:
    """What has keyboard focus: tag, name, id and accessible label."""
    return page.evaluate(
        """() => { const e = document.activeElement; return {
            tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '', id: e.id,
            label: e.getAttribute('aria-label') || (e.labels && e.labels[0]
                ? e.labels[0].textContent.trim() : '') }; }"""
    )


def press_on(page, locator, key: str = "Enter") -> None:
    """Keyboard only: focus the control, press the key, let htmx finish."""
    locator.focus()
    page.keyboard.press(key)
    settled(page)


def query_of(page) -> dict:
    return parse_qs(urlsplit(page.url).query, keep_blank_values=True)


# ---------------------------------------------------------------- 1. group editor


def test_group_builder_buttons_keep_keyboard_focus(page, url, login, problems):
    login(page, "lead")
    page.goto(url("/groups/new/"))
    page.get_by_label("Group name").fill("Jane and her customers")
    page.get_by_label("Condition 1: field").fill("agentId")
    page.get_by_label("Condition 1: value").fill("jane")

    press_on(page, page.get_by_role("button", name="+ Add a condition"))
    assert focused(page)["name"] == "cond-1-kind"
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Condition 2: field"

    press_on(page, page.get_by_role("button", name="Remove condition 2"))
    assert focused(page)["name"] == "cond-0-kind"

    press_on(page, page.get_by_role("button", name="Edit as text"))
    assert focused(page)["id"] == "id_criteria_text"
    expect(page.get_by_label("Criteria (RSQL)")).to_have_value(
        "conversation.metadata.agentId==jane"
    )

    press_on(page, page.get_by_role("button", name="Builder"))
    assert focused(page)["id"] == "id_join"
    # Nothing was saved and nothing was wrong: no error summary after a builder button.
    expect(page.get_by_role("alert")).to_have_count(0)


def test_builder_refusing_the_text_keeps_focus_in_the_text(page, url, login, api, problems):
    nested = (
        "(conversation.metadata.agentId==jane or conversation.metadata.agentId==joe) "
        "and conversation.metadata.customerId==7"
    )
    group = api.groups.create(name="Nested", criteria=nested)
    login(page, "lead")
    page.goto(url(f"/groups/{group.id}/edit/"))
    press_on(page, page.get_by_role("button", name="Builder"))
    expect(page.get_by_role("status").filter(has_text="cannot be shown")).to_be_visible()
    assert focused(page)["id"] == "id_criteria_text"


def test_group_editor_console_stays_clean_while_checking_and_swapping(
    page, url, login, problems, monkeypatch
):
    """Slow live checks overlap typing and the builder's buttons; a resized description box
    (the browser writes its size as an inline style) survives the swaps."""
    from groups.views import GroupEditor

    real = GroupEditor.check_extra

    def slow(self, form):  # only the live check asks for its extras
        time.sleep(0.6)
        return real(self, form)

    monkeypatch.setattr(GroupEditor, "check_extra", slow)
    login(page, "lead")
    page.goto(url("/groups/new/"))
    page.get_by_label("Group name").fill("Overlap")
    page.evaluate("document.getElementById('id_description').style.height = '120px'")
    field = page.get_by_label("Condition 1: field")
    field.press_sequentially("agentId", delay=30)
    page.wait_for_timeout(450)  # the first check is on its way
    page.get_by_label("Condition 1: value").press_sequentially("jane", delay=30)
    page.wait_for_timeout(450)
    page.get_by_label("Condition 1: value").press_sequentially("t", delay=30)
    press_on(page, page.get_by_role("button", name="+ Add a condition"))
    page.get_by_label("Condition 2: field").press_sequentially("customerId", delay=30)
    page.get_by_label("Condition 2: value").press_sequentially("7", delay=30)
    press_on(page, page.get_by_role("button", name="Edit as text"))
    page.wait_for_timeout(1500)
    settled(page)
    expect(page.locator("#criteria-preview")).to_contain_text("agentId==janet")
    assert problems == []


# ---------------------------------------------------------------- 2. list state in the URL


@pytest.fixture
def many_trackers(api):
    for i in range(30):
        api.trackers.create(name=f"Tracker {i:02d}", vocabulary=PHRASES[: 1 + i % 5])


def test_sort_survives_per_page_and_search_with_htmx(page, url, login, many_trackers, problems):
    login(page, "analyst")
    page.goto(url("/trackers/"))
    page.get_by_role("link", name="Phrases").click()
    settled(page)
    page.get_by_role("link", name="Phrases ▲").click()
    settled(page)
    assert query_of(page) == {"sort": ["-phrases"]}

    page.get_by_label("Per page").select_option("50")
    settled(page)
    assert query_of(page) == {"sort": ["-phrases"], "per_page": ["50"]}
    first = page.locator("#tracker-table tbody tr").first
    expect(first).to_contain_text("5")

    page.get_by_label("Search names and phrases").fill("tracker 1")
    page.wait_for_timeout(400)
    settled(page)
    assert query_of(page) == {"q": ["tracker 1"], "sort": ["-phrases"], "per_page": ["50"]}
    page.get_by_label("Search names and phrases").fill("")
    page.wait_for_timeout(400)
    settled(page)
    assert query_of(page) == {"sort": ["-phrases"], "per_page": ["50"]}


def test_sort_survives_per_page_without_javascript(browser, live_server, login, many_trackers):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, "analyst")
    page.goto(f"{live_server.url}/trackers/?sort=-phrases")
    page.get_by_label("Per page").select_option("50")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert query_of(page)["sort"] == ["-phrases"]
    assert query_of(page)["per_page"] == ["50"]
    context.close()


# ---------------------------------------------------------------- 3. limits from the page


def test_phrase_counter_reads_the_limit_from_the_page(context, url, login, problems):
    """The page says the limit (from the contract); the script only reads it."""
    context.add_init_script(
        """document.addEventListener("DOMContentLoaded", function () {
             var t = document.querySelector("textarea[data-phrase-editor]");
             if (t) t.setAttribute("data-max-phrases", "3");
           });"""
    )
    page = context.new_page()
    login(page, "analyst")
    page.goto(url("/trackers/new/"))
    assert page.locator("#id_phrases").get_attribute("data-max-phrases") == "3"
    counter = page.locator("#phrase-counter")
    page.get_by_role("textbox", name="Phrase 1", exact=True).fill("one")
    page.keyboard.press("Enter")
    for text in ("two", "three", "four"):
        page.keyboard.type(text)
        page.keyboard.press("Enter")
    expect(counter).to_have_text("4 of 3")
    expect(counter).to_have_class("counter over")


def test_phrase_limit_on_the_page_is_the_contract(page, url, login, problems):
    login(page, "analyst")
    page.goto(url("/trackers/new/"))
    limit = str(contract.MAX_PHRASES)
    assert page.locator("#id_phrases").get_attribute("data-max-phrases") == limit
    expect(page.locator("#phrase-counter")).to_have_text(f"0 of {limit}")


# ---------------------------------------------------------------- 4. keyboard and focus


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def lum(rgb):
        def ch(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b_ = (ch(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    parts = css[css.index("(") + 1 : css.index(")")].split(",")
    return tuple(int(float(p)) for p in parts[:3])


@pytest.mark.parametrize("width", [1280, 390])
def test_focus_ring_on_the_top_bar_is_clearly_visible(browser, live_server, login, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    found = watch(context)
    page = context.new_page()
    login(page, "analyst")
    page.keyboard.press("Tab")  # the skip link, then every stop in the bar
    for _ in range(4 if width > 760 else 3):
        page.keyboard.press("Tab")
        ring = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                return { text: e.textContent.trim(), style: s.outlineStyle,
                         width: parseFloat(s.outlineWidth), color: s.outlineColor,
                         bar: getComputedStyle(document.querySelector('.topbar')).backgroundColor,
                         inBar: !!e.closest('.topbar') }; }"""
        )
        assert ring["inBar"], ring
        assert ring["style"] == "solid" and ring["width"] >= 2, ring
        assert _contrast(_rgb(ring["color"]), _rgb(ring["bar"])) >= 3, ring
    assert found == []
    context.close()


@pytest.mark.parametrize(("width", "menu"), [(1280, ".usermenu"), (390, ".nav-toggle")])
def test_escape_closes_the_menu_and_returns_focus(browser, live_server, login, width, menu):
    context = browser.new_context(viewport={"width": width, "height": 800})
    found = watch(context)
    page = context.new_page()
    login(page, "analyst")
    summary = page.locator(f"{menu} > summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(menu)).to_have_attribute("open", "")
    page.keyboard.press("Tab")  # into the panel
    page.keyboard.press("Escape")
    expect(page.locator(menu)).not_to_have_attribute("open", "")
    assert page.evaluate(f"document.activeElement === document.querySelector('{menu} > summary')")
    assert found == []
    context.close()


def test_enter_on_an_empty_phrase_row_adds_no_row(page, url, login, problems):
    """Enter on an empty last row does nothing: no blank row, and no save either."""
    login(page, "analyst")
    page.goto(url("/trackers/new/"))
    rows = page.locator("#phrase-rows .phrase-row")
    page.get_by_role("textbox", name="Phrase 1", exact=True).fill("first")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(2)
    for _ in range(3):
        page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    settled(page)
    expect(rows).to_have_count(2)
    assert focused(page)["label"] == "Phrase 2"
    expect(page.get_by_role("alert")).to_have_count(0)  # nothing was submitted


def test_enter_on_an_empty_middle_row_moves_to_the_next_row(page, url, login, problems):
    login(page, "analyst")
    page.goto(url("/trackers/new/"))
    rows = page.locator("#phrase-rows .phrase-row")
    page.get_by_role("textbox", name="Phrase 1", exact=True).fill("first")
    page.keyboard.press("Enter")
    page.keyboard.type("second")
    page.get_by_role("textbox", name="Phrase 1", exact=True).fill("")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(2)
    assert focused(page)["label"] == "Phrase 2"


@pytest.mark.parametrize(
    ("path", "field"), [("/trackers/new/", "Tracker name"), ("/groups/new/", "Group name")]
)
def test_create_forms_open_with_the_name_focused(page, url, login, problems, path, field):
    login(page, "lead")
    page.goto(url(path))
    expect(page.get_by_label(field)).to_be_focused()


def test_edit_forms_and_swaps_do_not_take_focus(page, url, login, api, problems):
    tracker = api.trackers.create(name="Pricing", vocabulary=PHRASES)
    group = api.groups.create(name="Jane", criteria="conversation.metadata.agentId==jane")
    login(page, "lead")
    page.goto(url(f"/trackers/{tracker.id}/edit/"))
    page.wait_for_load_state()
    assert focused(page)["tag"] == "body"
    page.goto(url(f"/groups/{group.id}/edit/"))
    page.wait_for_load_state()
    assert focused(page)["tag"] == "body"
    # A live check swaps part of a create form: focus stays where the user is typing.
    page.goto(url("/groups/new/"))
    page.get_by_label("Description (optional)").fill("typing here")
    page.wait_for_timeout(600)
    settled(page)
    assert focused(page)["id"] == "id_description"
