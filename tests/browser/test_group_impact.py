"""A group change's effect on conversations in a real browser: nothing is asked until the
lead opens "Effect on conversations" on the queue item (by keyboard), then the counts come;
and the quality report's "What groups select" section loads by itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from audit.services import AuditContext
from groups.resource import GROUPS
from resources import services
from tests.browser.test_bulk_actions import tab_to
from tests.groups.conversation_support import processed

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_effect_loads_when_the_item_is_opened(page, url, login, account, problems):
    processed(account, "John call", agentId="john")
    processed(account, "Mary call", agentId="mary")
    data = {"name": "Johns", "description": "", "criteria": "conversation.metadata.agentId==john"}
    services.create(client=account, resource=GROUPS, data=data, ctx=AuditContext.system("test"))
    account.groups.create(name="Bobs", criteria="conversation.metadata.agentId==bob")
    login(page, "lead")
    page.goto(url("/review/"))
    box = page.locator(".review-impact-box")
    expect(box).to_have_count(1)
    expect(box.locator(".review-impact")).to_contain_text("Show the conversations")
    tab_to(page, "Effect on conversations")
    page.keyboard.press("Enter")
    expect(box.locator(".review-impact")).to_contain_text("Adds 1 conversation, removes 0.")

    page.goto(url("/review/quality/"))
    expect(page.locator("#quality-selections")).to_contain_text("Selects no conversation")
