"""Django's ModelBackend, reading the signed-in user with the public ORM: a session whose user
id is malformed (tampered with, or from another user model) signs nobody in instead of raising,
and an inactive user is refused, as ModelBackend refuses one. No compiled query is kept: a
Django upgrade must not break sign-in."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Q


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        """The active user with this primary key, or None (no such user, a malformed id, an
        inactive user)."""
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        try:
            user = model._default_manager.get(pk=pk)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """ModelBackend's answer in one query (its own asks twice: the user's permissions,
        then their roles'); every page asks it once, for the check and the navigation."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = perms.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
