"""The shared screens in a browser, for both resources: what the keyboard can do there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import watch
from tests.core.test_generic_views import CASES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.resource.plural)
def test_delete_opens_with_space_and_enter_and_gives_focus_back(
    page, live_server, login, api, case
):
    """Delete was a link styled as a button: Space did nothing."""
    problems = watch(page.context)
    r = case.resource
    obj = r.api(api).create(**case.first)
    login(page, "lead")
    page.goto(f"{live_server.url}/{r.plural}/{obj.id}/")
    delete = page.get_by_role("button", name="Delete", exact=True)
    dialog = page.get_by_role("dialog", name=f"Delete this {r.noun}?")
    for key in ("Space", "Enter"):
        delete.focus()
        page.keyboard.press(key)
        expect(dialog).to_be_visible()
        assert dialog.evaluate("d => d.contains(document.activeElement)")
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        expect(delete).to_be_focused()
    assert problems == []
