"""Conversation groups in a real browser: build with the builder, see the RSQL, save, find,
edit as text with the error shown at its position, delete with confirmation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def settled(page) -> None:
    """Wait until htmx has finished swapping and wiring up new content (a person is never
    this fast; Playwright is)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')"
    )
    page.wait_for_timeout(50)


def test_group_lifecycle_with_builder_and_text_mode(page, live_server, login, api):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    api.groups.create(name="Existing", criteria="conversation.metadata.customerId==1")
    login(page, "lead")
    page.goto(f"{live_server.url}/groups/new/")

    page.get_by_label("Group name").fill("Jane and her customers")
    page.get_by_label("Condition 1: field").fill("agentId")
    page.get_by_label("Condition 1: value").fill("jane")
    page.get_by_role("button", name="+ Add a condition").click()
    expect(page.get_by_label("Condition 2: field")).to_be_visible()
    settled(page)
    page.get_by_label("Condition 2: field").fill("customerId")
    page.get_by_label("Condition 2: comparison").select_option(label="is one of")
    page.get_by_label("Condition 2: value").fill("88338833, 42")
    preview = page.locator("#criteria-preview")
    expect(preview).to_contain_text(
        "conversation.metadata.agentId==jane and conversation.metadata.customerId=in=(88338833,42)"
    )
    expect(preview).to_contain_text("agentId is jane and customerId is one of 88338833, 42")
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jane and her customers")

    page.goto(f"{live_server.url}/groups/")
    page.get_by_label("Search names, descriptions and criteria").fill("88338833")
    rows = page.locator("#group-table tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="Jane and her customers").click()

    page.get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="Edit as text").click()
    text = page.get_by_label("Criteria (RSQL)")
    expect(text).to_be_visible()
    settled(page)
    expect(text).to_have_value(
        "conversation.metadata.agentId==jane and conversation.metadata.customerId=in=(88338833,42)"
    )
    text.fill("conversation.metadata.agentId==jane and conversation.metadata.customerId=")
    expect(preview).to_contain_text("position 72")
    expect(preview.locator("mark.error-at")).to_have_text("=")
    text.fill("conversation.metadata.agentId==jane or conversation.metadata.customerId==7")
    expect(preview).to_contain_text("agentId is jane or customerId is 7")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".criteria-words")).to_have_text("agentId is jane or customerId is 7")

    page.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("“Jane and her customers”")
    dialog.get_by_role("button", name="Delete group").click()
    expect(page.locator("#toasts")).to_contain_text("deleted")
    assert api.groups.find_by_name("Jane and her customers") is None
    assert errors == []


def test_third_parameter_is_explained_in_the_builder(page, live_server, login, api):
    login(page, "analyst")
    page.goto(f"{live_server.url}/groups/new/")
    for index, key in enumerate(["a", "b", "c"], start=1):
        if index > 1:
            page.get_by_role("button", name="+ Add a condition").click()
            expect(page.get_by_label(f"Condition {index}: field")).to_be_visible()
            settled(page)
        page.get_by_label(f"Condition {index}: field").fill(key)
        page.get_by_label(f"Condition {index}: value").fill("1")
    expect(page.locator("#criteria-preview")).to_contain_text("at most 2 different fields")


def test_builder_works_without_javascript(browser, live_server, login, api):
    page = login(browser.new_context(java_script_enabled=False).new_page(), "analyst", "nojs")
    page.goto(f"{live_server.url}/groups/new/")
    page.get_by_label("Group name").fill("Plain")
    page.get_by_label("Condition 1: field").fill("agentId")
    page.get_by_label("Condition 1: value").fill("x")
    page.get_by_role("button", name="+ Add a condition").click()
    expect(page.get_by_label("Condition 1: field")).to_have_value("agentId")
    page.get_by_label("Condition 2: field").fill("agentId")
    page.get_by_label("Condition 2: value").fill("y")
    page.get_by_label("Conversations that match").select_option("or")
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plain")
    assert api.groups.find_by_name("Plain").criteria == (
        "conversation.metadata.agentId==x or conversation.metadata.agentId==y"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_an_untouched_builder_is_not_judged_and_an_error_is_said_once_at_its_row(
    page, live_server, login, api, width
):
    """ "Not valid yet: Condition 1: choose a field" showed on an untouched form; after a save
    the error was printed twice and its row was not marked."""
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "analyst")
    page.goto(f"{live_server.url}/groups/new/")
    form = page.locator("#group-form")
    expect(page.locator("#criteria-preview")).to_contain_text("Describe the conversations")
    assert "choose a field" not in form.inner_text()
    page.get_by_label("Group name").fill("Half built")
    page.get_by_role("button", name="+ Add a condition").click()
    expect(page.get_by_label("Condition 2: field")).to_be_visible()
    settled(page)
    page.get_by_label("Condition 1: field").fill("agentId")
    page.get_by_label("Condition 1: value").fill("x")
    page.get_by_label("Condition 2: value").fill("y")  # no field: condition 2 is the wrong one
    settled(page)
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    settled(page)
    assert form.inner_text().count("Condition 2: choose a field.") == 1
    rows = page.locator(".cond-row")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bhas-error\b"))
    expect(rows.nth(0)).not_to_have_class(re.compile(r"\bhas-error\b"))
    expect(page.get_by_label("Condition 2: field")).to_have_attribute("aria-invalid", "true")
    assert rows.nth(1).evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
