"""Review in the browser: analyst edits → lead requests changes → analyst fixes it from the
Overview → lead approves the whole diff → the tracker says "Approved"; keyboard focus never
falls to the page top after a swap (an emptied queue focuses "Nothing to review"; paging, the
new page's first item); each outcome is said once, in a toast; the console stays clean."""

from __future__ import annotations

from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.support import watch

PHRASES = ["special promotion", "discount for new customers", "month special", "sale now", "deal"]


def _focused_id(page) -> str:
    page.wait_for_timeout(100)  # app.js moves focus after htmx settles
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_request_changes_then_approve_the_whole_diff(browser, url, login, account, problems):
    tracker = account.trackers.create(name="Promotion Mention", vocabulary=PHRASES)
    contexts = [browser.new_context(), browser.new_context()]
    try:
        seen = [watch(c) for c in contexts]
        analyst, lead = (c.new_page() for c in contexts)
        login(analyst, "analyst", "ana")
        login(lead, "lead", "lee")

        analyst.goto(url(f"/trackers/{tracker.id}/edit/"))
        analyst.get_by_role("button", name="+ Add a phrase").click()
        analyst.keyboard.type("holiday deal")
        analyst.get_by_label("Note for the history (optional)").fill("holiday season")
        analyst.get_by_role("button", name="Save changes").click()
        expect(analyst.get_by_role("heading", level=1)).to_have_text("Promotion Mention")

        lead.goto(url("/review/"))
        expect(lead.locator(".review-count").first).to_have_text("1")
        item = lead.locator(".review-item")
        expect(item).to_contain_text("“holiday season”")
        expect(item.locator(".phrase-added")).to_have_text(["added: holiday deal"])
        item.get_by_label("Comment").fill("Say it the way customers do: “holiday offer”.")
        item.get_by_role("button", name="Request changes").focus()
        lead.keyboard.press("Enter")
        expect(lead.locator("#toasts")).to_contain_text("Changes requested on")
        expect(lead.get_by_text("Nothing to review")).to_be_visible()
        expect(lead.locator(".review-count").first).to_have_text("")
        assert _focused_id(lead) == "review-empty"

        analyst.goto(url("/"))
        attention = analyst.get_by_role("region", name="1 of your changes needs attention")
        expect(attention).to_contain_text("“holiday offer”")
        attention.get_by_role("link", name="Edit Promotion Mention").click()
        analyst.get_by_role("button", name="+ Add a phrase").click()
        analyst.keyboard.type("holiday offer")
        analyst.get_by_role("button", name="Save changes").click()
        expect(analyst.get_by_role("heading", level=1)).to_have_text("Promotion Mention")

        lead.goto(url("/review/"))
        item = lead.locator(".review-item")
        expect(item).to_contain_text("2 changes by ana")
        expect(item.locator(".phrase-added")).to_have_text(
            ["added: holiday deal", "added: holiday offer"]
        )
        item.get_by_role("button", name="Approve").focus()
        lead.keyboard.press("Enter")
        expect(lead.get_by_text("Nothing to review")).to_be_visible()
        assert _focused_id(lead) == "review-empty"

        analyst.goto(url(f"/trackers/{tracker.id}/"))
        expect(analyst.locator(".review-state")).to_contain_text("Approved by lee")
        analyst.goto(url("/trackers/"))
        expect(analyst.locator(".review-state")).to_contain_text("Approved by lee")

        lead.goto(url("/audit/?q=" + tracker.id))
        expect(lead.locator("#audit-table")).to_contain_text("Review: approved")
        expect(lead.locator("#audit-table")).to_contain_text("Review: changes requested")
        assert seen == [[], []]
    finally:
        for c in contexts:
            c.close()
    call_command("verify_audit", "--no-checkpoint")


def test_approve_selected_without_reload(page, url, login, account, problems):
    from audit.services import AuditContext
    from resources import services
    from trackers.resource import TRACKERS

    ctx = AuditContext(actor=None, username="someone", request_id="r", ip="", user_agent="")
    for name in ("First", "Second"):
        data = {"name": name, "vocabulary": PHRASES}
        services.create(client=account, resource=TRACKERS, data=data, ctx=ctx)
    login(page, "lead")
    page.goto(url("/review/"))
    expect(page.locator(".review-count").first).to_have_text("2")
    page.get_by_label("Select tracker First").check()
    page.get_by_label("Select tracker Second").check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.locator("#toasts")).to_contain_text("Approved “First”, “Second”.")
    expect(page.locator(".review-count").first).to_have_text("")
    assert _focused_id(page) == "review-empty"


def test_quality_report_links_to_the_phrase(page, url, login, account, problems):
    tracker = account.trackers.create(name="Advice", vocabulary=[*PHRASES, "I think it is fine"])
    login(page, "analyst")
    page.goto(url("/review/quality/?kind=phrase_advice"))
    page.locator(f'a[href*="/trackers/{tracker.id}/edit/"]').click()
    page.wait_for_url(url(f"/trackers/{tracker.id}/edit/?phrase=5#field-phrases"))
    page.wait_for_load_state("load")
    focused = page.evaluate("document.activeElement.value")
    assert focused == "I think it is fine"


def test_the_queue_pages_by_keyboard_and_focus_goes_to_the_first_item(
    page, url, login, account, problems
):
    from audit.services import AuditContext
    from resources import services
    from trackers.resource import TRACKERS

    ctx = AuditContext(actor=None, username="someone", request_id="r", ip="", user_agent="")
    for n in range(12):
        data = {"name": f"Tracker {n:02}", "vocabulary": PHRASES}
        services.create(client=account, resource=TRACKERS, data=data, ctx=ctx)
    login(page, "lead")
    page.goto(url("/review/"))
    expect(page.locator(".review-item")).to_have_count(10)
    page.get_by_role("link", name="Next →").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".pagination")).to_contain_text("Page 2 of 2")
    expect(page.locator(".review-item")).to_have_count(2)
    # The reader starts the new page at its first item (not at the pager, the page's bottom).
    first = page.locator(".review-item").first.get_attribute("id")
    assert _focused_id(page) == first
    assert "page=2" in page.url
