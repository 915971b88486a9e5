"""Each role's main flows walked by keyboard alone, at 1280 and 390 px (issue 23): the analyst
and the team lead here, the auditor and the admin in test_role_walks_read.py. Controls are
found by role, label and landmark; the helpers are in walks.py."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.walks import checked, choose_file, go, press, tab_to, walker_fixture  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def heading(page, name: str):
    return page.get_by_role("heading", level=1, name=name)


def test_analyst_creates_edits_tries_a_tracker_and_builds_a_group(walker, login, url):
    page, problems = walker
    login(page, "analyst")
    main = page.get_by_role("main")

    go(page, "Trackers")
    checked(page, problems, heading(page, "Trackers"))
    press(page, main.get_by_role("link", name="New tracker"))
    name = page.get_by_label("Tracker name")
    expect(name).to_be_focused()  # a create form opens on its first field
    page.keyboard.type("Pricing questions")
    tab_to(page, page.get_by_role("textbox", name="Phrase 1", exact=True))
    page.keyboard.type("how much does it cost")
    page.keyboard.press("Enter")  # Enter in a phrase row opens the next row
    page.keyboard.type("what is the price")
    checked(page, problems, page.get_by_role("textbox", name="Phrase 2", exact=True))
    press(page, main.get_by_role("button", name="Create tracker"))
    checked(page, problems, heading(page, "Pricing questions"))
    expect(main).to_contain_text("what is the price")

    press(page, main.get_by_role("link", name="Edit", exact=True))
    checked(page, problems, page.get_by_role("textbox", name="Phrase 2", exact=True))
    press(page, main.get_by_role("button", name="+ Add a phrase"))
    page.keyboard.type("is there a discount")
    checked(page, problems, page.get_by_role("textbox", name="Phrase 3", exact=True))

    press(page, page.locator("#try-it > summary"))  # the tester inside the editor
    tab_to(page, page.get_by_role("textbox", name="Transcript"))
    page.keyboard.type("Caller: Hello there.\nCaller: Is there a discount for students?")
    caught = page.locator("#tester-results .sentence.is-caught")
    checked(page, problems, caught, timeout=20_000)  # the model is slow on a busy machine
    expect(caught).to_contain_text("discount for students")

    press(page, main.get_by_role("button", name="Save changes"))
    checked(page, problems, heading(page, "Pricing questions"))
    expect(main).to_contain_text("is there a discount")

    go(page, "Tester")  # every tracker against one transcript
    tab_to(page, main.get_by_role("textbox", name="Transcript"))
    page.keyboard.type("Caller: What is the price of the basic plan?")
    press(page, main.get_by_role("button", name="Test the transcript"))
    checked(page, problems, main.locator(".sentence.is-caught"), timeout=20_000)
    expect(main.locator(".sentence.is-caught").first).to_contain_text("price of the basic")

    go(page, "Trackers")  # the list: sort by a column, then search
    press(page, main.get_by_role("columnheader").get_by_role("link").nth(1))
    checked(page, problems, main.get_by_role("link", name="Pricing questions"))
    expect(page.locator(":focus")).to_have_attribute("href", re.compile("sort="))
    tab_to(page, main.get_by_role("searchbox"), back=True)
    page.keyboard.type("pricing")
    page.wait_for_url(re.compile("q=pricing"))
    checked(page, problems, main.get_by_role("link", name="Pricing questions"))

    go(page, "Groups")
    checked(page, problems, heading(page, "Groups"))
    press(page, main.get_by_role("link", name="New group"))
    expect(page.get_by_label("Group name")).to_be_focused()
    page.keyboard.type("Jane calls EMEA")
    tab_to(page, page.get_by_label("Condition 1: field"))
    page.keyboard.type("agentId")
    tab_to(page, page.get_by_label("Condition 1: value"))
    page.keyboard.type("jane")
    press(page, main.get_by_role("button", name="+ Add a condition"))
    checked(page, problems, page.get_by_label("Condition 2: field"))
    tab_to(page, page.get_by_label("Condition 2: field"))
    page.keyboard.type("region")
    tab_to(page, page.get_by_label("Condition 2: value"))
    page.keyboard.type("emea")
    press(page, main.get_by_role("button", name="Create group"))
    checked(page, problems, heading(page, "Jane calls EMEA"))
    expect(main).to_contain_text("agentId")


def _seed_changes(account) -> dict:
    """Two new trackers waiting for review, and one edited twice (a history to revert in)."""
    from audit.services import AuditContext
    from resources import services
    from trackers.resource import TRACKERS

    ctx = AuditContext(actor=None, username="ana", request_id="r", ip="", user_agent="")
    made = {}
    for name in ("Refund asks", "Late delivery", "Greeting"):
        data = {"name": name, "vocabulary": ["first phrase", "second phrase"]}
        made[name] = services.create(client=account, resource=TRACKERS, data=data, ctx=ctx)
    greeting = made["Greeting"]
    data = {"name": "Greeting", "vocabulary": ["first phrase", "a mistaken phrase"]}
    services.update(
        client=account,
        resource=TRACKERS,
        object_id=greeting.id,
        data=data,
        fingerprint="",
        ctx=ctx,
    )
    return made


def _queue_item(page, name: str):
    heading = page.get_by_role("heading", name=name)
    return page.locator(".review-item").filter(has=heading)


def test_team_lead_reviews_reverts_and_imports(walker, login, account, tmp_path):
    made = _seed_changes(account)
    page, problems = walker
    login(page, "lead")
    main = page.get_by_role("main")

    go(page, "Review")
    checked(page, problems, _queue_item(page, "Refund asks"))
    item = _queue_item(page, "Refund asks")
    press(page, item.get_by_role("button", name="Approve"))
    checked(page, problems, page.locator("#toasts").filter(has_text="Refund asks"))
    expect(_queue_item(page, "Refund asks")).to_have_count(0)

    item = _queue_item(page, "Late delivery")
    tab_to(page, item.get_by_label("Comment"))
    page.keyboard.type("Name the carrier, as customers do.")
    press(page, item.get_by_role("button", name="Request changes"))
    checked(page, problems, page.locator("#toasts").filter(has_text="Late delivery"))
    expect(_queue_item(page, "Late delivery")).to_have_count(0)

    item = _queue_item(page, "Greeting")
    press(page, item.get_by_role("link", name="Greeting"))
    checked(page, problems, page.get_by_role("heading", level=1, name="Greeting"))
    history = page.locator(".audit-history")
    expect(history).to_contain_text("a mistaken phrase")
    press(page, history.get_by_role("link", name="Revert to this version"))
    checked(page, problems, page.get_by_role("heading", level=1))
    press(page, main.get_by_role("button", name="Revert", exact=True))
    checked(page, problems, page.get_by_role("heading", level=1, name="Greeting"))
    expect(main).to_contain_text("second phrase")
    assert made["Greeting"].id in page.url

    delete = main.get_by_role("button", name="Delete", exact=True)
    press(page, delete)  # a modal asks first; Escape leaves it, back on Delete
    dialog = page.get_by_role("dialog")
    checked(page, problems, dialog)
    assert page.evaluate("!!document.activeElement.closest('dialog')")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(delete).to_be_focused()
    checked(page, problems)

    go(page, "Trackers")
    press(page, main.get_by_role("link", name="Import"))
    checked(page, problems, page.get_by_role("heading", level=1))
    source = tmp_path / "trackers.csv"
    source.write_text("name,phrase\nWarranty,is it still under warranty\n")
    choose_file(page, main.locator("input[type=file]"), source)
    press(page, main.get_by_role("button", name="Preview"))
    checked(page, problems, main.get_by_role("cell", name="Warranty"))
    press(page, main.locator(".import-actions").get_by_role("button").first)
    checked(page, problems, main.get_by_role("link", name="Warranty"))
