"""Accounts views: the Users screens (list, create, change role, deactivate or reactivate, set
a password), for those who may manage users (the Admin role) and refused to anyone else with
a 403 (audited). Each write is one audited service call (accounts/users.py); a refused write
(the last admin) comes back with the form as it was typed and says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from audit.context import AuditContext

from . import users
from .permissions import require_perm
from .roles import MANAGE_USERS, role_of
from .user_forms import PasswordResetByAdminForm, RoleChangeForm, UserCreateForm

_WRITE = require_http_methods(["GET", "HEAD", "POST"])


def _target(pk: int):
    user = users.user_get(pk=pk)
    if user is None:
        raise Http404("No such user.")
    return user


def _done(request: HttpRequest, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(reverse("users:list"))


@require_safe
@require_perm(MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    """Every user with their role, whether active, and their last sign-in; searchable."""
    q = request.GET.get("q", "")[:150]
    rows = users.user_list(q=q)
    context = {"rows": rows, "q": q, "total": len(rows) if not q.strip() else None}
    return render(request, "accounts/user_list.html", context)


@_WRITE
@require_perm(MANAGE_USERS)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = users.user_create(
            ctx=AuditContext.from_request(request),
            username=data["username"],
            email=data["email"],
            role=data["role"],
            password=data["password1"],
        )
        return _done(request, f"Created {user.get_username()} ({data['role']}).")
    return render(request, "accounts/user_create.html", {"form": form})


@_WRITE
@require_perm(MANAGE_USERS)
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(pk)
    form = RoleChangeForm(request.POST or None, initial={"role": role_of(target)})
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        name = target.get_username()
        try:
            changed = users.user_set_role(
                ctx=AuditContext.from_request(request), user=target, role=role
            )
        except users.LastAdminError as refused:
            form.add_error(None, str(refused))
        else:
            if not changed:
                return _done(request, f"{name} already has the role {role}; nothing changed.")
            return _done(request, f"{name} is now {role}; their open sessions were ended.")
    return render(request, "accounts/user_role.html", {"form": form, "target": target})


@_WRITE
@require_perm(MANAGE_USERS)
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page naming the user; POST flips active (refused for the last admin)."""
    target = _target(pk)
    error = ""
    if request.method == "POST":
        # The state the admin saw a button for, never "the other one": a second admin's (or a
        # resent) deactivate must not reactivate.
        asked = request.POST.get("active")
        if asked not in ("0", "1"):
            error = "Choose Deactivate or Reactivate on this page."
        else:
            active = asked == "1"
            name = target.get_username()
            try:
                changed = users.user_set_active(
                    ctx=AuditContext.from_request(request), user=target, active=active
                )
            except users.LastAdminError as refused:
                error = str(refused)
            else:
                if not changed:
                    state = "active" if active else "deactivated"
                    return _done(request, f"{name} was already {state}; nothing changed.")
                if active:
                    return _done(request, f"Reactivated {name}: they can sign in again.")
                return _done(request, f"Deactivated {name}; their open sessions were ended.")
    return render(request, "accounts/user_active.html", {"target": target, "error": error})


@_WRITE
@require_perm(MANAGE_USERS)
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(pk)
    form = PasswordResetByAdminForm(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        users.user_set_password(
            ctx=AuditContext.from_request(request),
            user=target,
            password=form.cleaned_data["new_password1"],
        )
        name = target.get_username()
        return _done(request, f"Set a new password for {name}; their open sessions were ended.")
    return render(request, "accounts/user_password.html", {"form": form, "target": target})
