"""Django's ModelBackend, reading the signed-in user with the public ORM (Manager.raw): a session whose user
id is malformed (tampered with, or from another user model) signs nobody in instead of raising,
and an inactive user is refused, as ModelBackend refuses one. No compiled query is kept: a
Django upgrade must not break sign-in."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, router


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        """The active user with this primary key, or None (no such user, a malformed id, an
        inactive user)."""
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = next(iter(model._default_manager.raw(_user_sql(model), [pk])), None)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """ModelBackend's answer, asked with the user's roles in one query (its own asks twice:
        the user's permissions, then their roles'); every page asks it once, for the check,
        the navigation and the role its layout names."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return access(user_obj)[1]


def _user_sql(model) -> str:
    """One row of the user table by primary key, for Manager.raw: every page reads it, and
    a plain `.get(pk=…)` spends most of its time building the query (≈ 0.5 ms a page).
    Names come from the model's meta, quoted; the id is a parameter."""
    quote = connections[router.db_for_read(model)].ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    return f"SELECT * FROM {table} WHERE {pk} = %s"  # noqa: S608


def access(user) -> tuple[frozenset[str], set[str]]:
    """(names of the user's roles, "app_label.codename" of each permission they hold), read
    once per request object: one SQL statement for both (a superuser holds every permission)."""
    kept = getattr(user, "_symbl_access", None)
    if kept is None:
        roles, perms = _read_access(user)
        if user.is_superuser:
            perms = {
                f"{app}.{codename}"
                for app, codename in Permission.objects.values_list(
                    "content_type__app_label", "codename"
                )
            }
        kept = user._symbl_access = (frozenset(roles), perms)
    return kept


def _read_access(user) -> tuple[list[str], set[str]]:
    model = get_user_model()  # request.user may be a lazy object: never type(user)
    groups_through = model._meta.get_field("groups").remote_field.through
    perms_through = model._meta.get_field("user_permissions").remote_field.through
    group_perms = Group._meta.get_field("permissions").remote_field.through
    t = {
        "group": Group._meta.db_table,
        "ug": groups_through._meta.db_table,
        "up": perms_through._meta.db_table,
        "gp": group_perms._meta.db_table,
        "perm": Permission._meta.db_table,
        "ct": ContentType._meta.db_table,
    }
    # Names from the models' own meta, never from input; the user's id is a parameter.
    sql = (
        f"SELECT 'r', g.name, '' FROM {t['group']} g INNER JOIN {t['ug']} ug"  # noqa: S608
        f" ON ug.group_id = g.id WHERE ug.user_id = %s"
        f" UNION ALL SELECT 'p', ct.app_label, p.codename FROM {t['perm']} p"
        f" INNER JOIN {t['ct']} ct ON ct.id = p.content_type_id"
        f" WHERE p.id IN (SELECT permission_id FROM {t['up']} WHERE user_id = %s)"
        f" OR p.id IN (SELECT gp.permission_id FROM {t['gp']} gp INNER JOIN {t['ug']} ug"
        f" ON ug.group_id = gp.group_id WHERE ug.user_id = %s)"
    )
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, [user.pk] * 3)
        rows = cursor.fetchall()
    roles = [name for kind, name, _ in rows if kind == "r"]
    return roles, {f"{app}.{codename}" for kind, app, codename in rows if kind == "p"}
