"""The quality report screen and its CSV export, per role."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(api):
    api.trackers.create(name="Short <i>", vocabulary=["cmd", "I think so"])
    api.groups.create(
        name="Never", criteria="conversation.metadata.a==x;conversation.metadata.a==y"
    )
    return api


@pytest.mark.parametrize("who", ["analyst", "lead", "auditor", "admin"])
def test_every_role_reads_the_report(role_client, account, who):
    response = role_client(who).get("/review/quality/")
    assert response.status_code == 200 and b"<html" in response.content


def test_partial_for_htmx(role_client, account):
    response = role_client("lead").get("/review/quality/", HTTP_HX_REQUEST="true")
    assert b'id="quality-report"' in response.content and b"<html" not in response.content


def test_summary_filter_and_escaping(role_client, account):
    page = role_client("analyst").get("/review/quality/?kind=never_matches").content.decode()
    assert "Criteria that can never match" in page and "a cannot be both" in page
    assert "Short &lt;i&gt;" not in page.split("<tbody>")[-1]  # filtered out of the table
    assert "Short <i>" not in page


def test_unknown_kind_is_said_not_a_500(role_client, account):
    page = role_client("analyst").get("/review/quality/?kind=bogus").content.decode()
    assert "There is no kind of finding called “bogus”" in page


def test_csv_export_follows_the_filter(role_client, account):
    response = role_client("auditor").get("/review/quality/export.csv?kind=phrase_advice")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "quality-phrase_advice-" in response["Content-Disposition"]
    assert "I think so" in body and "Never" not in body


def test_api_down_is_a_message(role_client, account, monkeypatch):
    from symbl_admin.management_api.errors import Unavailable

    def down(*a, **k):
        raise Unavailable("down", status=503)

    monkeypatch.setattr(type(account.trackers), "list", down)
    response = role_client("analyst").get("/review/quality/")
    assert response.status_code == 200 and b"callout-error" in response.content


def test_findings_come_50_to_a_page_and_follow_every_edit(role_client, api):
    created = api.trackers.bulk_create(
        [{"name": f"T{i:02}", "vocabulary": ["I think so"]} for i in range(60)]
    )
    client = role_client("lead")
    first = client.get("/review/quality/?kind=few_phrases").content.decode()
    rows = first.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == 50 and "Findings 1–50 of 60." in first and "Page 1 of 2" in first
    second = client.get("/review/quality/?kind=few_phrases&page=2").content.decode()
    assert second.split("<tbody>")[1].count("<tr>") == 10 and "T59" in second
    for bad in ("0", "x", "²", "99999999999"):  # clamped or read as page 1, never a 500
        assert client.get(f"/review/quality/?page={bad}").status_code == 200
    # Remembered findings never outlive the objects they were found in.
    api.trackers.update(
        created[0].id, name="T00", vocabulary=["one a", "two b", "three c", "four d", "five e"]
    )
    again = client.get("/review/quality/?kind=few_phrases").content.decode()
    assert "Findings 1–50 of 59." in again


@pytest.mark.parametrize(("who", "shown"), [("auditor", False), ("analyst", True)])
def test_open_in_the_editor_is_offered_only_to_who_may_edit(role_client, account, who, shown):
    """An auditor's link led to a 403 (and a "Permission denied" audit entry per click)."""
    page = role_client(who).get("/review/quality/").content.decode()
    assert ("Open in the editor" in page) is shown
    assert ("/edit/" in page.split('id="quality-report"')[-1]) is shown
