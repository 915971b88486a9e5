"""Account changes in the audit log (audit/account_trail.py): one entry per change, whatever
made it (a recorded block, Django's admin, manage.py), never a password or its hash."""

from __future__ import annotations

import json
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission, update_last_login
from django.core.management import call_command

from audit.account_trail import recording
from audit.context import AuditContext
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-horse-battery-9"


def account_entries(**filters):
    return list(AuditEntry.objects.filter(object_type__in=["user", "role"], **filters))


def as_text(entry: AuditEntry) -> str:
    return json.dumps([entry.before, entry.after, entry.reason, entry.object_name])


@pytest.fixture
def system_changes(settings):
    """What production does: changes outside a screen are recorded too (by "system")."""
    settings.AUDIT_SYSTEM_ACCOUNT_CHANGES = True


@pytest.fixture
def admin_ctx(make_user):
    boss = make_user("boss", "Admin")
    return AuditContext.from_request(type("R", (), {"user": boss, "META": {}})())


def test_a_user_created_with_a_role_in_one_block_is_one_entry(admin_ctx):
    with recording(admin_ctx):
        user = get_user_model().objects.create_user("newbie", password=PASSWORD)
        user.groups.add(Group.objects.get(name="Analyst"))
    [entry] = account_entries()
    assert entry.action == "account_create"
    assert entry.actor_username == "boss"
    assert entry.object_name == "newbie"
    assert entry.after["roles"] == ["Analyst"]
    assert entry.after["active"] is True
    assert entry.after["credentials"] == "set"


def test_a_password_or_its_hash_is_never_in_an_entry(admin_ctx):
    with recording(admin_ctx):
        user = get_user_model().objects.create_user("newbie", password=PASSWORD)
    with recording(admin_ctx):
        user.set_password(PASSWORD + "x")
        user.save()
    entries = account_entries()
    assert [e.action for e in entries] == ["password_set", "account_create"]
    assert entries[0].after == {"credentials": "set by boss"}
    user.refresh_from_db()
    for entry in entries:
        assert PASSWORD not in as_text(entry)
        assert user.password not in as_text(entry)
        assert "md5$" not in as_text(entry)


def test_roles_and_direct_permissions_are_recorded_before_and_after(admin_ctx, make_user):
    user = make_user("ana", "Analyst")
    perm = Permission.objects.get(codename="view_audit")
    with recording(admin_ctx):
        user.groups.set([Group.objects.get(name="Team lead")])
        user.user_permissions.add(perm)
    [entry] = account_entries()
    assert entry.action == "account_update"
    assert entry.before["roles"] == ["Analyst"] and entry.after["roles"] == ["Team lead"]
    assert entry.before["permissions"] == []
    assert entry.after["permissions"] == ["accounts.view_audit"]


def test_a_role_losing_a_permission_is_recorded(admin_ctx):
    role = Group.objects.get(name="Auditor")
    with recording(admin_ctx):
        role.permissions.remove(Permission.objects.get(codename="export_audit"))
    [entry] = account_entries(object_type="role")
    assert entry.object_name == "Auditor"
    assert "accounts.export_audit" in entry.before["permissions"]
    assert "accounts.export_audit" not in entry.after["permissions"]


def test_nothing_changed_records_nothing(admin_ctx, make_user):
    user = make_user("ana", "Analyst")
    with recording(admin_ctx):
        user.save()
    assert account_entries() == []


def test_a_sign_in_stamp_is_not_a_change(system_changes, make_user):
    user = make_user("ana", "Analyst")
    before = len(account_entries())
    update_last_login(None, user)
    assert len(account_entries()) == before


def test_createsuperuser_is_recorded_by_system(system_changes, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    monkeypatch.setattr(sys, "argv", ["manage.py", "createsuperuser"])
    call_command("createsuperuser", interactive=False, username="root", email="r@example.com")
    [entry] = account_entries()
    assert entry.action == "account_create"
    assert entry.actor_username == "system"
    assert entry.reason == "manage.py createsuperuser"
    assert entry.after["superuser"] is True
    assert PASSWORD not in as_text(entry)


def test_changepassword_is_recorded_by_system(system_changes, make_user, monkeypatch):
    from django.contrib.auth.management.commands import changepassword

    make_user("ana", "Analyst")
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": PASSWORD)
    monkeypatch.setattr(sys, "argv", ["manage.py", "changepassword"])
    call_command("changepassword", "ana")
    [entry] = account_entries(action="password_set")
    assert entry.actor_username == "system"
    assert entry.after == {"credentials": "set by system"}
    assert PASSWORD not in as_text(entry)


def test_admin_user_form_is_one_entry_by_the_admin(role_client, make_user):
    user = make_user("ana", "Analyst")
    admin = role_client("admin")
    lead = Group.objects.get(name="Team lead")
    response = admin.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": "ana",
            "first_name": "Ana",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "groups": [str(lead.pk)],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-12-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    [entry] = account_entries(object_id=str(user.pk))
    assert entry.actor_username == "admin-user"
    assert entry.before["roles"] == ["Analyst"] and entry.after["roles"] == ["Team lead"]


def test_admin_password_form_is_recorded_without_the_password(role_client, make_user):
    user = make_user("ana", "Analyst")
    response = role_client("admin").post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    [entry] = account_entries(action="password_set")
    assert entry.after == {"credentials": "set by admin-user"}
    assert PASSWORD not in as_text(entry)


def test_admin_never_offers_audit_log_permissions(role_client):
    page = role_client("admin").get("/admin/accounts/role/add/").content.decode()
    assert "Can view trackers" in page
    assert "audit entry" not in page.lower()
    user_page = role_client("admin").get("/admin/auth/user/add/")
    assert user_page.status_code == 200


def test_admin_refuses_a_forged_audit_log_permission(role_client):
    change_entry = Permission.objects.get(
        content_type__app_label="audit", codename="change_auditentry"
    )
    response = role_client("admin").post(
        "/admin/accounts/role/add/", {"name": "Forger", "permissions": [str(change_entry.pk)]}
    )
    assert response.status_code == 200  # the form again, with its error
    assert not Group.objects.filter(name="Forger").exists()


def test_admin_calls_roles_roles(role_client):
    page = role_client("admin").get("/admin/").content.decode()
    assert "Roles" in page
    assert ">Groups<" not in page


def test_own_password_change_is_recorded_by_the_user(client, make_user):
    user = make_user("ana", "Analyst")
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": "pw-for-tests-1", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302
    [entry] = account_entries(action="password_set")
    assert entry.actor_username == "ana"
    assert entry.after == {"credentials": "changed by the user"}


def test_audit_log_filters_account_entries(role_client, admin_ctx, make_user):
    with recording(admin_ctx):
        get_user_model().objects.create_user("newbie", password=PASSWORD)
    auditor = role_client("auditor")
    users_only = auditor.get("/audit/", {"object_type": "user"}).content.decode()
    assert "newbie" in users_only
    assert "Account: created" in users_only
    roles_only = auditor.get("/audit/", {"object_type": "role"}).content.decode()
    assert "newbie" not in roles_only
    assert 'value="user"' in users_only and "User account" in users_only


def test_demo_users_are_one_entry_each(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("create_demo_users")
    entries = account_entries()
    assert sorted(e.object_name for e in entries) == ["admin", "analyst", "auditor", "lead"]
    assert {e.action for e in entries} == {"account_create"}
    assert all(e.actor_username == "system" for e in entries)
    admin = next(e for e in entries if e.object_name == "admin")
    assert admin.after["superuser"] is True and admin.after["roles"] == ["Admin"]


def test_an_account_entry_opens_with_its_changes(role_client, admin_ctx, make_user):
    user = make_user("ana", "Analyst")
    with recording(admin_ctx):
        user.groups.set([Group.objects.get(name="Auditor")])
    [entry] = account_entries()
    page = role_client("auditor").get(f"/audit/{entry.seq}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "User account" in text and "Account: changed" in text
    assert "Analyst" in text and "Auditor" in text
