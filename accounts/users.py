"""Accounts services and selectors: the dashboard's users and their roles (the Users screens).

Each write runs in one transaction inside audit.account_trail.recording, so the change and its
audit entry are committed together, one entry per user changed. A user has one role on these
screens (the Admin role also opens Django's admin: staff). Deactivating a user or changing
their role ends their open sessions at once; the last active admin can be neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from audit.account_trail import recording
from audit.context import AuditContext

from .roles import ADMIN, ROLE_ORDER, role_of
from .sessions import end_user_sessions

User = get_user_model()


class LastAdminError(Exception):
    """The change would leave no active admin."""

    def __init__(self, username: str, doing: str):
        super().__init__(
            f"{username} is the last active admin: someone must be able to manage users. "
            f"Make another user an admin first, then {doing}."
        )


@dataclass(frozen=True)
class UserRow:
    pk: int
    username: str
    name: str
    email: str
    role: str
    roles: tuple[str, ...]
    active: bool
    last_login: datetime | None


def _is_admin_q() -> Q:
    return Q(is_superuser=True) | Q(groups__name=ADMIN)


def user_list(*, q: str = "") -> list[UserRow]:
    """Every user (matching `q`: part of a username, name or e-mail), by username."""
    users = User.objects.order_by("username").prefetch_related("groups")
    q = q.strip()
    if q:
        users = users.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
        )
    return [
        UserRow(
            pk=u.pk,
            username=u.get_username(),
            name=u.get_full_name(),
            email=u.email,
            role=_role_name(u),
            roles=tuple(sorted(g.name for g in u.groups.all())),
            active=u.is_active,
            last_login=u.last_login,
        )
        for u in users
    ]


def _role_name(user) -> str:
    if user.is_superuser:
        return ADMIN
    names = {g.name for g in user.groups.all()}  # prefetched
    return next((role for role in ROLE_ORDER if role in names), "No role")


def user_get(*, pk: int):
    """The user with this id, or None."""
    return User.objects.filter(pk=pk).first()


def is_active_admin(user) -> bool:
    return user.is_active and role_of(user) == ADMIN


def _refuse_last_admin(user, doing: str) -> None:
    """Raises: LastAdminError when `user` is the only active admin.

    The admins' rows are locked first (PostgreSQL; SQLite's write transaction already holds
    the database), then counted again in a new statement, which sees what a transaction that
    held the locks before us committed: two admins demoting each other at once cannot both
    succeed."""
    admins = User.objects.filter(_is_admin_q(), is_active=True)
    list(User.objects.filter(pk__in=admins.values("pk")).select_for_update())
    if not admins.exclude(pk=user.pk).exists():
        raise LastAdminError(user.get_username(), doing)


def _set_role(user, role: str) -> None:
    user.is_staff = role == ADMIN  # admins also open Django's admin
    if role != ADMIN:
        user.is_superuser = False  # a superuser would stay an admin whatever their roles
    user.save()
    user.groups.set([Group.objects.get(name=role)])


def user_create(*, ctx: AuditContext, username: str, email: str, role: str, password: str):
    """Create an active user with one role and a password (already validated by the form).

    Raises: Group.DoesNotExist for an unknown role.
    """
    with transaction.atomic(), recording(ctx):
        user = User(username=username, email=email)
        user.set_password(password)
        _set_role(user, role)
    return user


def user_set_role(*, ctx: AuditContext, user, role: str) -> bool:
    """Give `user` this role (their only one) and end their sessions; False (nothing done)
    when it is already their only role.

    Raises: LastAdminError when it would demote the last active admin.
    """
    if role_of(user) == role and list(user.groups.values_list("name", flat=True)) == [role]:
        return False
    with transaction.atomic(), recording(ctx):
        if role != ADMIN and is_active_admin(user):
            _refuse_last_admin(user, "change this user's role")
        _set_role(user, role)
        user.__dict__.pop("_symbl_access", None)  # role_of() read the old roles on the object
    end_user_sessions(user)
    return True


def user_set_active(*, ctx: AuditContext, user, active: bool) -> bool:
    """Deactivate (ending their sessions) or reactivate `user`; the state asked for, never a
    toggle, so two admins deactivating one user at once cannot undo each other. Returns
    whether anything changed (False: they already were so).

    Raises: LastAdminError when it would deactivate the last active admin.
    """
    with transaction.atomic(), recording(ctx):
        current = type(user)._default_manager.select_for_update().get(pk=user.pk)
        if current.is_active == active:
            user.is_active = active
            return False
        if not active and is_active_admin(current):
            _refuse_last_admin(current, "deactivate this one")
        user.is_active = active
        user.save()
    if not active:
        end_user_sessions(user)
    return True


def user_set_password(*, ctx: AuditContext, user, password: str) -> None:
    """Set a new password (validated by the form) chosen by an admin; the user's sessions end
    (they sign in with the new one)."""
    with transaction.atomic(), recording(ctx):
        user.set_password(password)
        user.save()
    end_user_sessions(user)
