"""axe-core finds no accessibility violations on the main screens (axe runs injected, so
its context bypasses our strict CSP)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def axe_page(browser, live_server, login, api):
    tracker = api.trackers.create(
        name="Promotion Mention", vocabulary=["sale", "discount", "offer"]
    )
    group = api.groups.create(
        name="Calls made by John", criteria="conversation.metadata.agentId==johndoe"
    )
    page = browser.new_context(bypass_csp=True).new_page()
    login(page, "admin")
    # One write of each, so history, diffs and audit entries have content to check.
    page.goto(f"{live_server.url}/trackers/{tracker.id}/edit/")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{live_server.url}/trackers/{tracker.id}/")
    return page, tracker, group


def test_main_screens_have_no_axe_violations(axe_page, live_server):
    page, tracker, group = axe_page
    paths = [
        "/",
        "/trackers/",
        f"/trackers/{tracker.id}/",
        f"/trackers/{tracker.id}/edit/",
        "/trackers/new/",
        "/trackers/import/",
        "/groups/",
        f"/groups/{group.id}/",
        "/groups/new/",
        f"/groups/{group.id}/edit/",
        "/audit/",
        "/audit/2/",
        "/accounts/password/",
        "/review/",
        "/review/quality/",
        "/tester/",
        f"/trackers/{tracker.id}/revert/2/",
        "/trackers/deleted/",
        "/groups/import/",
        "/conversations/import/",
    ]
    axe = Axe()
    found = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        violations = axe.run(page).response["violations"]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert found == {}
