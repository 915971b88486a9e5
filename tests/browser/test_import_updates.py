"""The import preview of an edited export, in Chromium at 1280 and 390 px: each row says what
it would do (update with its diff, unchanged, create) before anything is written, nothing
scrolls sideways, and the run reports what it created and updated."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

PHRASES = ["special promotion", "discount for new customers", "sale now"]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_import_preview_shows_updates_as_diffs(page, url, login, account, problems, width):
    page.set_viewport_size({"width": width, "height": 900})
    edited = account.trackers.create(name="Promo", vocabulary=PHRASES)
    account.trackers.create(name="Same", vocabulary=["hello there"])
    login(page, "lead")
    exported = page.request.get(url("/trackers/export.json")).json()
    exported[0]["vocabulary"].append("coupon code")
    exported.append({"name": "Brand new", "vocabulary": ["fresh phrase"]})

    page.goto(url("/trackers/import/"))
    page.get_by_label("…or paste here").fill(json.dumps(exported))
    page.get_by_role("button", name="Preview").click()

    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text("1 to create, 1 to update, 1 unchanged, 0 in conflict")
    rows = preview.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator(".import-kind")).to_have_text("Update")
    expect(rows.nth(0)).to_contain_text("Phrases: 1 added")
    expect(rows.nth(0).locator(".diff-added")).to_contain_text("coupon code")
    expect(rows.nth(1).locator(".import-kind")).to_have_text("Unchanged")
    expect(rows.nth(2).locator(".import-kind")).to_have_text("Create")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert account.trackers.get(edited.id).vocabulary == tuple(PHRASES)  # nothing written yet

    page.get_by_role("button", name="Import 1 tracker and update 1").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.locator("#import-area")).to_contain_text("2 of 2 processed: 1 created, 1 updated")
    assert account.trackers.get(edited.id).vocabulary == (*PHRASES, "coupon code")
