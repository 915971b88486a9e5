"""The auditor's and the admin's main flows walked by keyboard alone, at 1280 and 390 px (issue
23; the analyst and the team lead are in test_role_walks.py, the helpers in walks.py)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.browser.test_audit import seed_log
from tests.browser.walks import checked, go, press, tab_to, walker_fixture  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# What only a writer is offered; an auditor reads.
WRITES = re.compile(
    r"^(Edit|Delete|New |Import|Revert|Restore|Approve|Request changes|Open in the editor)"
)


def no_writes(page) -> None:
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=WRITES)).to_have_count(0)
    expect(main.get_by_role("button", name=WRITES)).to_have_count(0)


def test_auditor_filters_opens_and_exports_the_log(walker, login, account):
    tracker = account.trackers.create(name="Promotion Mention", vocabulary=["month special"])
    account.trackers.create(name="Short", vocabulary=["cmd", "I think so"])  # findings
    seed_log()
    page, problems = walker
    login(page, "auditor")
    main = page.get_by_role("main")

    go(page, "Audit")
    checked(page, problems, main.get_by_role("region", name="Audit entries"))
    table = main.get_by_role("region", name="Audit entries")
    tab_to(page, main.get_by_label("Who"))
    page.keyboard.type("sam.lee")
    today = datetime.now(UTC)
    tab_to(page, main.get_by_label(re.compile("^From")))
    page.keyboard.type(today.strftime("%m%d%Y"))  # Chromium's date field, en-US order
    page.wait_for_url(re.compile("date_from=" + today.strftime("%Y-%m-%d")))  # filters live
    checked(page, problems, table.get_by_role("row").filter(has_text="sam.lee"))
    expect(table.get_by_role("row").filter(has_text="leandra.okafor")).to_have_count(0)
    assert "sam.lee" in page.url

    with page.expect_download() as download:
        press(page, table.get_by_role("link", name="Export CSV"))
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) >= 2
    assert all("sam.lee" in row for row in rows[1:]), rows
    checked(page, problems)

    press(page, table.get_by_role("link", name=re.compile(r"^Entry \d+")).first)
    checked(page, problems, page.get_by_role("heading", level=1))
    expect(main).to_contain_text("sam.lee")
    no_writes(page)

    go(page, "Review")  # the queue and its quality findings: read, not act
    checked(page, problems, page.get_by_role("heading", level=1))
    no_writes(page)
    press(page, main.get_by_role("link", name=re.compile("^Quality")))
    checked(page, problems, main.get_by_role("cell", name=re.compile("Short")))
    no_writes(page)

    go(page, "Trackers")
    checked(page, problems, main.get_by_role("link", name="Promotion Mention"))
    no_writes(page)
    press(page, main.get_by_role("link", name="Promotion Mention"))
    checked(page, problems, page.get_by_role("heading", level=1, name="Promotion Mention"))
    assert tracker.id in page.url
    no_writes(page)


def test_admin_reaches_the_users_through_the_avatar_menu(walker, login):
    page, problems = walker
    login(page, "admin")
    menu = page.locator(".usermenu")  # the avatar: the signed-in user's own menu
    press(page, menu.locator("summary"))
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")  # Escape closes it and leaves focus on the avatar
    expect(menu).not_to_have_attribute("open", "")
    checked(page, problems, menu.locator("summary"))
    press(page, menu.locator("summary"))
    press(page, menu.get_by_role("link", name="Users and roles"))  # the dashboard's own screen
    checked(page, problems, page.get_by_role("heading", level=1, name="Users"))
    expect(page.get_by_role("main").get_by_text("admin-browser").first).to_be_visible()
    press(page, menu.locator("summary"))
    press(page, menu.get_by_role("link", name="Django admin"))  # for what it alone does
    checked(page, problems, page.get_by_role("link", name="Users", exact=True).first)
