"""Server-side permission checks for views. Hiding a button is never the protection."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .signals import permission_denied


def deny(request: HttpRequest, permission: str) -> PermissionDenied:
    """Record the refusal and return the exception to raise."""
    request.permission_denial_recorded = True  # the 403 handler records the others
    permission_denied.send(sender=deny, request=request, permission=permission)
    return PermissionDenied(f"You do not have permission to do this ({permission}).")


def check_perm(request: HttpRequest, permission: str) -> None:
    """Raise PermissionDenied (recorded) unless the user holds `permission`."""
    if not request.user.has_perm(permission):
        raise deny(request, permission)


def require_perm(*permissions: str) -> Callable:
    """View decorator: every listed permission (e.g. "accounts.add_trackers") is needed."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            for permission in permissions:
                check_perm(request, permission)
            return view(request, *args, **kwargs)

        wrapped.required_permissions = permissions  # read by tests and the nav
        return wrapped

    return decorator


def record_unrecorded_denial(request: HttpRequest, exception=None) -> None:
    """A 403 raised outside deny() (Django's own checks) is audited too, once."""
    if not getattr(request, "permission_denial_recorded", False):
        detail = str(exception or "") or "refused by Django"
        permission_denied.send(sender=deny, request=request, permission=detail[:200])
