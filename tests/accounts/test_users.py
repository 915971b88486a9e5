"""The Users screens (accounts/user_views.py) over the Django test client: admins only (403
for every other role, audited), each change audited without the password, sessions ended,
the last active admin kept, typed values kept on error, CSRF on every write."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-horse-battery-9"
User = get_user_model()


def account_entries(**filters):
    return list(AuditEntry.objects.filter(object_type="user", **filters))


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def still_signed_in(c: Client) -> bool:
    return c.get("/").status_code == 200


@pytest.fixture
def admin(role_client):
    return role_client("admin")


@pytest.fixture
def ana(make_user):
    return make_user("ana", "Analyst", email="ana@example.com", first_name="Ana")


@pytest.mark.parametrize("role", ["analyst", "lead", "auditor"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", ["/users/", "/users/new/", "role/", "active/", "password/"])
def test_other_roles_are_refused_and_the_refusal_audited(role_client, ana, role, method, path):
    url = path if path.startswith("/") else f"/users/{ana.pk}/{path}"
    if path == "/users/" and method == "post":
        pytest.skip("the list is read-only: 405 for everyone")
    response = getattr(role_client(role), method)(url, {"role": "Admin"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(
        action="permission_denied", object_name="accounts.manage_users"
    ).exists()
    ana.refresh_from_db()
    assert [g.name for g in ana.groups.all()] == ["Analyst"]


def test_list_shows_role_status_and_last_sign_in(admin, ana):
    page = admin.get("/users/").content.decode()
    assert "ana" in page and "Ana" in page and "Analyst" in page
    assert "Never" in page  # ana has not signed in
    assert "admin-user" in page and "Admin" in page


def test_list_search_and_its_empty_state(admin, ana):
    found = admin.get("/users/", {"q": "ANA@"}).content.decode()
    assert "ana@example.com" in found
    assert 'data-label="Username"><strong>admin-user' not in found
    none = admin.get("/users/", {"q": "nobody-like-this"}).content.decode()
    assert "No user matches your search" in none


def test_create_user_with_role_is_audited_without_the_password(admin):
    response = admin.post(
        "/users/new/",
        {
            "username": "newbie",
            "email": "n@example.com",
            "role": "Auditor",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.check_password(PASSWORD)
    assert [g.name for g in user.groups.all()] == ["Auditor"]
    [entry] = account_entries(action="account_create")
    assert entry.actor_username == "admin-user"
    assert entry.after["roles"] == ["Auditor"]
    text = json.dumps([entry.before, entry.after])
    assert PASSWORD not in text and user.password not in text


def test_create_refuses_a_weak_password_and_keeps_what_was_typed(admin):
    response = admin.post(
        "/users/new/",
        {
            "username": "newbie",
            "email": "n@example.com",
            "role": "Team lead",
            "password1": "password",
            "password2": "password",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This password is too common" in page
    assert 'value="newbie"' in page and 'value="n@example.com"' in page
    assert '<option value="Team lead" selected>' in page
    assert not User.objects.filter(username="newbie").exists()
    assert account_entries() == []


def test_create_refuses_a_taken_username_whatever_its_case(admin, ana):
    response = admin.post(
        "/users/new/",
        {"username": "ANA", "role": "Analyst", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "already exists" in response.content.decode()


def test_change_role_ends_their_sessions_and_is_audited(admin, ana):
    theirs = signed_in(ana)
    assert still_signed_in(theirs)
    response = admin.post(f"/users/{ana.pk}/role/", {"role": "Team lead"})
    assert response.status_code == 302
    assert [g.name for g in ana.groups.all()] == ["Team lead"]
    assert not still_signed_in(theirs)
    [entry] = account_entries(action="account_update")
    assert entry.before["roles"] == ["Analyst"] and entry.after["roles"] == ["Team lead"]


def test_deactivate_asks_first_naming_the_user(admin, ana):
    page = admin.get(f"/users/{ana.pk}/active/").content.decode()
    assert "Deactivate ana?" in page
    assert "Deactivate ana</button>" in page
    ana.refresh_from_db()
    assert ana.is_active


def test_deactivate_ends_sessions_and_reactivate_restores(admin, ana):
    theirs = signed_in(ana)
    admin.post(f"/users/{ana.pk}/active/", {"active": "0"})
    ana.refresh_from_db()
    assert not ana.is_active
    assert not Session.objects.filter(session_key=theirs.session.session_key).exists()
    assert not still_signed_in(theirs)
    admin.post(f"/users/{ana.pk}/active/", {"active": "1"})
    ana.refresh_from_db()
    assert ana.is_active
    actions = [(e.before["active"], e.after["active"]) for e in account_entries()]
    assert actions == [(False, True), (True, False)]


def test_two_deactivations_at_once_leave_the_user_deactivated(admin, ana):
    """The form posts the state asked for: the second admin's (or a resent) Deactivate of the
    same user does not turn it into a Reactivate."""
    first = admin.post(f"/users/{ana.pk}/active/", {"active": "0"}, follow=True)
    second = admin.post(f"/users/{ana.pk}/active/", {"active": "0"}, follow=True)
    ana.refresh_from_db()
    assert not ana.is_active
    assert "Deactivated ana" in first.content.decode()
    assert "ana was already deactivated; nothing changed." in second.content.decode()
    assert len(account_entries()) == 1


def test_an_active_state_not_asked_for_is_refused(admin, ana):
    response = admin.post(f"/users/{ana.pk}/active/", {"active": "maybe"})
    assert response.status_code == 200
    assert "Choose Deactivate or Reactivate" in response.content.decode()
    ana.refresh_from_db()
    assert ana.is_active


def test_last_admin_cannot_be_deactivated(admin):
    me = User.objects.get(username="admin-user")
    response = admin.post(f"/users/{me.pk}/active/", {"active": "0"})
    assert response.status_code == 200
    assert "last active admin" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active
    assert account_entries() == []


def test_last_admin_cannot_be_demoted_and_the_form_keeps_the_choice(admin):
    me = User.objects.get(username="admin-user")
    response = admin.post(f"/users/{me.pk}/role/", {"role": "Auditor"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "last active admin" in page
    assert '<option value="Auditor" selected>' in page
    me.refresh_from_db()
    assert me.is_superuser and me.groups.filter(name="Admin").exists()


def test_an_admin_may_be_demoted_while_another_remains(admin, make_user):
    other = make_user("second-admin", "Admin")
    response = admin.post(f"/users/{other.pk}/role/", {"role": "Analyst"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert not other.is_staff and [g.name for g in other.groups.all()] == ["Analyst"]


def test_reset_password_ends_sessions_and_records_only_that_it_was_set(admin, ana):
    theirs = signed_in(ana)
    response = admin.post(
        f"/users/{ana.pk}/password/", {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)
    assert not still_signed_in(theirs)
    [entry] = account_entries(action="password_set")
    assert entry.after == {"credentials": "set by admin-user"}
    assert PASSWORD not in json.dumps(entry.after) and ana.password not in json.dumps(entry.after)


def test_reset_password_refuses_mismatch(admin, ana):
    response = admin.post(
        f"/users/{ana.pk}/password/", {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"}
    )
    assert response.status_code == 200
    assert "didn" in response.content.decode()  # Django's "The two password fields didn’t match."


def test_unknown_user_is_404(admin):
    assert admin.get("/users/999999/role/").status_code == 404


@pytest.mark.parametrize("path", ["/users/new/", "role/", "active/", "password/"])
def test_every_write_needs_the_csrf_token(make_user, ana, path):
    boss = make_user("boss", "Admin", is_staff=True)
    c = Client(enforce_csrf_checks=True)
    c.force_login(boss)
    url = path if path.startswith("/") else f"/users/{ana.pk}/{path}"
    assert c.post(url, {"role": "Auditor"}).status_code == 403
    ana.refresh_from_db()
    assert ana.is_active and [g.name for g in ana.groups.all()] == ["Analyst"]


def test_names_are_escaped(admin, make_user):
    make_user("x<b>y", "Analyst", first_name="<script>alert(1)</script>")
    page = admin.get("/users/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_no_role_is_preselected_for_a_user_without_one(admin, make_user):
    bare = make_user("bare")
    page = admin.get(f"/users/{bare.pk}/role/").content.decode()
    assert '<option value="">Choose a role</option>' in page  # first: what the browser shows
    assert '<option value="Admin" selected' not in page and " selected>" not in page
    response = admin.post(f"/users/{bare.pk}/role/", {"role": ""})
    assert response.status_code == 200
    assert not bare.groups.exists()


def test_the_same_role_again_changes_nothing_and_keeps_their_sessions(admin, ana):
    theirs = signed_in(ana)
    response = admin.post(f"/users/{ana.pk}/role/", {"role": "Analyst"})
    assert response.status_code == 302
    assert still_signed_in(theirs)
    assert account_entries() == []
