"""Bulk actions in a real browser, by keyboard alone, at 1280 and 390 px: tick rows with
Space, choose Delete, Apply, confirm on the page that names the count; and the header's box
ticking the whole page. Fails on a console error, an uncaught exception or a CSP violation
(the `problems` guard)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.trackers.writes import PHRASES

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 390]


def tab_to(page, name: str, *, back: bool = False, limit: int = 120) -> None:
    """Press Tab (Shift+Tab when `back`) until the focused element's accessible label,
    id or text is `name`: the way a keyboard user gets there."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        found = page.evaluate(
            """() => { const e = document.activeElement; return e ? [e.getAttribute('aria-label'),
            e.id, (e.textContent || '').trim()] : []; }"""
        )
        if name in found:
            return
    raise AssertionError(f"{name!r} is not reachable by keyboard")


def _sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_select_two_rows_by_keyboard_and_delete_them_after_confirming(
    page, url, login, account, problems, width
):
    for name in ("Alpha", "Beta", "Gamma"):
        account.trackers.create(name=name, vocabulary=PHRASES)
    page.set_viewport_size({"width": width, "height": 850})
    login(page, "lead")
    page.goto(url("/trackers/"))
    count = page.locator("[data-bulk-count]")
    expect(count).to_have_text("0 selected")

    tab_to(page, "Select Alpha")
    page.keyboard.press("Space")
    tab_to(page, "Select Gamma")
    page.keyboard.press("Space")
    expect(count).to_have_text("2 selected")
    expect(page.get_by_label("Select every row on this page")).to_have_js_property(
        "indeterminate", True
    )

    tab_to(page, "bulk-action", back=True)
    page.keyboard.press("End")  # the last action: Delete
    expect(page.locator("#bulk-action")).to_have_value("delete")
    tab_to(page, "Apply")
    assert not _sideways(page)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Delete 2 trackers?")
    names = page.locator(".bulk-names li strong")
    expect(names).to_have_text(["“Alpha”", "“Gamma”"])
    assert not _sideways(page)
    tab_to(page, "Delete 2 trackers")
    page.keyboard.press("Enter")

    expect(page.locator("#toasts .toast")).to_contain_text("2 trackers deleted.")
    assert [t.name for t in account.trackers.list()] == ["Beta"]
    expect(page.get_by_label("Select Beta")).not_to_be_checked()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_header_box_ticks_every_row_by_keyboard(page, url, login, account, problems, width):
    for name in ("Alpha", "Beta", "Gamma"):
        account.trackers.create(name=name, vocabulary=PHRASES)
    page.set_viewport_size({"width": width, "height": 850})
    login(page, "auditor")
    page.goto(url("/trackers/"))
    tab_to(page, "Select every row on this page")
    page.keyboard.press("Space")
    expect(page.locator("[data-bulk-count]")).to_have_text("3 selected")
    for name in ("Alpha", "Beta", "Gamma"):
        expect(page.get_by_label(f"Select {name}")).to_be_checked()
    # An auditor is offered the exports only.
    expect(page.locator("#bulk-action option")).to_have_text(["Export as CSV", "Export as JSON"])
    tab_to(page, "Select Beta")
    page.keyboard.press("Space")
    expect(page.locator("[data-bulk-count]")).to_have_text("2 selected")
    expect(page.get_by_label("Select every row on this page")).not_to_be_checked()
