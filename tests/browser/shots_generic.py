"""Screenshots of the shared screens (list, detail, delete, revert, deleted, import, conflict)
for both resources at desktop and phone widths, for looking at them.

Not collected by a plain `pytest` run; run it on purpose:
  .venv/bin/python -m pytest tests/browser/shots_generic.py -q
Writes PNGs into $SHOTS_DIR (default /tmp/generic-shots).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.core.test_generic_views import CASES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(browser, live_server, login, api, width):
    from audit.selectors import object_history
    from audit.services import AuditContext
    from resources import services

    out = Path(os.environ.get("SHOTS_DIR", "/tmp/generic-shots"))
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    login(page, "admin")

    def shot(name):
        page.wait_for_timeout(300)
        page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{name} at {width} px scrolls sideways"

    ctx = AuditContext.system("alice")
    for case in CASES:
        r = case.resource
        obj = services.create(client=api, resource=r, data=case.first, ctx=ctx)
        obj = services.update(
            client=api,
            resource=r,
            object_id=obj.id,
            data=case.second,
            fingerprint=obj.fingerprint,
            ctx=ctx,
        )
        first = object_history(object_type=r.noun, object_id=obj.id)[-1].seq
        base = f"{live_server.url}/{r.plural}/"
        page.goto(base)
        shot(f"{r.plural}-list")
        page.goto(f"{base}{obj.id}/")
        shot(f"{r.plural}-detail")
        page.get_by_role("button", name="Delete", exact=True).click()
        page.get_by_role("dialog").wait_for()
        shot(f"{r.plural}-delete")
        page.goto(f"{base}{obj.id}/revert/{first}/")
        shot(f"{r.plural}-revert")
        page.goto(f"{base}{obj.id}/edit/")
        r.api(api).update(obj.id, **case.third)
        page.get_by_role("button", name="Save changes").click()
        page.get_by_role("heading", name=f"Someone else changed this {r.noun}").wait_for()
        shot(f"{r.plural}-conflict")
        page.goto(f"{base}import/")
        page.get_by_label("…or paste here").fill(
            "name,phrase\nGood,hello\nGood,there\nBad,why?\n"
            if r.plural == "trackers"
            else "name,description,criteria\nGood,,conversation.metadata.a==b\nBad,,nope\n"
        )
        page.get_by_role("button", name="Preview").click()
        page.get_by_role("heading", name="Preview").wait_for()
        shot(f"{r.plural}-import")
        services.delete(client=api, resource=r, object_id=obj.id, ctx=ctx)
        page.goto(f"{base}deleted/")
        shot(f"{r.plural}-deleted")
    context.close()
