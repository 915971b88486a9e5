"""The audit log's date filters are days in the zone the rows are shown in: the browser's,
sent with the request (tz), else DJANGO_TIME_ZONE; the page says which (audit/zones.py)."""

import pytest

from audit.services import audited

from .conftest import TRACKER_AFTER, TRACKER_BEFORE

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def change(ctx):
    with audited(
        ctx=ctx,
        action="update",
        object_type="tracker",
        object_id="101",
        object_name="Promotion",
        before=TRACKER_BEFORE,
        after=TRACKER_AFTER,
    ) as audit:
        audit.succeed(after=TRACKER_AFTER)
    return audit.entry


def _zone_a_day_away(entry) -> tuple[str, object]:
    """A zone in which the entry's date is not its UTC date, whatever the hour (UTC+14 from
    10:00 UTC on, UTC−11 before 11:00), and the entry's date there."""
    from zoneinfo import ZoneInfo

    zone = "Pacific/Kiritimati" if entry.time.hour >= 10 else "Pacific/Pago_Pago"
    local = entry.time.astimezone(ZoneInfo(zone)).date()
    assert local != entry.time.astimezone(ZoneInfo("UTC")).date()
    return zone, local


def test_dates_are_read_in_the_browsers_zone_sent_with_the_request(role_client, change):
    """In Tokyo every row showed "Dec 8", yet "From Dec 8" found nothing (read in UTC)."""
    zone, day = _zone_a_day_away(change)
    query = f"date_from={day}&date_to={day}&tz={zone}"
    content = role_client("auditor").get(f"/audit/?{query}", **HX).content.decode()
    assert "Promotion" in content
    assert f"Dates are read in {zone} (your browser’s time zone)" in content


def test_without_a_zone_dates_are_read_in_the_dashboards_and_said(role_client, change, settings):
    settings.TIME_ZONE = "UTC"
    zone, day = _zone_a_day_away(change)
    content = role_client("auditor").get(f"/audit/?date_from={day}&date_to={day}").content
    assert "Promotion" not in content.decode().split('id="audit-table"')[-1]
    assert "Dates are read in UTC (the dashboard’s time zone, DJANGO_TIME_ZONE)" in (
        content.decode()
    )


@pytest.mark.parametrize("bad", ["Mars/Olympus", "../../etc/passwd", "x" * 300])
def test_an_unknown_zone_is_said_and_the_dashboards_is_used(role_client, change, bad, settings):
    settings.TIME_ZONE = "UTC"
    response = role_client("auditor").get("/audit/", {"tz": bad}, **HX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Promotion" in content
    assert "is not a time zone this server knows" in content
    assert "Dates are read in UTC" in content


def test_exports_read_dates_in_the_same_zone(role_client, change):
    zone, day = _zone_a_day_away(change)
    response = role_client("admin").get(
        "/audit/export.csv", {"date_from": day, "date_to": day, "tz": zone}
    )
    assert "Promotion" in b"".join(response.streaming_content).decode("utf-8-sig")
