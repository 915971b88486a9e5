"""Audit screens: each role, full page and htmx partial, filters, keyset pages, detail."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from audit.models import AuditEntry
from audit.selectors import object_history, recent_entries
from audit.services import audit_record_many, audited

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
    audit_record_many(
        ctx=ctx, action="import", object_type="tracker", items=[{"object_name": "StillPending"}]
    )
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


BACKWARDS = "date_from=2024-02-01&date_to=2024-01-01"


def test_backwards_date_range_says_so(role_client):
    content = role_client("auditor").get(f"/audit/?{BACKWARDS}").content
    assert b"The end date is before the start date." in content


@pytest.mark.parametrize("headers", [{}, HX])
def test_backwards_date_range_lists_nothing(role_client, change, headers):
    content = role_client("auditor").get(f"/audit/?{BACKWARDS}", **headers).content.decode()
    assert ("The end date is before the start date." in content, "Promotion" in content) == (
        True,
        False,
    )


def test_backwards_date_range_offers_no_export(role_client, change):
    content = role_client("admin").get(f"/audit/?{BACKWARDS}", **HX).content.decode()
    assert "/audit/export.csv" not in content


@pytest.mark.parametrize("path", ["/audit/export.csv", "/audit/export.json"])
def test_backwards_date_range_export_is_refused_with_the_same_words(role_client, change, path):
    response = role_client("admin").get(f"{path}?{BACKWARDS}")
    body = response.content.decode()
    assert (response.status_code, "The end date is before the start date." in body) == (400, True)
    assert "Promotion" not in body


@pytest.mark.parametrize(
    "query, words",
    [
        ("q=Promotion", "1 entry matches the filters."),
        ("action=update", "2 entries match the filters."),
        ("action=delete", "0 entries match the filters."),
    ],
)
def test_the_count_is_grammatical(role_client, change, ctx, query, words):
    with audited(ctx=ctx, action="update", object_type="group", object_id="7", object_name="G"):
        pass
    content = role_client("auditor").get(f"/audit/?{query}", **HX).content.decode()
    assert words in " ".join(content.split())


def test_the_skipped_numbers_are_explained_by_the_table(role_client, change):
    content = role_client("auditor").get("/audit/", **HX).content.decode()
    assert "outcome records" in content and "<caption" in content


def test_the_chain_banner_says_what_it_counts(role_client, change):
    content = " ".join(role_client("auditor").get("/audit/").content.decode().split())
    found = re.search(
        r"all (\d+) records chain correctly: (\d+) entries and 1 outcome record\b", content
    )
    listed = re.search(r"(\d+) entries\.", content)
    assert found and listed and int(found[1]) == int(found[2]) + 1 == int(listed[1]) + 1


def test_who_filters_as_you_type_and_suggests_the_logs_actors(role_client, change):
    content = role_client("auditor").get("/audit/").content.decode()
    assert "input changed delay:300ms from:[data-audit-live]" in content
    assert 'name="actor"' in content and content.count('data-audit-live=""') == 2
    datalist = content[content.index('<datalist id="audit-actors">') :].split("</datalist>")[0]
    assert '<option value="writer"></option>' in datalist


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


def test_detail_labels_fields_with_the_contract_and_leaves_stamps_uncounted(role_client, ctx):
    state = {**TRACKER_BEFORE, "createdOn": "2026-01-01T00:00:00Z", "updatedOn": "2026-01-01"}
    with audited(
        ctx=ctx, action="delete", object_type="tracker", object_id="101", before=state
    ) as audit:
        pass
    page = role_client("auditor").get(f"/audit/{audit.entry.seq}/").content.decode()
    content = " ".join(page.split())
    assert '<th scope="row">updatedOn' not in content and '<th scope="row">createdOn' not in content
    assert "not counted as changes: Created 2026-01-01T00:00:00Z; Last updated" in content
    assert "Deleted; it had 3 phrases." in content


def test_detail_of_a_restore_links_to_the_old_ids_history(role_client, ctx):
    from .test_selectors import delete_and_restore

    restore = delete_and_restore(ctx)
    content = role_client("auditor").get(f"/audit/{restore.seq}/").content.decode()
    assert '<a href="/audit/?q=101">' in content and "Restored with 3 phrases." in content


def test_detail_of_a_restored_delete_links_to_the_new_id(role_client, ctx):
    from .test_selectors import delete_and_restore

    restore = delete_and_restore(ctx)
    content = role_client("auditor").get(f"/audit/{restore.seq - 2}/").content.decode()
    assert '<a href="/audit/?q=999">' in content


def test_detail_of_an_unknown_outcome_names_the_command_that_checks_it(role_client, ctx):
    from audit.services import audit_complete, audit_record

    entry = audit_record(ctx=ctx, action="delete", object_type="tracker", object_id="5")
    audit_complete(entry, outcome="unknown", message="timed out")
    content = role_client("auditor").get(f"/audit/{entry.seq}/").content.decode()
    assert "manage.py reconcile_audit" in content and "next time" not in content


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
    assert "&lt;script&gt;x&lt;/script&gt;" in content


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


def test_history_summary_of_a_create_counts_its_phrases(ctx, make_user):
    with audited(ctx=ctx, action="create", object_type="tracker", object_name="Promo") as audit:
        audit.succeed(after=TRACKER_BEFORE, object_id="101", status=201)
    history = object_history(object_type="tracker", object_id="101")
    html = _render(
        "audit/_history.html",
        {"history": history, "object_type": "tracker"},
        make_user("lead2", "Team lead"),
    )
    assert '<summary class="small">Created with 3 phrases</summary>' in html
    assert "field changed" not in html


@pytest.mark.parametrize("role", ["analyst", "lead", "auditor"])
def test_overview_names_link_to_the_object(role_client, change, role):
    content = role_client(role).get("/").content.decode()
    assert '<a href="/trackers/101/">Promotion</a>' in content


def test_overview_entry_links_only_for_audit_readers(role_client, change):
    entry_link = f'href="/audit/{change.seq}/"'
    assert entry_link not in role_client("analyst").get("/").content.decode()
    assert entry_link in role_client("lead").get("/").content.decode()


def test_overview_does_not_link_a_deleted_object(role_client, change, ctx):
    with audited(
        ctx=ctx, action="delete", object_type="tracker", object_id="101", object_name="Promotion"
    ):
        pass
    assert 'href="/trackers/101/"' not in role_client("lead").get("/").content.decode()


def _change_list(before, after, **extra):
    from audit.diff import diff_states

    diff = diff_states("tracker", before, after)
    return render_to_string("audit/_change_list.html", {"diff": diff, **extra})


def test_change_list_lists_phrases_in_position_order_with_words_and_signs():
    html = _change_list(TRACKER_BEFORE, TRACKER_AFTER)
    rows = [
        '<li class="diff-removed"><span class="visually-hidden">removed: </span>'
        '<span aria-hidden="true">− </span>discount</li>',
        '<li class="diff-kept"><span class="visually-hidden">kept: </span>offer</li>',
        '<li class="diff-added"><span class="visually-hidden">added: </span>'
        '<span aria-hidden="true">+ </span>coupon</li>',
        '<li class="diff-kept"><span class="visually-hidden">kept: </span>sale</li>',
    ]
    positions = [html.find(row) for row in rows]
    assert -1 not in positions and positions == sorted(positions)


def test_change_list_shows_a_changed_name_as_old_to_new():
    html = " ".join(_change_list(TRACKER_BEFORE, TRACKER_AFTER).split())
    assert (
        '<span class="change-label">Name:</span> <del><span class="visually-hidden">was </span>'
        'Promo</del> <span aria-hidden="true">→</span><span class="visually-hidden">, now</span> '
        "<ins>Promotion</ins>"
    ) in html


def test_change_list_marks_moves_and_can_leave_kept_phrases_out():
    before = {"name": "a", "vocabulary": ["x", "y", "z"]}
    after = {"name": "a", "vocabulary": ["z", "x", "y"]}
    html = _change_list(before, after, changes_only=True)
    assert ('class="diff-moved"' in html, 'class="diff-kept"' in html) == (True, False)


def test_change_list_escapes_phrases():
    html = _change_list(None, {"name": "<b>", "vocabulary": ["<script>x</script>"]})
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
