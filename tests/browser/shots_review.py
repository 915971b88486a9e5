"""Screenshots of the review screens (queue, queue after a request, Overview attention,
quality report, a list with review states) at desktop and phone widths, for looking at them.

Not collected by a plain `pytest` run; run it on purpose:
  .venv/bin/python -m pytest tests/browser/shots_review.py -q
Writes PNGs into $SHOTS_DIR (default /tmp/review-shots).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(browser, live_server, login, api, make_user, width):
    from audit.services import AuditContext
    from resources import services
    from trackers.resource import TRACKERS

    out = Path(os.environ.get("SHOTS_DIR", "/tmp/review-shots"))
    out.mkdir(parents=True, exist_ok=True)
    analyst = make_user("ana", "Analyst")
    ctx = AuditContext(
        actor=analyst, username="ana", request_id="r", ip="", user_agent="", reason="holiday season"
    )
    five = ["special promotion", "discount for new customers", "month special", "sale", "deal"]
    t = services.create(
        client=api,
        resource=TRACKERS,
        data={"name": "Promotion Mention", "vocabulary": five},
        ctx=ctx,
    )
    services.update(
        client=api,
        resource=TRACKERS,
        object_id=t.id,
        fingerprint="",
        ctx=ctx,
        data={"name": "Promotion Mention", "vocabulary": [*five, "I think a deal"]},
    )
    services.create(
        client=api,
        resource=TRACKERS,
        data={"name": "Short one", "vocabulary": ["deal", "refunds", "refund"]},
        ctx=ctx,
    )
    api.groups.create(
        name="Never", criteria="conversation.metadata.a==x;conversation.metadata.a==y"
    )

    pages = {}
    for key in ("lead", "analyst"):
        context = browser.new_context(viewport={"width": width, "height": 900})
        pages[key] = context.new_page()
    lead = login(pages["lead"], "lead")
    pa = pages["analyst"]

    def shot(page, name):
        page.wait_for_timeout(300)
        page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name} at {width} px scrolls sideways"

    lead.goto(f"{live_server.url}/review/")
    shot(lead, "queue")
    item = lead.locator(".review-item").first
    item.get_by_label("Comment").fill("Drop “I think”: say it the way customers do.")
    item.get_by_role("button", name="Request changes").click()
    lead.wait_for_selector("#toasts .toast")  # the outcome is said in a toast
    shot(lead, "queue-after-request")
    lead.goto(f"{live_server.url}/review/quality/")
    shot(lead, "quality")
    lead.goto(f"{live_server.url}/trackers/")
    shot(lead, "trackers-list")

    pa.goto(f"{live_server.url}/accounts/login/")
    pa.get_by_label("Username").fill("ana")
    pa.get_by_label("Password").fill("pw-for-tests-1")
    pa.get_by_role("button", name="Sign in").click()
    pa.wait_for_url(f"{live_server.url}/")
    shot(pa, "overview-attention")
