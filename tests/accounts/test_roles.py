import pytest
from django.contrib.auth.models import Group

from accounts.roles import ROLE_PERMISSIONS, role_of


@pytest.mark.django_db
def test_migration_creates_the_four_roles_with_their_permissions():
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        assert set(group.permissions.values_list("codename", flat=True)) == set(codenames)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("Analyst", ["add_trackers", "change_groups"], ["delete_trackers", "view_audit"]),
        ("Team lead", ["delete_trackers", "import_groups", "revert_trackers"], ["export_audit"]),
        ("Auditor", ["view_audit", "export_audit", "view_trackers"], ["add_trackers"]),
        ("Admin", ["delete_groups", "export_audit"], []),
    ],
)
def test_role_permissions(make_user, role, allowed, refused):
    user = make_user(f"u-{role}", role)
    for codename in allowed:
        assert user.has_perm(f"accounts.{codename}"), codename
    for codename in refused:
        assert not user.has_perm(f"accounts.{codename}"), codename


@pytest.mark.django_db
def test_role_of_shows_strongest_role(make_user):
    user = make_user("both", "Analyst")
    user.groups.add(Group.objects.get(name="Team lead"))
    assert role_of(user) == "Team lead"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "visible", "hidden"),
    [
        (
            "analyst",
            [b'href="/trackers/"', b'href="/groups/"'],
            [b'href="/audit/"', b"Users and roles", b'href="/users/"'],
        ),
        (
            "lead",
            [b'href="/trackers/"', b'href="/audit/"'],
            [b"Users and roles", b'href="/users/"'],
        ),
        (
            "auditor",
            [b'href="/audit/"', b'href="/trackers/"'],
            [b"Users and roles", b'href="/users/"'],
        ),
        ("admin", [b'href="/audit/"', b"Users and roles", b'href="/users/">Users</a>'], []),
    ],
)
def test_navigation_fits_the_role(role_client, key, visible, hidden):
    page = role_client(key).get("/").content
    for needle in visible:
        assert needle in page, needle
    for needle in hidden:
        assert needle not in page, needle
