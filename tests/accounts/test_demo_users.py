import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.roles import role_of


@pytest.mark.django_db
def test_demo_users_created_once_with_roles(monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    call_command("create_demo_users")
    call_command("create_demo_users")
    users = get_user_model().objects.order_by("username")
    assert [u.username for u in users] == ["admin", "analyst", "auditor", "lead"]
    roles = {u.username: role_of(u) for u in users}
    assert roles == {
        "admin": "Admin",
        "analyst": "Analyst",
        "auditor": "Auditor",
        "lead": "Team lead",
    }
    assert users.get(username="admin").is_staff
    assert users.get(username="lead").check_password("demo-pass-for-tests")


@pytest.mark.django_db
def test_generated_password_is_printed_once(monkeypatch, capsys):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("create_demo_users")
    first = capsys.readouterr().out
    call_command("create_demo_users")
    second = capsys.readouterr().out
    password = first.strip().rsplit(" ", 1)[-1]
    assert get_user_model().objects.get(username="analyst").check_password(password)
    assert password not in second
