"""Audit screens in a real browser: layout at phone and desktop widths, live filters, focus.

The log is written through the audit write API (no Management API calls needed), the way the
trackers and groups services write it. Every test fails on a console error, an uncaught
exception or a Content-Security-Policy violation (the `problems` guard of test_trackers).

Screenshots for looking at the screens: AUDIT_SHOTS_DIR=/tmp/audit-shots pytest -k shots
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.support import watch

pytestmark = pytest.mark.django_db(transaction=True)

PHRASES = [
    "special promotion for returning customers",
    "discount for new customers",
    "month special",
    "sale right now",
    "limited offer",
    "coupon code",
    "price match guarantee",
    "free shipping",
    "black friday",
]
LONG_CRITERIA = (
    "conversation.metadata.agentId==johndoe-the-agent-with-a-very-long-identifier-"
    "that-does-not-break;conversation.metadata.region=in=(emea,apac,americas)"
)


def seed_log() -> dict:
    """A tracker created, edited, deleted and restored; a group with long criteria; sign-ins."""
    from audit.services import AuditContext, audited, record_event

    def ctx():  # one request (id) per write, as the screens would make them
        return AuditContext.system("leandra.okafor")

    stamps = {"createdOn": "2026-01-01T09:00:00Z", "updatedOn": "2026-01-01T09:00:00Z"}
    v1 = {"id": "5551234567890123", "name": "Promotion Mention", "vocabulary": PHRASES, **stamps}
    v2 = {**v1, "vocabulary": [*PHRASES[:2], *PHRASES[3:], "holiday deal"]}
    with audited(ctx=ctx(), action="create", object_type="tracker", object_name=v1["name"]) as a:
        a.succeed(after=v1, object_id=v1["id"], status=201)
    for _ in range(3):
        with audited(
            ctx=ctx(),
            action="update",
            object_type="tracker",
            object_id=v1["id"],
            object_name=v1["name"],
            before=v1,
            after=v2,
        ) as update:
            update.succeed(after={**v2, "updatedOn": "2026-01-02T10:00:00Z"})
    with audited(
        ctx=ctx(),
        action="delete",
        object_type="tracker",
        object_id=v1["id"],
        object_name=v1["name"],
        before=v2,
    ) as delete:
        delete.succeed(status=200)
    with audited(
        ctx=ctx(),
        action="restore",
        object_type="tracker",
        object_id=v1["id"],
        object_name=v1["name"],
        before=v2,
        after={"name": v2["name"], "vocabulary": v2["vocabulary"]},
    ) as restore:
        restore.succeed(after={**v2, "id": "5559876543210987"}, object_id="5559876543210987")
    group = {"id": "7001", "name": "Calls made by John", "description": "", "criteria": "x==1"}
    with audited(
        ctx=ctx(),
        action="update",
        object_type="group",
        object_id="7001",
        object_name=group["name"],
        before=group,
        after={**group, "criteria": LONG_CRITERIA, "description": "John's calls, every region"},
    ) as group_update:
        group_update.succeed(after={**group, "criteria": LONG_CRITERIA})
    for name in ("sam.lee", "leandra.okafor"):
        record_event(action="login", ctx=AuditContext.system(name), outcome="success")
    return {
        "update": update.entry,
        "delete": delete.entry,
        "restore": restore.entry,
        "group": group_update.entry,
    }


@pytest.fixture
def log(api):
    return seed_log()


@pytest.fixture
def problems(context):
    found = watch(context)
    yield found
    assert found == [], "the browser reported problems"


def settle(page):
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
    )


# Whether the Object select shows its whole text, the Who box its whole placeholder, and the
# Object label its whole word: each text measured in the element's own font.
FITS = """() => {
  const ctx = document.createElement("canvas").getContext("2d");
  const width = (el, text) => { ctx.font = getComputedStyle(el).font; return ctx.measureText(text).width; };
  const room = el => { const cs = getComputedStyle(el);
    return el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight); };
  const select = document.getElementById("id_object_type");
  const who = document.getElementById("id_actor");
  const label = document.querySelector("label[for=id_object_type]");
  return {
    object: width(select, select.options[select.selectedIndex].text) + 20 <= room(select),
    who: width(who, who.placeholder) <= room(who),
    label: label.scrollWidth <= label.clientWidth + 1 && label.getBoundingClientRect().width > 0,
  };
}"""


def overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("role", ["lead", "auditor", "admin"])
def test_entry_pages_do_not_scroll_sideways_at_375px(page, live_server, login, log, role, problems):
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, role)
    for entry in log.values():
        page.goto(f"{live_server.url}/audit/{entry.seq}/")
        page.get_by_role("heading", name="What changed").wait_for()
        assert overflow(page) <= 0, f"entry #{entry.seq} scrolls sideways"


@pytest.mark.parametrize("width", [375, 1280])
def test_list_does_not_scroll_sideways_and_labels_are_whole(page, live_server, login, log, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, "auditor")
    page.goto(f"{live_server.url}/audit/")
    assert overflow(page) <= 0
    fits = page.evaluate(FITS)
    assert fits == {"object": True, "who": True, "label": True}


def test_who_filters_as_you_type_on_part_of_a_name(page, live_server, login, log, problems):
    login(page, "auditor")
    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("Who").press_sequentially("LEA", delay=30)  # no blur, no Enter
    expect(page.locator("#audit-table")).not_to_contain_text("sam.lee")
    expect(page.locator("#audit-table")).to_contain_text("leandra.okafor")
    expect(page.get_by_label("Who")).to_be_focused()
    assert "actor=LEA" in page.url


def test_who_offers_the_actors_of_the_log(page, live_server, login, log):
    login(page, "auditor")
    page.goto(f"{live_server.url}/audit/")
    options = page.locator("datalist#audit-actors option")
    values = options.evaluate_all("els => els.map(e => e.value)")
    assert {"leandra.okafor", "sam.lee"} <= set(values)


def test_filters_work_from_the_keyboard_and_keep_focus(page, live_server, login, log, problems):
    login(page, "auditor")
    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("Search").focus()
    page.keyboard.type("Calls")
    settle(page)
    expect(page.locator("#audit-table tbody tr")).to_have_count(1)
    page.keyboard.press("Tab")  # to Who
    page.keyboard.press("Tab")  # to Action
    expect(page.get_by_label("Action")).to_be_focused()
    page.keyboard.press("ArrowDown")  # "Any action" → "Create"
    settle(page)
    expect(page.locator("#audit-table")).to_contain_text("0 entries match the filters.")
    expect(page.get_by_label("Action")).to_be_focused()
    assert "action=create" in page.url


def test_paging_keeps_focus_on_the_pager(page, live_server, login, log, problems):
    from audit.services import AuditContext, audit_record_many

    audit_record_many(
        ctx=AuditContext.system("bulk"),
        action="import",
        object_type="tracker",
        items=[{"object_name": f"Item {i}"} for i in range(60)],
    )
    login(page, "auditor")
    page.goto(f"{live_server.url}/audit/")
    older = page.get_by_role("link", name="Older →")
    older.focus()
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_role("link", name="← Newer")).to_be_visible()
    focused = page.evaluate("() => document.activeElement.closest('#audit-table') !== null")
    assert focused


@pytest.mark.skipif(not os.environ.get("AUDIT_SHOTS_DIR"), reason="AUDIT_SHOTS_DIR not set")
@pytest.mark.parametrize("width", [1280, 375])
def test_shots(browser, live_server, login, log, width):
    out = Path(os.environ["AUDIT_SHOTS_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    login(page, "lead")

    def shot(name, path):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_timeout(300)
        page.screenshot(path=out / f"{name}-{width}.png", full_page=True)

    from audit.selectors import object_history
    from audit.services import AuditContext
    from symbl_admin.management_api import get_client
    from tests.browser.test_trackers import audited_tracker
    from tests.trackers.writes import tracker_update

    tracker = audited_tracker("Pricing questions", PHRASES[:6])
    tracker_update(
        client=get_client(),
        tracker_id=tracker.id,
        name="Pricing",
        vocabulary=[PHRASES[0], PHRASES[1], PHRASES[3], "new phrase", PHRASES[4], PHRASES[5]],
        fingerprint=tracker.fingerprint,
        ctx=AuditContext.system("browser-test"),
    )
    created = object_history(object_type="tracker", object_id=tracker.id)[-1]
    shot("revert-preview", f"/trackers/{tracker.id}/revert/{created.seq}/")
    shot("tracker-detail", f"/trackers/{tracker.id}/")
    page.locator(".audit-timeline details summary").first.click()
    page.screenshot(path=out / f"tracker-history-open-{width}.png", full_page=True)
    shot("overview", "/")
    shot("list", "/audit/")
    shot("list-bad-dates", "/audit/?date_from=2026-02-01&date_to=2026-01-01")
    for name, entry in log.items():
        shot(f"entry-{name}", f"/audit/{entry.seq}/")


def test_a_fixed_date_range_lists_again_and_drops_the_old_error(page, live_server, login, log):
    login(page, "auditor")
    page.goto(f"{live_server.url}/audit/?date_from=2000-02-01&date_to=2000-01-01")
    # The filters' own alert (the chain's banner is another alert, about something else).
    alert = page.locator("#audit-table").get_by_role("alert")
    expect(alert).to_contain_text("The end date is before the start date.")
    page.get_by_label("To", exact=True).fill("2999-12-31")
    settle(page)
    # The list comes back by htmx once the change is seen; a loaded CI machine may take a while.
    expect(page.locator("#audit-table tbody tr")).not_to_have_count(0, timeout=15_000)
    expect(page.locator("text=The end date is before the start date.")).to_have_count(
        0, timeout=15_000
    )


def _zone_a_day_away(entry) -> tuple[str, str]:
    """A zone in which the entry's date is not its UTC date, whatever the hour, and that date."""
    from zoneinfo import ZoneInfo

    zone = "Pacific/Kiritimati" if entry.time.hour >= 10 else "Pacific/Pago_Pago"
    return zone, entry.time.astimezone(ZoneInfo(zone)).date().isoformat()


@pytest.mark.parametrize("width", [1280, 390])
def test_dates_are_days_in_the_browsers_zone_as_the_rows_show(
    browser, live_server, login, log, width
):
    """In Tokyo every row showed "Dec 8", yet "From Dec 8" found nothing: dates were UTC days.
    Typed, and from a bookmarked address without the zone."""
    zone, day = _zone_a_day_away(next(iter(log.values())))
    context = browser.new_context(timezone_id=zone, viewport={"width": width, "height": 900})
    found = watch(context)
    page = login(context.new_page(), "auditor")
    page.goto(f"{live_server.url}/audit/")
    note = page.locator("#audit-zone")
    expect(note).to_have_text(f"Dates are read in {zone} (your browser’s time zone).")
    page.get_by_label("From", exact=True).fill(day)
    settle(page)
    page.get_by_label("To", exact=True).fill(day)
    settle(page)
    expect(page.locator("#audit-table tbody tr")).not_to_have_count(0, timeout=15_000)
    expect(note).to_have_attribute("data-zone", zone)
    page.goto(f"{live_server.url}/audit/?date_from={day}&date_to={day}")
    expect(page.locator("#audit-table tbody tr")).not_to_have_count(0, timeout=15_000)
    expect(note).to_have_text(f"Dates are read in {zone} (your browser’s time zone).")
    assert overflow(page) <= 0
    context.close()
    assert found == [], found[0][:2000]


@pytest.mark.parametrize("width", [1280, 390])
def test_an_auditor_runs_a_full_check_from_the_screen(
    browser, live_server, login, log, width, settings, tmp_path, monkeypatch
):
    """A full check needed a shell (manage.py verify_audit): now a button (POST with CSRF),
    run in a background thread, polled until its result shows: when, who, passed."""
    from audit import full_check

    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    monkeypatch.setattr(full_check, "INLINE_MAX", 0)  # a long log's path: the thread, polled
    context = browser.new_context(viewport={"width": width, "height": 900})
    found = watch(context)
    page = login(context.new_page(), "auditor")
    page.goto(f"{live_server.url}/audit/")
    region = page.locator("#audit-integrity")
    expect(region).to_contain_text("No full check has been run yet.")
    button = region.get_by_role("button", name="Run a full check")
    button.focus()
    page.keyboard.press("Enter")
    expect(region).to_contain_text("Last full check:", timeout=15_000)
    expect(region).to_contain_text("by auditor-browser")
    expect(region).to_contain_text("passed")
    settle(page)
    # The keyboard user is still in the region (its button), not thrown to the page top.
    assert page.evaluate("document.activeElement.closest('#audit-integrity') !== null")
    assert overflow(page) <= 0
    from audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="audit_verified").get()
    assert (entry.actor_username, entry.outcome) == ("auditor-browser", "success")
    context.close()
    assert found == [], found[0][:2000]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_running_full_check_shows_its_progress_until_it_ends(
    browser, live_server, login, log, width, settings, tmp_path
):
    """Another worker's run holds the lock: the screen shows how far it has come, polls, and
    offers the button again once the run has let go."""
    from audit import full_check

    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    context = browser.new_context(viewport={"width": width, "height": 900})
    found = watch(context)
    page = login(context.new_page(), "auditor")
    held = full_check._lock()
    try:
        full_check._write_progress(full_check.Progress(True, 2000, 8000, "someone", "x"))
        page.goto(f"{live_server.url}/audit/")
        region = page.locator("#audit-integrity")
        expect(region).to_contain_text("2000 of 8000 records checked (25%)")
        expect(region.get_by_role("button", name="Run a full check")).to_have_count(0)
        full_check._write_progress(full_check.Progress(True, 6000, 8000, "someone", "x"))
        expect(region).to_contain_text("6000 of 8000 records checked (75%)", timeout=5_000)
        assert overflow(page) <= 0
    finally:
        full_check._release(held)
    expect(region.get_by_role("button", name="Run a full check")).to_be_visible(timeout=5_000)
    context.close()
    assert found == [], found[0][:2000]
