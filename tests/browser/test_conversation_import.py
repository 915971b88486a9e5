"""Importing .txt transcripts by keyboard alone, in Chromium at 1280 and 390 px: choose several
files, preview (counts, first messages, the bad file named), confirm the good ones, and watch
the progress region (htmx, every second) until the server's jobs completed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conversations.demo_seed import ALL_TIME
from tests.browser.walks import choose_file

FILES = [
    ("Call with Acme.txt", "John Doe: Hello Sarah.\nSarah Miller: Hi John, thanks for calling.\n"),
    ("Weekly sync.txt", "Jane Doe: Agenda first.\nMarcus Lee: Sounds good.\n"),
    ("broken.txt", "Jane Doe: fine\nno speaker on this line\n"),
]


def _tab_to(page, element_id: str) -> None:
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with Tab")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_lead_imports_txt_transcripts_by_keyboard(page, url, login, account, problems, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "lead")
    page.goto(url("/conversations/import/"))
    choose_file(  # Tab to it, Space opens the chooser
        page,
        page.locator("#id_files"),
        [{"name": n, "mimeType": "text/plain", "buffer": t.encode()} for n, t in FILES],
    )
    _tab_to(page, "preview-button")
    page.keyboard.press("Enter")

    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text("3 conversations read")
    expect(preview).to_contain_text("line 2: no speaker")
    expect(preview).to_contain_text("Hello Sarah.")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert account.conversations.list(**ALL_TIME) == []  # nothing sent before the confirm

    confirm = page.get_by_role("button", name="Import 2 conversations, skip 1 with problems")
    _tab_to(page, "import-confirm")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=20_000)
    expect(page.locator(".import-status")).to_contain_text(
        "2 of 2 submitted, 2 completed, 0 failed"
    )
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    names = {c.name for c in account.conversations.list(**ALL_TIME)}
    assert names == {"Call with Acme", "Weekly sync"}
    assert problems == []
