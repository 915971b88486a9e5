"""The Users screens in a real browser, by keyboard alone, at desktop and phone widths: reach
Users from the navigation, create a user, deactivate them behind the confirmation page. Fails
on a console error, an uncaught exception or a CSP violation (the `problems` guard)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import watch

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Correct-horse-battery-9"


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; return {
            tag: e.tagName.toLowerCase(), id: e.id, text: (e.textContent || '').trim(),
            label: e.getAttribute('aria-label') || '' }; }"""
    )


def tab_to(page, wanted, limit: int = 80) -> None:
    """Tab until `wanted(focused)` holds; a closed menu (the phone's ☰) is opened on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return
        menu = now["tag"] == "summary" and "Menu" in now["text"]
        if menu and not page.evaluate("() => document.activeElement.parentElement.open"):
            page.keyboard.press("Enter")
    raise AssertionError(f"never reached by Tab; focus ended on {focused(page)}")


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_admin_walks_the_users_screens_by_keyboard(browser, url, login, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    problems = watch(context)
    page = context.new_page()
    login(page, "admin")

    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Users")
    page.keyboard.press("Enter")
    page.wait_for_url(url("/users/"))
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    assert no_sideways_scroll(page)

    tab_to(page, lambda f: f["text"] == "New user")
    page.keyboard.press("Enter")
    page.wait_for_url(url("/users/new/"))
    tab_to(page, lambda f: f["id"] == "id_username")
    page.keyboard.type("newbie")
    page.keyboard.press("Tab")
    page.keyboard.type("newbie@example.com")
    tab_to(page, lambda f: f["id"] == "id_role")
    page.keyboard.type("Auditor")
    expect(page.locator("#id_role")).to_have_value("Auditor")
    tab_to(page, lambda f: f["id"] == "id_password1")
    page.keyboard.type(PASSWORD)
    tab_to(page, lambda f: f["id"] == "id_password2")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(url("/users/"))
    expect(page.get_by_text("Created newbie (Auditor).")).to_be_visible()
    assert no_sideways_scroll(page)

    tab_to(page, lambda f: f["label"] == "Deactivate newbie")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Deactivate newbie?")).to_be_visible()
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Deactivate newbie")
    page.keyboard.press("Enter")
    page.wait_for_url(url("/users/"))
    expect(page.get_by_text("Deactivated newbie; their open sessions were ended.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="newbie@example.com")
    expect(row).to_contain_text("Deactivated")
    expect(row).to_contain_text("Auditor")
    assert no_sideways_scroll(page)

    from audit.models import AuditEntry

    actions = set(
        AuditEntry.objects.filter(object_type="user", object_name="newbie").values_list(
            "action", flat=True
        )
    )
    assert actions == {"account_create", "account_update"}
    context.close()
    assert problems == []
