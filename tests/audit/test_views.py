"""Audit screens: each role, full page and htmx partial, filters, keyset pages, detail."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from symbl_admin.audit.models import AuditEntry
from symbl_admin.audit.selectors import object_history, recent_entries
from symbl_admin.audit.services import audit_record_many, audited

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


@pytest.mark.parametrize("role", ["lead", "auditor", "admin"])
def test_list_full_page_for_allowed_roles(role_client, role, change):
    response = role_client(role).get("/audit/")
    assert response.status_code == 200
    assert b"<html" in response.content
    assert b'id="audit-table"' in response.content


@pytest.mark.parametrize("role", ["lead", "auditor", "admin"])
def test_list_partial_for_htmx(role_client, role, change):
    response = role_client(role).get("/audit/", **HX)
    assert response.status_code == 200
    assert b'id="audit-table"' in response.content
    assert b"<html" not in response.content


def test_list_is_forbidden_to_analysts(role_client):
    assert role_client("analyst").get("/audit/").status_code == 403


def test_analyst_refusal_is_recorded(role_client):
    role_client("analyst").get("/audit/")
    entry = AuditEntry.objects.get(action="permission_denied")
    assert (entry.actor_username, entry.object_name, entry.after["path"]) == (
        "analyst-user",
        "accounts.view_audit",
        "/audit/",
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_times_are_utc_with_data_local(role_client, change):
    response = role_client("auditor").get("/audit/")
    iso = change.time.isoformat()
    assert f'<time datetime="{iso}" data-local>'.encode() in response.content


def test_filter_form_drives_the_table_with_htmx(role_client):
    content = role_client("auditor").get("/audit/").content.decode()
    assert 'hx-get="/audit/"' in content
    assert 'hx-target="#audit-table"' in content
    assert 'hx-push-url="true"' in content


def test_filter_by_action(role_client, change, ctx):
    with audited(ctx=ctx, action="delete", object_type="group", object_id="7", object_name="Gone"):
        pass
    content = role_client("auditor").get("/audit/?action=delete", **HX).content.decode()
    assert "Gone" in content
    assert "Promotion" not in content


def test_filter_by_outcome(role_client, change, ctx):
    entries = audit_record_many(
        ctx=ctx, action="import", object_type="tracker", items=[{"object_name": "StillPending"}]
    )
    assert entries
    content = role_client("auditor").get("/audit/?outcome=pending", **HX).content.decode()
    assert "StillPending" in content
    assert "Promotion" not in content


def test_filter_by_text_and_actor(role_client, change):
    c = role_client("auditor")
    assert "Promotion" in c.get("/audit/?q=romo&actor=WRITER", **HX).content.decode()
    assert "Promotion" not in c.get("/audit/?q=romo&actor=someone", **HX).content.decode()


def test_filter_by_dates(role_client, change):
    c = role_client("auditor")
    day = change.time.date()
    assert "Promotion" in c.get(f"/audit/?date_from={day}&date_to={day}", **HX).content.decode()
    assert "Promotion" not in c.get("/audit/?date_to=2000-01-01", **HX).content.decode()


def test_backwards_date_range_says_so(role_client):
    content = role_client("auditor").get("/audit/?date_from=2024-02-01&date_to=2024-01-01").content
    assert b"The end date is before the start date." in content


def test_keyset_pages_walk_the_log(role_client, ctx):
    audit_record_many(
        ctx=ctx,
        action="import",
        object_type="tracker",
        items=[{"object_name": f"Item-{i:03d}"} for i in range(60)],
    )
    c = role_client("auditor")
    first = c.get("/audit/?object_type=tracker", **HX).content.decode()
    assert "Item-059" in first and "Item-009" not in first
    older = c.get("/audit/?object_type=tracker&before=11", **HX).content.decode()
    assert "Item-009" in older and "Item-010" not in older
    assert "after=10" in older  # a link back to the newer page


def test_detail_full_page_and_partial(role_client, change):
    c = role_client("auditor")
    page = c.get(f"/audit/{change.seq}/")
    partial = c.get(f"/audit/{change.seq}/", **HX)
    assert page.status_code == 200 and b"<html" in page.content
    assert b'id="audit-entry"' in partial.content and b"<html" not in partial.content


def test_detail_highlights_added_and_removed_phrases(role_client, change):
    content = role_client("auditor").get(f"/audit/{change.seq}/").content.decode()
    assert '<ins><span class="visually-hidden">added: </span>coupon</ins>' in content
    assert '<del><span class="visually-hidden">removed: </span>discount</del>' in content


def test_detail_of_an_outcome_row_goes_to_its_entry(role_client, change):
    response = role_client("auditor").get(f"/audit/{change.seq + 1}/")
    assert response["Location"] == f"/audit/{change.seq}/#outcome-{change.seq + 1}"


def test_detail_unknown_entry_is_404(role_client):
    assert role_client("auditor").get("/audit/999/").status_code == 404


def test_detail_is_forbidden_to_analysts(role_client, change):
    assert role_client("analyst").get(f"/audit/{change.seq}/").status_code == 403


def test_upstream_text_is_escaped(role_client, ctx):
    with audited(ctx=ctx, action="create", object_type="tracker", object_name="<script>x</script>"):
        pass
    content = role_client("auditor").get("/audit/").content.decode()
    assert "<script>x</script>" not in content


def _render(template, context, user):
    request = RequestFactory().get("/")
    request.user = user
    from symbl_admin.context_processors import dashboard

    request.resolver_match = None
    return render_to_string(template, {**context, **dashboard(request)}, request=request)


def test_history_partial_links_items_to_the_entry_detail(change, make_user):
    history = object_history(object_type="tracker", object_id="101")
    html = _render(
        "audit/_history.html",
        {"history": history, "object_type": "tracker"},
        make_user("lead2", "Team lead"),
    )
    assert f'href="/audit/{change.seq}/"' in html


def test_recent_partial_lists_changes(change, make_user):
    html = _render("audit/_recent.html", {"entries": recent_entries()}, make_user("aud", "Auditor"))
    assert "Promotion" in html and f'href="/audit/{change.seq}/"' in html
