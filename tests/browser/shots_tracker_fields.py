"""Screenshots of the trackers' later fields (editor, detail, filtered list) at desktop and
phone widths. Run on purpose: .venv/bin/python -m pytest tests/browser/shots_tracker_fields.py
Writes PNGs into $SHOTS_DIR (default /tmp/tracker-fields-shots)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(browser, live_server, login, api, width):
    out = Path(os.environ.get("SHOTS_DIR", "/tmp/tracker-fields-shots"))
    out.mkdir(parents=True, exist_ok=True)
    tracker = api.trackers.create(
        name="Pricing questions",
        vocabulary=["how much is it", "what does it cost", "price list", "monthly fee"],
        description="Customers asking what it costs, before and after a demo.",
        categories=["sales", "billing", "a rather long category label"],
        languages=["en-US", "fr-FR"],
        excludeVocabulary=["price list download"],
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    login(page, "analyst")
    for name, path in (
        ("edit", f"/trackers/{tracker.id}/edit/"),
        ("detail", f"/trackers/{tracker.id}/"),
        ("list", "/trackers/?category=sales"),
    ):
        page.goto(f"{live_server.url}{path}")
        if name == "edit":
            page.locator("details.excluded summary").click()
        page.wait_for_timeout(400)
        page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name} at {width} px scrolls sideways"
    context.close()
