"""Conversations in a real browser at 1280 and 390 px: open them from the navigation, search,
open one, edit its metadata by keyboard alone (change a value, add a row, save with Enter).
No sideways scrolling and no console error, uncaught exception or CSP violation (the
`problems` guard). Screenshots of the list and the page go to /tmp/shots-conv/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_bulk_actions import tab_to
from tests.support.conversations import SECRET_SENTENCE, processed

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots-conv")


def _sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_search_open_and_edit_metadata_by_keyboard(page, url, login, account, problems, width):
    processed(account, "Renewal call", {"agentId": "johndoe", "callType": "sales"})
    processed(account, "Billing question", {"agentId": "mary", "callType": "support"}, days_ago=3)
    processed(account, "Old support call", {"agentId": "johndoe"}, days_ago=40)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "analyst")

    if width < 800:
        page.get_by_label("Menu").click()
    page.locator("a[href='/conversations/']:visible").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversations")
    expect(page.locator("#conversation-table")).to_contain_text("3 conversations")
    assert not _sideways(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"list-{width}.png"), full_page=True)

    page.get_by_label("Search by name or metadata value").fill("johndoe")
    expect(page.locator("#conversation-table")).to_contain_text("2 conversations match")
    expect(page.locator("#conversation-table")).not_to_contain_text("Billing question")
    assert "q=johndoe" in page.url
    page.get_by_role("link", name="Renewal call").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Renewal call")
    expect(page.locator(".transcript")).to_contain_text(SECRET_SENTENCE)
    assert not _sideways(page)
    page.screenshot(path=str(SHOTS / f"detail-{width}.png"), full_page=True)

    tab_to(page, "Edit metadata")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Metadata of")
    tab_to(page, "value-1")
    page.keyboard.press("Control+A")
    page.keyboard.type("jane")
    tab_to(page, "Add a row")
    page.keyboard.press("Enter")
    expect(page.locator("#key-4")).to_be_focused()  # the new row's key
    # htmx gives the autofocus field focus once the swap settles (about 20 ms): type after.
    expect(page.locator("#metadata-form.htmx-settling")).to_have_count(0)
    page.keyboard.type("region")
    page.keyboard.press("Tab")
    page.keyboard.type("EMEA")
    assert not _sideways(page)
    page.screenshot(path=str(SHOTS / f"metadata-{width}.png"), full_page=True)
    page.keyboard.press("Enter")  # submits with Save (the form's first button)

    expect(page.locator("#toasts")).to_contain_text("Metadata of “Renewal call” saved.")
    expect(page.locator("#metadata")).to_contain_text("jane")
    expect(page.locator("#metadata")).to_contain_text("EMEA")
    expect(page.locator(".audit-history")).to_contain_text("Update")
    found = account.conversations.search("Renewal")
    assert dict(found.conversations[0].metadata) == {
        "agentId": "jane",
        "callType": "sales",
        "region": "EMEA",
    }
    assert not _sideways(page)


def test_the_conversation_screens_have_no_axe_violations(browser, live_server, login, account):
    from axe_playwright_python.sync_playwright import Axe

    cid = processed(account, "Renewal call", {"agentId": "johndoe"})
    account.groups.create(name="Johns calls", criteria="conversation.metadata.agentId==johndoe")
    page = browser.new_context(bypass_csp=True).new_page()  # axe runs injected
    login(page, "admin")
    axe, found = Axe(), {}
    for path in [
        "/conversations/",
        "/conversations/?q=nobody",
        f"/conversations/{cid}/",
        f"/conversations/{cid}/metadata/",
        f"/conversations/{cid}/delete/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        violations = axe.run(page).response["violations"]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    # A refused form: errors on their rows.
    page.goto(f"{live_server.url}/conversations/{cid}/metadata/")
    page.locator("#value-1").fill("x" * 129)
    page.get_by_role("button", name="Save metadata").click()
    page.locator("#metadata-errors").wait_for()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "metadata-refused-1280.png"), full_page=True)
    violations = axe.run(page).response["violations"]
    if violations:
        found["refused form"] = [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
        ]
    assert found == {}
