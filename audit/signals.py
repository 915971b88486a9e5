"""Audit layer: sign-in events and permission denials, recorded from signals.

Writes to trackers and groups are NOT recorded here: feature services call audit_record()
explicitly. These handlers are connected in AuditConfig.ready().
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from .context import AuditContext
from .models import Action, Outcome
from .services import record_event


def _ctx(request, user=None) -> AuditContext:
    ctx = AuditContext.from_request(request) if request is not None else AuditContext.system("")
    if user is not None and ctx.actor is None:
        ctx = AuditContext(
            actor=user,
            username=user.get_username(),
            request_id=ctx.request_id,
            ip=ctx.ip,
            user_agent=ctx.user_agent,
        )
    return ctx


def on_logged_in(sender, request, user, **kwargs):
    record_event(action=Action.LOGIN, ctx=_ctx(request, user), outcome=Outcome.SUCCESS)


def on_logged_out(sender, request, user, **kwargs):
    record_event(action=Action.LOGOUT, ctx=_ctx(request, user), outcome=Outcome.SUCCESS)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` holds the password (masked by Django, but still): keep the username only.
    field = get_user_model().USERNAME_FIELD
    attempted = str(credentials.get(field) or credentials.get("username") or "")[:150]
    ctx = _ctx(request)
    ctx = AuditContext(
        actor=None,
        username=attempted,
        request_id=ctx.request_id,
        ip=ctx.ip,
        user_agent=ctx.user_agent,
    )
    record_event(action=Action.LOGIN_FAILED, ctx=ctx, outcome=Outcome.FAILED)


def on_permission_denied(sender, request, permission, **kwargs):
    record_event(
        action=Action.PERMISSION_DENIED,
        ctx=_ctx(request),
        outcome=Outcome.FAILED,
        object_name=str(permission),
        # The path only: a query string may carry anything.
        after={"permission": str(permission), "method": request.method, "path": request.path},
    )
