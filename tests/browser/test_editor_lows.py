"""Small tracker-editor defects from the new-user walk (issue 23, low), in Chromium at 1280 and
390 px: the phrases to ignore's count follows typing, a language typed by name is taken and a
tag that is not one is marked on its chip, and a phone shows a whole phrase on its row."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import watch

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 390]
PHRASE_40 = "I'd like to talk about pricing for teams"


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def editor(request, browser, live_server, login):
    """A signed-in analyst on a new tracker's editor at the given width, and the problems
    the browser reported."""
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    found = watch(context)
    page = context.new_page()
    login(page, "analyst")
    page.goto(f"{live_server.url}/trackers/new/")
    yield page, found
    context.close()
    assert found == [], "the browser reported problems"


def test_the_phrases_to_ignore_count_follows_typing(editor):
    page, _ = editor
    page.locator("details.excluded summary").click()
    box = page.get_by_label("Phrases to ignore (optional)")
    count = page.locator("details.excluded summary .badge")
    expect(count).to_have_text("0")
    box.fill("price list download\n\nprice of stamps")
    expect(count).to_have_text("2")
    box.fill("")
    expect(count).to_have_text("0")


def test_a_phrase_row_on_a_phone_shows_the_whole_phrase(editor):
    page, _ = editor
    row = page.get_by_role("textbox", name="Phrase 1", exact=True)
    row.fill(PHRASE_40)
    fits = row.evaluate("i => i.scrollWidth <= i.clientWidth")
    assert fits, row.evaluate("i => [i.scrollWidth, i.clientWidth]")
    # The row's buttons stay whole and usable.
    for name in ("Move phrase 1 up", "Move phrase 1 down", "Remove phrase 1"):
        box = page.get_by_role("button", name=name).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (name, box)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_languages_typed_by_name_are_taken_and_a_wrong_one_is_marked(editor):
    page, _ = editor
    page.get_by_label("Tracker name").fill("Pricing")
    page.get_by_role("textbox", name="Phrase 1", exact=True).fill("how much is it")
    languages = page.get_by_label("Languages (optional)")
    for typed in ("English", "French", "en_US", "Klingonish"):
        languages.fill(typed)
        languages.press("Enter")
    feedback = page.locator("#tracker-feedback")
    expect(feedback).to_contain_text("“Klingonish” is not a language")
    expect(feedback).not_to_contain_text("“English” is not")
    expect(feedback).not_to_contain_text("“en_US” is not")
    expect(page.get_by_label("JSON preview")).to_contain_text('"en-US"')
    bad = page.locator(".chips-input .chip", has_text="Klingonish")
    expect(bad).to_have_attribute("aria-invalid", "true")
    assert bad.evaluate("c => getComputedStyle(c).outlineStyle") != "none"
    good = page.locator(".chips-input .chip", has_text="English")
    expect(good).not_to_have_attribute("aria-invalid", "true")


def test_a_marked_language_chip_passes_axe(browser, live_server, login):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_context(bypass_csp=True).new_page()  # axe is injected
    login(page, "analyst")
    page.goto(f"{live_server.url}/trackers/new/")
    languages = page.get_by_label("Languages (optional)")
    languages.fill("Klingonish")
    languages.press("Enter")
    expect(page.locator(".chips-input .chip-invalid")).to_have_count(1)
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    page.context.close()
