"""Bulk actions on the trackers and groups lists (resources/generic/bulk.py, resources/bulk.py):
the checkboxes, the actions each role is offered and allowed, the delete confirmation, one
audit entry per object, partial failures, the bound on ids, exports of the selection, CSRF.
Against the embedded Management API through the real client; the partial failure also over
real HTTP against the standalone server."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.test import Client

from audit.models import AuditEntry
from tests.support.csrf import token_in
from tests.trackers.writes import PHRASES

pytestmark = pytest.mark.django_db

CATEGORIES_FULL = [f"c{i}" for i in range(20)]  # the contract's most: a 21st is refused


@pytest.fixture
def trio(api):
    """Three trackers: Alpha, Beta (already at 20 categories) and Gamma."""
    return [
        api.trackers.create(name="Alpha", vocabulary=PHRASES),
        api.trackers.create(name="Beta", vocabulary=PHRASES, categories=CATEGORIES_FULL),
        api.trackers.create(name="Gamma", vocabulary=PHRASES, categories=["sales"]),
    ]


@pytest.fixture
def groups(api):
    return [
        api.groups.create(name=f"Group {n}", criteria=f"conversation.metadata.agentId=={n}")
        for n in ("one", "two")
    ]


def _post(client: Client, plural: str, action: str, ids, **extra):
    return client.post(f"/{plural}/bulk/", {"action": action, "ids": list(ids), **extra})


def _records(action: str):
    """The audit log's records (not their completions) of `action`."""
    return AuditEntry.objects.filter(action=action, completes__isnull=True)


def _outcome(record) -> str:
    """The outcome its completing entry gives a record."""
    return AuditEntry.objects.get(completes=record).outcome


def _ticked(page: str) -> set[str]:
    return set(
        re.findall(r'name="ids" value="([^"]+)" aria-label="[^"]*" data-bulk-row checked', page)
    )


# ---------------------------------------------------------------- the list


@pytest.mark.parametrize("plural", ["trackers", "groups"])
def test_each_row_has_a_labelled_checkbox_and_the_header_selects_the_page(
    role_client, trio, groups, plural
):
    page = role_client("auditor").get(f"/{plural}/").content.decode()
    name = "Alpha" if plural == "trackers" else "Group one"
    assert f'aria-label="Select {name}"' in page
    assert 'aria-label="Select every row on this page" data-bulk-all' in page
    assert f'<form class="bulk-form" method="post" action="/{plural}/bulk/" data-bulk>' in page


def test_an_analyst_is_offered_no_delete_and_a_lead_is(role_client, trio):
    analyst = role_client("analyst").get("/trackers/").content.decode()
    lead = role_client("lead").get("/trackers/").content.decode()
    assert '<option value="add_category">' in analyst
    assert '<option value="delete">' not in analyst
    assert '<option value="delete">' in lead


def test_groups_offer_no_category_actions(role_client, groups):
    page = role_client("lead").get("/groups/").content.decode()
    assert '<option value="delete">' in page
    assert "category" not in page.lower().split('id="bulk-action"')[1].split("</select>")[0]


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize("role", ["analyst", "auditor"])
@pytest.mark.parametrize("plural", ["trackers", "groups"])
def test_delete_is_refused_to_analysts_and_auditors(role_client, trio, groups, role, plural):
    objects = trio if plural == "trackers" else groups
    response = _post(role_client(role), plural, "delete", [o.id for o in objects], confirmed="1")
    assert response.status_code == 403
    assert not _records("delete").exists()


def test_category_changes_are_refused_to_auditors(role_client, trio):
    response = _post(role_client("auditor"), "trackers", "add_category", [trio[0].id], category="x")
    assert response.status_code == 403
    assert not _records("update").exists()


def test_a_post_without_the_csrf_token_is_refused(make_user, trio):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("lee", "Team lead"))
    response = _post(client, "trackers", "delete", [trio[0].id], confirmed="1")
    assert response.status_code == 403
    assert not _records("delete").exists()


def test_a_post_with_the_lists_csrf_token_is_taken(make_user, trio):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("lee", "Team lead"))
    token = token_in(client.get("/trackers/").content.decode())
    response = _post(client, "trackers", "delete", [trio[0].id], csrfmiddlewaretoken=token)
    assert response.status_code == 200
    assert "Delete 1 tracker?" in response.content.decode()


# ---------------------------------------------------------------- delete


def test_delete_asks_first_naming_the_count_and_each_object(role_client, trio):
    response = _post(role_client("lead"), "trackers", "delete", [t.id for t in trio])
    page = response.content.decode()
    assert response.status_code == 200
    assert "Delete 3 trackers?" in page
    assert all(f"<strong>“{t.name}”</strong>" in page for t in trio)
    assert '<button type="submit" class="btn btn-danger">Delete 3 trackers</button>' in page
    assert not _records("delete").exists()


def test_the_header_box_takes_every_row_of_the_page_without_javascript(role_client, trio):
    ids = [t.id for t in trio]
    response = role_client("lead").post(
        "/trackers/bulk/", {"action": "delete", "all_on_page": "1", "page_ids": ids}
    )
    assert "Delete 3 trackers?" in response.content.decode()


def test_a_confirmed_delete_writes_one_audit_entry_per_object(role_client, trio, api):
    lead = role_client("lead")
    response = _post(lead, "trackers", "delete", [t.id for t in trio[:2]], confirmed="1")
    assert response.status_code == 302
    assert response["Location"] == "/trackers/"
    assert sorted(_records("delete").values_list("object_name", flat=True)) == ["Alpha", "Beta"]
    assert [t.name for t in api.trackers.list()] == ["Gamma"]
    assert "2 trackers deleted." in lead.get("/trackers/").content.decode()


def test_groups_are_deleted_the_same_way(role_client, groups, api):
    response = _post(
        role_client("admin"), "groups", "delete", [g.id for g in groups], confirmed="1"
    )
    assert response.status_code == 302
    assert _records("delete").filter(object_type="group").count() == 2
    assert api.groups.list() == []


def test_the_list_it_returns_to_keeps_the_search(role_client, trio):
    response = _post(
        role_client("lead"), "trackers", "delete", [trio[0].id], confirmed="1", back="?q=a"
    )
    assert response["Location"] == "/trackers/?q=a"


# ---------------------------------------------------------------- categories


def test_add_category_writes_one_audit_entry_per_changed_object(role_client, trio, api):
    alpha, _, gamma = trio
    response = _post(
        role_client("analyst"), "trackers", "add_category", [alpha.id, gamma.id], category="sales"
    )
    assert response.status_code == 302
    assert api.trackers.get(alpha.id).categories == ("sales",)
    # Gamma had it already: nothing written for it.
    assert list(_records("update").values_list("object_name", flat=True)) == ["Alpha"]


def test_remove_category(role_client, trio, api):
    gamma = trio[2]
    response = _post(
        role_client("analyst"), "trackers", "remove_category", [gamma.id], category="sales"
    )
    assert response.status_code == 302
    assert api.trackers.get(gamma.id).categories == ()
    assert _records("update").get().object_id == gamma.id


def test_a_category_action_needs_a_category(role_client, trio):
    response = _post(role_client("analyst"), "trackers", "add_category", [trio[0].id])
    assert response.status_code == 400
    assert "Type the category to add or remove." in response.content.decode()


def test_a_partial_failure_names_the_rows_and_keeps_the_selection(role_client, trio, api):
    ids = [t.id for t in trio]
    response = _post(role_client("analyst"), "trackers", "add_category", ids, category="new")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Not done for 1 of the selected trackers:" in page
    assert "<li>“Beta”: the Management API refused it:" in page
    assert "Category “new” added to 2 trackers." in page
    assert _ticked(page) == set(ids)
    assert len(api.trackers.get(trio[1].id).categories) == 20
    assert _records("update").count() == 3  # the refused write is on record too, as failed
    assert _outcome(_records("update").get(object_name="Beta")) == "failed"


def test_a_kept_row_is_not_shown_ticked_after_a_selection_was(role_client, trio):
    analyst = role_client("analyst")
    analyst.get("/trackers/")  # every row kept unticked
    ids = [t.id for t in trio]
    page = _post(analyst, "trackers", "add_category", ids, category="new").content.decode()
    assert _ticked(page) == set(ids)
    assert _ticked(analyst.get("/trackers/").content.decode()) == set()


def test_groups_refuse_a_category_action(role_client, groups):
    response = _post(role_client("lead"), "groups", "add_category", [groups[0].id], category="x")
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


# ---------------------------------------------------------------- bounds and bad input


def test_more_ids_than_a_page_holds_are_refused_with_a_clear_error(role_client, trio):
    ids = [str(n) for n in range(101)]
    response = _post(role_client("lead"), "trackers", "delete", ids, confirmed="1")
    assert response.status_code == 400
    assert "At most 100 rows at a time: 101 were sent." in response.content.decode()
    assert not _records("delete").exists()


def test_no_selection_is_a_clear_error(role_client, trio):
    response = _post(role_client("lead"), "trackers", "delete", [])
    assert response.status_code == 400
    assert "Select at least one row, then choose Apply." in response.content.decode()


def test_an_id_that_is_not_an_id_is_refused(role_client, trio):
    response = _post(role_client("lead"), "trackers", "export_csv", ["../x"])
    assert response.status_code == 400
    assert "not valid ids" in response.content.decode()


# ---------------------------------------------------------------- exports


def test_export_csv_holds_only_the_selection(role_client, trio):
    response = _post(role_client("auditor"), "trackers", "export_csv", [trio[2].id, trio[0].id])
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    name = rows[0].index("name")
    assert {row[name] for row in rows[1:]} == {"Alpha", "Gamma"}
    assert {row[0] for row in rows[1:]} == {f"#{trio[0].id}", f"#{trio[2].id}"}  # marked ids


def test_export_json_holds_only_the_selection(role_client, groups):
    response = _post(role_client("auditor"), "groups", "export_json", [groups[1].id])
    assert response.status_code == 200
    body = json.loads(b"".join(getattr(response, "streaming_content", [response.content])))
    assert [g["name"] for g in body] == ["Group two"]


# ---------------------------------------------------------------- failures on the way


def test_an_object_changed_meanwhile_is_named_and_not_overwritten(
    role_client, trio, api, monkeypatch
):
    """Someone else renames Alpha between the bulk action's read and its write."""
    alpha = trio[0]
    real_get = type(api.trackers).get

    def read_then_someone_edits(self, object_id):
        found = real_get(self, object_id)
        if object_id == alpha.id and found.name == "Alpha":
            api.trackers.update(alpha.id, name="Alpha 2", vocabulary=PHRASES)
        return found

    monkeypatch.setattr(type(api.trackers), "get", read_then_someone_edits)
    ids = [alpha.id, trio[2].id]
    page = _post(
        role_client("analyst"), "trackers", "add_category", ids, category="vip"
    ).content.decode()
    assert "<li>“Alpha”: it was changed by someone else meanwhile; try again.</li>" in page
    assert _ticked(page) == set(ids)
    assert api.trackers.get(alpha.id).categories == ()
    assert api.trackers.get(trio[2].id).categories == ("sales", "vip")


def test_a_delete_refused_for_one_row_names_it_and_keeps_the_selection(
    role_client, trio, api, monkeypatch
):
    from symbl_admin.management_api.errors import Unavailable

    beta = trio[1]
    real_delete = type(api.trackers).delete

    def refuse_beta(self, object_id):
        if object_id == beta.id:
            raise Unavailable("The Management API is not answering.")
        return real_delete(self, object_id)

    monkeypatch.setattr(type(api.trackers), "delete", refuse_beta)
    ids = [t.id for t in trio]
    page = _post(role_client("lead"), "trackers", "delete", ids, confirmed="1").content.decode()
    assert "2 trackers deleted. Not done for 1 of the selected trackers:" in page
    assert "<li>“Beta”: The Management API is not answering.</li>" in page
    assert _ticked(page) == {beta.id}  # the only selected row still there, still ticked
    assert [t.name for t in api.trackers.list()] == ["Beta"]
    assert _records("delete").count() == 3  # Beta's try is on record, not as a success
    assert _outcome(_records("delete").get(object_name="Beta")) in ("failed", "unknown")


@pytest.fixture(scope="module")
def standalone_url(tmp_path_factory):
    from tests.support.standalone import standalone_server

    with standalone_server(tmp_path_factory.mktemp("bulk") / "api.sqlite3") as url:
        yield url


def test_a_partial_failure_over_real_http(role_client, settings, standalone_url):
    """The same refusal, the API answering over HTTP from its own process."""
    from symbl_admin.management_api import get_client

    settings.SYMBL_API_BASE_URL = standalone_url
    client = get_client()
    made = [
        client.trackers.create(name="One", vocabulary=PHRASES, categories=CATEGORIES_FULL),
        client.trackers.create(name="Two", vocabulary=PHRASES),
    ]
    try:
        ids = [t.id for t in made]
        response = _post(role_client("analyst"), "trackers", "add_category", ids, category="x")
        page = response.content.decode()
        assert "<li>“One”: the Management API refused it:" in page
        assert _ticked(page) == set(ids)
        assert client.trackers.get(made[1].id).categories == ("x",)
    finally:
        for t in made:
            client.trackers.delete(t.id)


def test_a_list_that_cannot_be_read_after_a_refusal_offers_to_read_the_list_again(
    role_client, api, monkeypatch
):
    from symbl_admin.management_api.errors import Unavailable

    def down(*a, **k):
        raise Unavailable("connection refused")

    monkeypatch.setattr(type(api.trackers), "list", down)
    response = _post(role_client("lead"), "trackers", "delete", [], back="?q=a")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select at least one row, then choose Apply." not in page  # no table to act on
    assert '<a class="btn btn-secondary" href="/trackers/?q=a">Try again</a>' in page
