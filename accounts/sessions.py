"""Session lifetimes: an idle timeout and an absolute lifetime, enforced on the server.

Django's own expiry is one number on the cookie and the session row. This middleware keeps
two timestamps in the session, set at sign-in and on each request, and signs the user out
(the session is flushed on the server, not only forgotten by the browser) when either
limit has passed. Both limits come from settings (SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_LIFETIME).
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

LOGIN_AT = "symbl_login_at"
SEEN_AT = "symbl_seen_at"
# A session is written at most this often just to move its idle clock (htmx sends many requests).
SEEN_RESOLUTION = 10.0


def now() -> float:
    """The clock (a function, so tests can move it)."""
    return time.time()


def on_logged_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: start both clocks (Django has just given the session a new key)."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[SEEN_AT] = now()


def expired(session, at: float) -> bool:
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return True  # a session from before these clocks, or tampered with
    idle = at - seen_at > settings.SESSION_IDLE_TIMEOUT
    return idle or at - login_at > settings.SESSION_ABSOLUTE_LIFETIME


class SessionLifetimeMiddleware:
    """After AuthenticationMiddleware and before LoginRequiredMiddleware: an expired session
    is signed out, so the request continues as anonymous (and is sent to sign in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            at = now()
            if expired(request.session, at):
                logout(request)
            elif at - request.session[SEEN_AT] >= SEEN_RESOLUTION:
                request.session[SEEN_AT] = at
        return self.get_response(request)


def end_user_sessions(user) -> int:
    """Sign `user` out everywhere now: every open session of theirs is deleted on the server
    (the database row and its cached copy). Returns how many were ended.

    Sessions are not indexed by user: each unexpired one is decoded (a dashboard has few)."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    wanted, ended = str(user.pk), 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY, "")) == wanted:
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended
