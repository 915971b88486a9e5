"""Audit layer: every change to a user or a role is one audit entry, whatever made it.

Users and roles live in our own database and change through several doors: the dashboard's
Users screens (accounts/users.py), Django's admin, `manage.py createsuperuser` and
`changepassword`, a shell. So the record is taken from the models' signals (pre/post save and
delete of User and Group, and m2m_changed of a user's roles and permissions and a role's
permissions), not from each door:

- inside `recording(ctx)` (our screens, the admin site, the password page) the signals only
  note which users and roles were touched and how each was before; when the block ends, one
  entry per object compares that with how it is now (a form that saves a user, then their
  roles, then their permissions is one change, one entry), in the caller's transaction;
- anywhere else each save or m2m change is its own entry, by "system" (with the manage.py
  command's name as the reason when there is one).

What an entry holds: username, active, superuser, staff, roles and direct permissions (a
role: name and permissions). Never a password or its hash: a password set is "credentials:
set", and who did it is the entry's actor.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .context import AuditContext
from .models import Action, ObjectType
from .services import record_account_change

logger = logging.getLogger(__name__)

SYSTEM = "system"
USER, ROLE = ObjectType.USER.value, ObjectType.ROLE.value
_ATTR = "_symbl_account_trail"  # a signal's own recorder, from its pre_ to its post_ signal


def _perm_names(perms) -> list[str]:
    rows = perms.values_list("content_type__app_label", "codename")
    return sorted(f"{app}.{codename}" for app, codename in rows)


def user_state(pk) -> dict | None:
    """What an entry shows of a user (None: no such user)."""
    user = get_user_model()._default_manager.filter(pk=pk).first()
    if user is None:
        return None
    return {
        "username": user.get_username(),
        "active": user.is_active,
        "superuser": user.is_superuser,
        "staff": user.is_staff,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "permissions": _perm_names(user.user_permissions.all()),
    }


def role_state(pk) -> dict | None:
    """What an entry shows of a role (None: no such role)."""
    role = Group.objects.filter(pk=pk).first()
    if role is None:
        return None
    return {"name": role.name, "permissions": _perm_names(role.permissions.all())}


_STATE = {USER: user_state, ROLE: role_state}


@dataclass
class _Touched:
    before: dict | None
    password: bool = False


@dataclass
class Recorder:
    """The users and roles one change touched, each with its state before it."""

    ctx: AuditContext
    touched: dict[tuple[str, str], _Touched] = field(default_factory=dict)

    def touch(self, kind: str, pk, *, new: bool = False) -> _Touched:
        key = (kind, str(pk))
        if key not in self.touched:
            self.touched[key] = _Touched(None if new else _STATE[kind](pk))
        return self.touched[key]

    def flush(self) -> None:
        """One entry per touched object that changed; then start again."""
        touched, self.touched = self.touched, {}
        for (kind, pk), seen in touched.items():
            after = _STATE[kind](pk)
            entry = _entry(self.ctx, kind, pk, seen, after)
            if entry:
                record_account_change(ctx=self.ctx, object_type=kind, object_id=pk, **entry)


def _credentials(ctx: AuditContext, pk: str) -> str:
    actor = ctx.actor
    if actor is not None and str(actor.pk) == pk:
        return "changed by the user"
    return f"set by {ctx.username or SYSTEM}"


def _entry(ctx: AuditContext, kind: str, pk: str, seen: _Touched, after: dict | None):
    before = seen.before
    name = (after or before or {}).get("username" if kind == USER else "name", "")
    if before is None and after is None:
        return None  # created and removed within one change
    if before is None:
        if kind == USER:
            user = get_user_model()._default_manager.get(pk=pk)
            after = {**after, "credentials": "set" if user.has_usable_password() else "none"}
        return {
            "action": Action.ACCOUNT_CREATE,
            "object_name": name,
            "before": None,
            "after": after,
        }
    if after is None:
        return {
            "action": Action.ACCOUNT_DELETE,
            "object_name": name,
            "before": before,
            "after": None,
        }
    if before != after:
        if seen.password:
            before = {**before, "credentials": "kept"}
            after = {**after, "credentials": _credentials(ctx, pk)}
        return {
            "action": Action.ACCOUNT_UPDATE,
            "object_name": name,
            "before": before,
            "after": after,
        }
    if seen.password:
        done = {"credentials": _credentials(ctx, pk)}
        return {"action": Action.PASSWORD_SET, "object_name": name, "before": None, "after": done}
    return None


_current: ContextVar[Recorder | None] = ContextVar("account_trail", default=None)


@contextmanager
def recording(ctx: AuditContext) -> Iterator[Recorder]:
    """Account changes made in the block are recorded when it ends, one entry per object, by
    `ctx`'s actor. Run it inside the transaction that makes the changes."""
    recorder = Recorder(ctx)
    token = _current.set(recorder)
    try:
        yield recorder
    except BaseException:
        _current.reset(token)
        # Inside a transaction the error undoes the changes too; without one, what was
        # committed before it is still recorded.
        if not transaction.get_connection().in_atomic_block:
            try:
                recorder.flush()
            except Exception:
                logger.exception("audit: could not record an account change after an error")
        raise
    _current.reset(token)
    recorder.flush()


def system_context() -> AuditContext:
    """Who changes an account outside a request: "system", and the manage.py command."""
    argv = sys.argv
    command = argv[1] if len(argv) > 1 and argv[0].endswith("manage.py") else ""
    return AuditContext.system(SYSTEM, reason=f"manage.py {command}" if command else "")


def _recorder_for(instance) -> Recorder | None:
    """The block's recorder, else one for this signal alone (kept on the instance until its
    post_ signal flushes it); None when changes outside a block are not recorded."""
    active = _current.get()
    if active is not None:
        return active
    if not getattr(settings, "AUDIT_SYSTEM_ACCOUNT_CHANGES", True):
        return None  # tests/settings.py: the suite's own fixture users are not changes
    own = getattr(instance, _ATTR, None)
    if own is None:
        own = Recorder(system_context())
        setattr(instance, _ATTR, own)
    return own


def _touch(instance, kind: str, pk, *, new: bool = False) -> bool:
    """Note `pk` as touched by the change `instance` is part of (False: not recorded)."""
    recorder = _recorder_for(instance)
    if recorder is not None:
        recorder.touch(kind, pk, new=new)
    return recorder is not None


def _done(instance) -> None:
    own = getattr(instance, _ATTR, None)
    if own is not None and _current.get() is None:
        delattr(instance, _ATTR)
        own.flush()


# ---------------------------------------------------------------------------------------------
# Signal handlers (connected in AuditConfig.ready)


def _quiet(update_fields) -> bool:
    # A sign-in stamps last_login; a sign-in with an outdated hasher re-hashes the same
    # password (update_fields=["password"]): neither is a change to the account.
    fields = set(update_fields or ())
    return bool(fields) and (fields <= {"last_login"} or fields == {"password"})


def user_pre_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None or _quiet(update_fields):
        return
    recorder = _recorder_for(instance)
    if recorder is None:
        return
    seen = recorder.touch(USER, instance.pk)
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    if stored and stored[0] != instance.password:
        seen.password = True


def user_post_save(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (not created and _quiet(update_fields)):
        return
    recorder = _recorder_for(instance) if created else None
    if recorder is not None:
        recorder.touch(USER, instance.pk, new=True)
    _done(instance)


def role_pre_save(sender, instance, raw=False, **kwargs):
    if not raw and not instance._state.adding and instance.pk is not None:
        _touch(instance, ROLE, instance.pk)


def role_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        _touch(instance, ROLE, instance.pk, new=True)
    _done(instance)


def user_pre_delete(sender, instance, **kwargs):
    _touch(instance, USER, instance.pk)


def role_pre_delete(sender, instance, **kwargs):
    if _touch(instance, ROLE, instance.pk):
        for pk in instance.user_set.values_list("pk", flat=True):  # they lose this role
            _touch(instance, USER, pk)


def deleted(sender, instance, **kwargs):
    _done(instance)


def _m2m(kind_of_instance: str, kind_of_others: str):
    """An m2m_changed handler: changed from its forward side (user.groups), the instance is
    touched; from the other side (role.user_set), the objects of `kind_of_others` named."""

    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if not action.startswith("pre_"):
            if action.startswith("post_"):
                _done(instance)
            return
        if not reverse:
            _touch(instance, kind_of_instance, instance.pk)
            return
        pks = pk_set if pk_set is not None else _members(instance, kind_of_others)
        for pk in pks:
            _touch(instance, kind_of_others, pk)

    return handler


def _members(instance, kind: str):
    """For a clear() from the other side: the users of a role or a permission, or the roles
    of a permission."""
    if kind == USER:
        return list(instance.user_set.values_list("pk", flat=True))
    return list(instance.group_set.values_list("pk", flat=True))


def connect() -> None:
    """Every model that is a user or a role (proxies included: a proxy's signals name the
    proxy as their sender)."""
    User = get_user_model()
    uid = "audit-account-trail"
    for model in apps.get_models():
        name = f"{uid}-{model._meta.label_lower}"
        if issubclass(model, User):
            pre_save.connect(user_pre_save, sender=model, dispatch_uid=f"{name}-pre")
            post_save.connect(user_post_save, sender=model, dispatch_uid=f"{name}-post")
            pre_delete.connect(user_pre_delete, sender=model, dispatch_uid=f"{name}-del")
            post_delete.connect(deleted, sender=model, dispatch_uid=f"{name}-deleted")
        elif issubclass(model, Group):
            pre_save.connect(role_pre_save, sender=model, dispatch_uid=f"{name}-pre")
            post_save.connect(role_post_save, sender=model, dispatch_uid=f"{name}-post")
            pre_delete.connect(role_pre_delete, sender=model, dispatch_uid=f"{name}-del")
            post_delete.connect(deleted, sender=model, dispatch_uid=f"{name}-deleted")
    # A user's roles, changed from the user (user.groups) or from the role (role.user_set).
    # The handlers are closures made here: weak=False, or nothing would keep them alive.
    m2m_changed.connect(
        _m2m(USER, USER), sender=User.groups.through, dispatch_uid=f"{uid}-user-roles", weak=False
    )
    m2m_changed.connect(
        _m2m(USER, USER),
        sender=User.user_permissions.through,
        dispatch_uid=f"{uid}-user-perms",
        weak=False,
    )
    m2m_changed.connect(
        _m2m(ROLE, ROLE),
        sender=Group.permissions.through,
        dispatch_uid=f"{uid}-role-perms",
        weak=False,
    )
