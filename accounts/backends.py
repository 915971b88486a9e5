"""Django's ModelBackend, reading the signed-in user with the public ORM: a session whose user
id is malformed (tampered with, or from another user model) signs nobody in instead of raising,
and an inactive user is refused, as ModelBackend refuses one. No compiled query is kept: a
Django upgrade must not break sign-in."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError


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
