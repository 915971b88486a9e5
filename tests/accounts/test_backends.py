"""accounts.backends: the signed-in user, read with the public ORM, ModelBackend's rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from accounts import backends
from accounts.backends import ModelBackend

pytestmark = pytest.mark.django_db

# Names of the ORM's internals (the SQL compiler and the Query behind a QuerySet): none is
# documented, any may change in a Django release.
PRIVATE_ORM = {"results_iter", "get_compiler", "as_sql", "sql_with_params", "query", "execute_sql"}


def test_the_signed_in_user_is_the_one_the_orm_reads(make_user):
    made = make_user("reader", "Analyst")
    found, orm = ModelBackend().get_user(made.pk), get_user_model().objects.get(pk=made.pk)
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(orm, field.attname), field.name
    assert found.groups.filter(name="Analyst").exists()  # a model instance like any other


def test_no_such_user_signs_nobody_in(make_user):
    made = make_user("here", "Analyst")
    assert ModelBackend().get_user(made.pk + 1000) is None


@pytest.mark.parametrize("user_id", ["not a number", "1.5", "", None, [1]])
def test_a_malformed_id_signs_nobody_in(user_id):
    assert ModelBackend().get_user(user_id) is None


def test_an_inactive_user_is_not_signed_in(make_user):
    made = make_user("gone", "Analyst")
    assert ModelBackend().get_user(made.pk) == made
    made.is_active = False
    made.save()
    assert ModelBackend().get_user(made.pk) is None  # read afresh on every request


def test_the_backend_names_no_private_orm_api():
    tree = ast.parse(Path(backends.__file__).read_text())
    named = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not named & PRIVATE_ORM


@pytest.mark.django_db
def test_all_permissions_are_modelbackends_in_one_query(make_user, django_assert_num_queries):
    from django.contrib.auth.backends import ModelBackend as DjangosBackend
    from django.contrib.auth.models import Permission

    from accounts.backends import ModelBackend
    from accounts.roles import role_of

    user = make_user("lee", "Team lead")
    user.user_permissions.add(Permission.objects.get(codename="view_audit"))
    expected = DjangosBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        found = ModelBackend().get_all_permissions(fresh)
        assert ModelBackend().get_all_permissions(fresh) == found  # asked once per request
        assert role_of(fresh) == "Team lead"  # the role comes with the permissions
    assert found == expected and "accounts.view_audit" in found
    admin = make_user("root", is_superuser=True)
    assert ModelBackend().get_all_permissions(admin) == {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.all()
    }


@pytest.mark.django_db
def test_a_role_changed_shows_on_the_next_request(make_user):
    """The roles and permissions are read once per request's user object, never kept longer."""
    from django.contrib.auth.models import Group

    from accounts.backends import ModelBackend
    from accounts.roles import role_of

    user = make_user("ana", "Analyst")
    assert role_of(user) == "Analyst"
    user.groups.set([Group.objects.get(name="Auditor")])
    fresh = type(user).objects.get(pk=user.pk)  # the next request loads the user again
    assert role_of(fresh) == "Auditor"
    assert "accounts.export_audit" in ModelBackend().get_all_permissions(fresh)
    assert "accounts.add_trackers" not in ModelBackend().get_all_permissions(fresh)
