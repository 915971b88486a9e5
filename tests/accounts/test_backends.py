"""accounts.backends: the signed-in user read through a query built once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from symbl_admin.accounts.backends import ModelBackend, user_by_pk

pytestmark = pytest.mark.django_db


def test_the_user_read_is_the_one_the_orm_reads(make_user):
    made = make_user("reader", "Analyst")
    found, orm = user_by_pk(made.pk), get_user_model().objects.get(pk=made.pk)
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(orm, field.attname), field.name
    assert found.groups.filter(name="Analyst").exists()  # a model instance like any other
    assert user_by_pk(made.pk + 1000) is None
    assert user_by_pk("not a number") is None


def test_an_inactive_user_is_not_signed_in(make_user):
    made = make_user("gone", "Analyst")
    assert ModelBackend().get_user(made.pk) == made
    made.is_active = False
    made.save()
    assert ModelBackend().get_user(made.pk) is None  # read afresh on every request
