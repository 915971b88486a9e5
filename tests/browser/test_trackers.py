"""Trackers screens in a real browser: Playwright driving Debian's Chromium against the live
server, with the embedded Management API on a fresh account per test.

Every test also fails on a console error, an uncaught exception or a Content-Security-Policy
violation in any page it opened (the `problems` guard).
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from tests.browser.support import watch
from tests.trackers.writes import PHRASES

pytestmark = pytest.mark.django_db(transaction=True)


# Chromium reports CSP violations on the console too; this also catches those it only fires
# as an event (and makes the blocked directive part of the message).
def audited_tracker(name: str, vocabulary: list[str]):
    """A tracker created through the service, so it has a history like a real one."""
    from audit.services import AuditContext
    from symbl_admin.management_api import get_client
    from tests.trackers import writes as services

    return services.tracker_create(
        client=get_client(),
        name=name,
        vocabulary=vocabulary,
        ctx=AuditContext.system("browser-test"),
    )


def wait_until(page, condition, timeout_ms: int = 5000) -> None:
    """Let the browser run until condition() holds (for state kept on the Python side)."""
    for _ in range(timeout_ms // 25):
        if condition():
            return
        page.wait_for_timeout(25)
    raise AssertionError("timed out waiting for the condition")


def toast(page):
    return page.locator("#toasts .toast")


# ---------------------------------------------------------------- create


def paste(page, locator, text: str) -> None:
    """A real paste: the text goes on the system clipboard, then Control+V in the field."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    locator.click()
    page.keyboard.press("Control+V")


def test_create_by_pasting_phrases(page, url, login, account, problems):
    login(page, "analyst")
    page.goto(url("/trackers/new/"))
    page.get_by_label("Tracker name").fill("Pricing questions")
    paste(
        page,
        page.get_by_role("textbox", name="Phrase 1", exact=True),
        "how much is it\nwhat does it cost\nis there a discount?\nprice list\nmonthly fee\n"
        "yearly plan\n",
    )

    rows = page.locator("#phrase-rows .phrase-row")
    expect(rows).to_have_count(6)
    expect(rows.locator(".phrase-num")).to_have_text(["1", "2", "3", "4", "5", "6"])
    expect(page.locator("#phrase-counter")).to_have_text("6 of 50")
    preview = page.get_by_label("JSON preview")
    expect(preview).to_contain_text('"name": "Pricing questions"')
    expect(preview).to_contain_text('"yearly plan"')
    bad = rows.nth(2)
    expect(bad.get_by_role("textbox")).to_have_attribute("aria-invalid", "true")
    expect(bad.locator(".row-msg")).to_contain_text("Remove “?”")
    expect(rows.nth(1).locator(".row-msg")).to_be_empty()

    bad.get_by_role("button", name="Remove phrase 3").click()
    expect(rows).to_have_count(5)
    expect(page.locator("#phrase-counter")).to_have_text("5 of 50")
    expect(page.locator("#tracker-feedback")).to_contain_text("Ready to save: 5 phrases")
    page.get_by_role("button", name="Create tracker").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pricing questions")
    expect(toast(page)).to_contain_text("Tracker “Pricing questions” created.")
    created = account.trackers.find_by_name("Pricing questions")
    assert list(created.vocabulary) == [
        "how much is it",
        "what does it cost",
        "price list",
        "monthly fee",
        "yearly plan",
    ]


def test_typing_a_question_mark_marks_that_row(page, url, login, problems):
    login(page, "analyst")
    page.goto(url("/trackers/new/"))
    first = page.get_by_role("textbox", name="Phrase 1", exact=True)
    first.press_sequentially("price list")
    first.press("Enter")
    second = page.get_by_role("textbox", name="Phrase 2", exact=True)
    expect(second).to_be_focused()
    second.press_sequentially("why so expensive?")

    expect(second).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".phrase-row").nth(1).locator(".row-msg")).to_have_text(
        "Remove “?” — only letters, digits, spaces and . ' - are allowed."
    )
    expect(first).not_to_have_attribute("aria-invalid", "true")


def test_invalid_save_focuses_the_row_at_fault(page, url, login, problems):
    login(page, "analyst")
    page.goto(url("/trackers/new/"))
    page.get_by_label("Tracker name").fill("Pricing")
    paste(page, page.get_by_role("textbox", name="Phrase 1", exact=True), "price list\nhow much?\n")
    page.get_by_role("button", name="Create tracker").click()

    expect(page.get_by_role("alert")).to_contain_text("Please fix the marked fields.")
    expect(page.get_by_role("textbox", name="Phrase 2", exact=True)).to_be_focused()
    expect(page.get_by_role("textbox", name="Phrase 2", exact=True)).to_have_accessible_description(
        "Remove “?” — only letters, digits, spaces and . ' - are allowed."
    )


# ---------------------------------------------------------------- search


def test_search_filters_without_reload_and_keeps_url_state(page, url, login, account, problems):
    account.trackers.create(name="Promotion Mention", vocabulary=PHRASES)
    account.trackers.create(name="Voice Message", vocabulary=["leave a message", "voicemail"])
    account.trackers.create(name="Discount Asks", vocabulary=["any coupon", "price match"])
    login(page, "analyst")
    page.goto(url("/trackers/"))
    table_rows = page.locator("#tracker-table tbody tr")
    expect(table_rows).to_have_count(3)
    page.evaluate("window.__sameDocument = true")

    page.get_by_label("Search names and phrases").press_sequentially("discount")

    expect(page).to_have_url(re.compile(r"/trackers/\?q=discount(&|$)"))
    expect(table_rows).to_have_count(2)
    expect(page.locator("#tracker-table mark").first).to_have_text(re.compile("discount", re.I))
    assert page.evaluate("window.__sameDocument") is True

    page.reload()
    expect(page.get_by_label("Search names and phrases")).to_have_value("discount")
    expect(table_rows).to_have_count(2)

    page.go_back()
    expect(page).to_have_url(url("/trackers/"))
    expect(table_rows).to_have_count(3)
    expect(page.get_by_label("Search names and phrases")).to_have_value("")


# ---------------------------------------------------------------- edit conflict


def test_edit_conflict_between_two_users_merges_both_changes(
    browser, url, login, account, problems
):
    tracker = account.trackers.create(name="Promotion Mention", vocabulary=PHRASES)
    edit_url = url(f"/trackers/{tracker.id}/edit/")
    contexts = [browser.new_context(), browser.new_context()]
    try:
        seen = [watch(c) for c in contexts]
        alice, bob = (c.new_page() for c in contexts)
        login(alice, "analyst", "alice")
        login(bob, "analyst", "bob")
        alice.goto(edit_url)
        bob.goto(edit_url)

        alice.get_by_role("button", name="+ Add a phrase").click()
        alice.keyboard.type("holiday deal")
        alice.get_by_role("button", name="Save changes").click()
        expect(alice.get_by_role("heading", level=1)).to_have_text("Promotion Mention")

        bob.get_by_role("button", name="Remove phrase 4").click()
        bob.get_by_role("button", name="Save changes").click()
        expect(bob.get_by_role("heading", level=1)).to_have_text(
            "Someone else changed this tracker"
        )
        expect(bob.locator("#tracker-form")).to_contain_text("last by alice")
        expect(bob.get_by_role("region", name="Your version")).not_to_contain_text("sale right now")
        expect(bob.get_by_role("region", name="Current version")).to_contain_text("holiday deal")
        diff = bob.get_by_role("region", name="Difference")
        expect(diff.locator(".diff-removed")).to_have_text(
            ["removed: − sale right now", "removed: − holiday deal"]
        )

        bob.get_by_role("button", name="Merge phrases").click()
        expect(bob.get_by_role("status")).to_contain_text("Review, then save.")
        expect(bob.locator("#phrase-counter")).to_have_text("5 of 50")
        bob.get_by_role("button", name="Save changes").click()
        expect(bob.get_by_role("heading", level=1)).to_have_text("Promotion Mention")
        assert seen == [[], []]
    finally:
        for c in contexts:
            c.close()

    merged = account.trackers.get(tracker.id).vocabulary
    assert "holiday deal" in merged
    assert "sale right now" not in merged


# ---------------------------------------------------------------- delete


def test_delete_dialog_keeps_focus_and_offers_restore(page, url, login, account, problems):
    tracker = account.trackers.create(name="Voice Message", vocabulary=PHRASES)
    login(page, "lead")
    page.goto(url(f"/trackers/{tracker.id}/"))
    delete = page.get_by_role("button", name="Delete", exact=True)
    dialog = page.get_by_role("dialog", name="Delete this tracker?")

    delete.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("“Voice Message” (5 phrases)")
    assert dialog.evaluate("d => d.contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(delete).to_be_focused()

    delete.click()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(delete).to_be_focused()

    delete.click()
    dialog.get_by_role("button", name="Delete tracker").click()
    expect(page).to_have_url(url("/trackers/"))
    expect(toast(page)).to_contain_text("Tracker “Voice Message” deleted.")
    expect(toast(page).get_by_role("link", name="Restore it")).to_have_attribute(
        "href", "/trackers/deleted/"
    )
    expect(page.locator("#tracker-table")).to_contain_text("No trackers yet")
    assert account.trackers.list() == []


# ---------------------------------------------------------------- import


def test_import_preview_skips_bad_rows_and_reports_progress(page, url, login, account, problems):
    account.trackers.create(name="Existing", vocabulary=["already here"])
    good = [f"Batch {n:02d},phrase {n}" for n in range(1, 56)]
    csv = "\n".join(["name,phrase", *good, "Questions,why?", "Existing,another phrase"])
    login(page, "lead")
    page.goto(url("/trackers/import/"))
    page.get_by_label("…or paste here").fill(csv)
    page.get_by_role("button", name="Preview").click()

    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text(
        "57 trackers read as CSV separated by commas: 55 ready 2 with problems"
    )
    skipped = preview.locator("tr.row-bad")
    expect(skipped).to_have_count(2)
    expect(skipped.nth(0)).to_contain_text("Phrase 1 (“why?”): remove “?”")
    expect(skipped.nth(1)).to_contain_text("A tracker with this name already exists.")

    # Hold the second chunk (the one that already carries created trackers) so the half-way
    # progress stays on screen long enough to be seen.
    held = []

    def hold_second_chunk(route):
        form = parse_qs(route.request.post_data or "")
        if json.loads(form.get("created", ["[]"])[0]):
            held.append(route)
        else:
            route.continue_()

    page.route("**/trackers/import/", hold_second_chunk)
    page.get_by_role("button", name="Import 55 trackers").click()
    wait_until(page, lambda: held)
    expect(page.get_by_role("heading", name="Importing…")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "50")
    expect(page.locator("#import-area")).to_contain_text("50 of 55 processed: 50 created")
    held[0].continue_()
    page.unroute("**/trackers/import/")

    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.locator("#import-area")).to_contain_text(
        "55 of 55 processed: 55 created; 2 skipped in the preview."
    )
    page.get_by_role("link", name="Back to trackers").click()
    page.get_by_label("Search names and phrases").fill("Batch 55")
    expect(page.locator("#tracker-table tbody tr")).to_have_count(1)
    assert len(account.trackers.list()) == 56


# ---------------------------------------------------------------- revert


def test_revert_to_an_earlier_version(page, url, login, account, problems):
    tracker = audited_tracker("Promotion Mention", PHRASES)
    login(page, "lead")
    page.goto(url(f"/trackers/{tracker.id}/edit/"))
    page.get_by_role("button", name="Remove phrase 1").click()
    page.get_by_label("Note for the history (optional)").fill("too broad")
    page.get_by_role("button", name="Save changes").click()

    history = page.locator(".audit-timeline-item")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("by lead-browser")
    expect(history.nth(0)).to_contain_text("Reason: too broad")
    history.nth(1).get_by_role("link", name="Revert to this version").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Revert to an earlier version?")
    expect(page.locator(".diff-added")).to_have_text(["added: + special promotion"])
    page.get_by_role("button", name="Revert").click()

    expect(toast(page)).to_contain_text("Tracker “Promotion Mention” reverted.")
    expect(page.get_by_role("region", name=re.compile("^Phrases")).locator("li")).to_have_text(
        PHRASES
    )
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("Revert")
    assert list(account.trackers.get(tracker.id).vocabulary) == PHRASES


# ---------------------------------------------------------------- every page is clean


def test_every_trackers_page_loads_without_console_errors(page, url, login, account, problems):
    tracker = audited_tracker("Promotion Mention", PHRASES)
    login(page, "admin")
    paths = [
        "/trackers/",
        "/trackers/?q=promo",
        "/trackers/?q=nothing-matches",
        "/trackers/new/",
        f"/trackers/{tracker.id}/",
        f"/trackers/{tracker.id}/edit/",
        f"/trackers/{tracker.id}/delete/",
        "/trackers/import/",
        "/trackers/deleted/",
    ]
    for path in paths:
        response = page.goto(url(path))
        assert response.status == 200, path
    page.goto(url(f"/trackers/{tracker.id}/"))
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert problems == []
