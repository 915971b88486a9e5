"""The conversation journey of issue 24, in Chromium at 1280 and 390 px, by keyboard: a team
lead imports three .txt transcripts with a metadata CSV; an analyst builds a group in plain
words with the criteria builder and watches the live count follow each condition, saves it,
opens the group and sees its conversation; edits another conversation's metadata so that it
now matches, and sees it join the group (the group page's count goes up by one).

Over the embedded Management API server (its worker runs the import's jobs). Fails on a
console error, an uncaught exception or a CSP violation (the `problems` guard), and on
sideways scrolling at any step."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conversations.demo_seed import ALL_TIME
from tests.browser.walks import choose_file, settled, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

TRANSCRIPTS = [
    ("Acme sales call.txt", "John Doe: Hello, this is John.\nSarah Miller: Hi John, the price?\n"),
    ("Support follow-up.txt", "John Doe: Is the parcel there?\nAli Khan: Not yet, sadly.\n"),
    ("Bolt sales call.txt", "Mary Roe: Good morning.\nTom Bolt: Morning, about the offer.\n"),
]
METADATA = (
    "conversation,key,value\n"
    "Acme sales call,agentId,john\nAcme sales call,callType,sales\n"
    "Support follow-up,agentId,john\nSupport follow-up,callType,support\n"
    "Bolt sales call,agentId,mary\nBolt sales call,callType,sales\n"
)
GROUP = "Johns sales calls"  # a group name is letters, digits, spaces and - _ " only


def _wide(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def _files(page, field_id: str, files: list[tuple[str, str, str]]) -> None:
    """Tab to a file input, open the chooser with Space, pick the files."""
    payloads = [{"name": n, "mimeType": kind, "buffer": text.encode()} for n, text, kind in files]
    choose_file(page, page.locator(f"#{field_id}"), payloads)


def _lead_imports(page, url, login) -> None:
    login(page, "lead")
    page.goto(url("/conversations/import/"))
    _files(page, "id_files", [(n, t, "text/plain") for n, t in TRANSCRIPTS])
    _files(page, "id_metadata", [("metadata.csv", METADATA, "text/csv")])
    tab_to(page, page.locator("#preview-button"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Preview")).to_contain_text("3 conversations read")
    assert not _wide(page)
    tab_to(page, page.locator("#import-confirm"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=20_000)
    expect(page.locator(".import-status")).to_contain_text(
        "3 of 3 submitted, 3 completed, 0 failed"
    )


def _type_into(page, label: str, text: str) -> None:
    tab_to(page, page.get_by_label(label))
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _analyst_builds_the_group(page, url) -> str:
    """The group's detail page URL, once saved."""
    page.goto(url("/groups/new/"))
    count = page.locator("#live-count")
    _type_into(page, "Group name", GROUP)
    _type_into(page, "Condition 1: field", "agentId")
    _type_into(page, "Condition 1: value", "john")
    expect(count).to_have_text("Selects 2 of 3 conversations over all time.")
    tab_to(page, page.get_by_role("button", name="+ Add a condition"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Condition 2: field")).to_be_visible()
    settled(page)
    _type_into(page, "Condition 2: field", "callType")
    _type_into(page, "Condition 2: value", "sales")
    expect(count).to_have_text("Selects 1 of 3 conversations over all time.")
    expect(page.locator("#criteria-preview")).to_contain_text(
        "agentId is john and callType is sales"
    )
    assert not _wide(page)
    tab_to(page, page.get_by_role("button", name="Create group"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP)
    return page.url


def _group_shows(page, group_url: str, selected: str, *names: str) -> None:
    page.goto(group_url)
    found = page.locator("#group-conversations")
    expect(found).to_contain_text(selected)
    for name in names:
        expect(found.get_by_role("link", name=name)).to_be_visible()
    assert not _wide(page)


def _analyst_edits_metadata(page, url, name: str) -> None:
    """From the conversations list to the conversation, its callType changed to sales."""
    page.goto(url("/conversations/"))
    tab_to(page, page.locator("#conversation-table").get_by_role("link", name=name))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    tab_to(page, page.get_by_role("link", name="Edit metadata"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Metadata of")
    field = page.locator("input[name=value][value=support]")
    tab_to(page, field)
    page.keyboard.press("Control+A")
    page.keyboard.type("sales")
    assert not _wide(page)
    page.keyboard.press("Enter")  # the form's first button is Save
    expect(page.locator("#toasts")).to_contain_text(f"Metadata of “{name}” saved.")


@pytest.mark.parametrize("width", [1280, 390])
def test_import_build_a_group_and_see_a_conversation_join_it(
    page, url, login, account, problems, width
):
    page.set_viewport_size({"width": width, "height": 900})
    _lead_imports(page, url, login)
    assert {c.name for c in account.conversations.list(**ALL_TIME)} == {
        "Acme sales call",
        "Support follow-up",
        "Bolt sales call",
    }

    page.context.clear_cookies()  # the lead is gone; an analyst signs in
    login(page, "analyst")
    group_url = _analyst_builds_the_group(page, url)
    group = account.groups.find_by_name(GROUP)
    assert group.criteria == (
        "conversation.metadata.agentId==john and conversation.metadata.callType==sales"
    )
    _group_shows(page, group_url, "1 conversation selected", "Acme sales call")
    expect(page.locator("#group-conversations")).not_to_contain_text("Support follow-up")

    _analyst_edits_metadata(page, url, "Support follow-up")
    _group_shows(
        page, group_url, "2 conversations selected", "Acme sales call", "Support follow-up"
    )
    assert problems == []
